"""Volunteer import: the upload page states its limits and refuses a spreadsheet bomb in words."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot
from xungkich.people.imports.tests.samples import padded_workbook
from xungkich.people.models import Role, User, Volunteer

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "mat-khau-dai-123"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def coordinator(transactional_db):  # type: ignore[no-untyped-def]
    from xungkich.people import services

    unit = services.create_unit(by=None, name="Thành đoàn Hội An", kind="city", parent=None)
    return User.objects.create_user(
        username="dieuphoi",
        password=PASSWORD,
        full_name="Trần Thị Điều Phối",
        role=Role.COORDINATOR,
        unit=unit,
    )


def test_a_workbook_bomb_is_refused_on_the_upload_page(page, coordinator):  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "dieuphoi")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login" not in url)
    page.goto("/people/volunteers/import/")
    assert page.get_by_text("tối đa 5.000 dòng và 10 MB").is_visible()
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "danh-sach.xlsx", "mimeType": XLSX, "buffer": padded_workbook(40 * 1024 * 1024)}],
    )
    page.locator("main form button[type=submit]").first.click()
    refusal = page.get_by_text("khi giải nén vượt quá 20 MB nên không thể đọc an toàn")
    refusal.wait_for()
    assert page.url.endswith("/people/volunteers/import/")
    screenshot(page, "import-bomb-refused")
    page.screenshot(path="/tmp/abuse-import-bomb.png", full_page=True)
    assert Volunteer.objects.count() == 0


def test_a_long_list_shows_its_reading_progress_then_the_preview(page, coordinator, settings):  # type: ignore[no-untyped-def]
    from xungkich.people import tasks
    from xungkich.people.imports.tests.samples import long_sheet_workbook
    from xungkich.people.imports.views import SESSION_KEY

    settings.XK_IMPORT_BACKGROUND_ROWS = 3
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # the worker waits
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "dieuphoi")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login" not in url)
    page.goto("/people/volunteers/import/")
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "danh-sach.xlsx", "mimeType": XLSX, "buffer": long_sheet_workbook(40)}],
    )
    page.get_by_label("Đơn vị").select_option(label="Thành đoàn Hội An")
    page.locator("main form button[type=submit]").first.click()
    page.get_by_text("Đang chờ đọc danh sách…").wait_for()
    assert page.locator("progress#import-reading-bar").is_visible()
    page.screenshot(path="/tmp/abuse-import-reading.png", full_page=True)

    from django.contrib.sessions.models import Session

    session = Session.objects.get().get_decoded()
    for pending in session[SESSION_KEY].values():  # the worker runs
        tasks.read_upload.call(pending["file"], pending["filename"], "vi")
    page.get_by_text("Nguyễn Văn 41").first.wait_for()  # the poll brings the preview
    assert page.locator("#import-reading").count() == 0
    screenshot(page, "import-read-in-background")
    page.screenshot(path="/tmp/abuse-import-preview.png", full_page=True)
