"""Site-wide: the language a person sees, the error pages, the favicon."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot
from xungkich.people.models import Role, User

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "mat-khau-dai-123"


@pytest.fixture
def person(transactional_db):  # type: ignore[no-untyped-def]
    from xungkich.people import services

    unit = services.create_unit(by=None, name="Thành đoàn Hội An", kind="city", parent=None)
    return User.objects.create_user(
        username="dieuphoi",
        password=PASSWORD,
        full_name="Trần Thị Điều Phối",
        role=Role.COORDINATOR,
        unit=unit,
    )


def sign_in(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "dieuphoi")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login" not in url)


def test_a_phone_set_to_english_sees_vietnamese_until_english_is_chosen(browser, live_server, person):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        base_url=live_server.url, locale="en-US", viewport={"width": 390, "height": 844}
    )
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto("/accounts/login/")
        assert page.locator("html").get_attribute("lang") == "vi"
        assert page.get_by_role("button", name="Đăng nhập").is_visible()
        sign_in(page)
        assert page.locator("html").get_attribute("lang") == "vi"
        screenshot(page, "site-language-vi")

        page.get_by_label("Ngôn ngữ").select_option("en")
        page.wait_for_load_state()
        page.wait_for_function("() => document.documentElement.lang === 'en'")
        assert page.get_by_role("button", name="Sign out (Trần Thị Điều Phối)").is_visible()
        page.goto("/people/volunteers/")
        assert page.locator("html").get_attribute("lang") == "en"
        screenshot(page, "site-language-en")
    finally:
        context.close()
    person.refresh_from_db()
    assert person.language == "en"


def test_a_missing_page_says_so_in_vietnamese_and_leads_home(page, live_server, person):  # type: ignore[no-untyped-def]
    sign_in(page)
    response = page.goto("/khong-co-trang-nay/")
    assert response.status == 404
    assert page.get_by_role("heading", name="Không tìm thấy trang").is_visible()
    screenshot(page, "site-404")
    page.get_by_role("link", name="Về trang chủ").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name="Xin chào, Trần Thị Điều Phối").is_visible()


def test_go_back_returns_to_the_page_before(page, person):  # type: ignore[no-untyped-def]
    sign_in(page)
    page.goto("/people/volunteers/")
    page.goto("/audit/khong-co/")
    page.get_by_role("button", name="Quay lại").click()
    page.wait_for_url("**/people/volunteers/")


def test_the_favicon_is_served(page, person):  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    href = page.locator("link[rel=icon][type='image/svg+xml']").get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200
    assert "image/svg+xml" in response.headers["content-type"]
    ico = page.request.get("/favicon.ico")
    assert ico.status == 200
    assert ico.body()[:4] == b"\x00\x00\x01\x00"


def test_an_import_naming_a_unit_that_does_not_exist_suggests_the_nearest(page, person):  # type: ignore[no-untyped-def]
    import io
    import re

    import openpyxl

    from xungkich.people import services
    from xungkich.people.models import Volunteer

    services.create_unit(by=None, name="Chi đoàn Minh An", kind="branch", parent=person.unit)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["STT", "Họ và tên", "Số điện thoại", "Đơn vị"])
    sheet.append([1, "Nguyễn Văn An", "0905111222", "Chi đoan Minh Ann"])
    buffer = io.BytesIO()
    book.save(buffer)

    sign_in(page)
    page.goto("/people/volunteers/")
    page.get_by_role("link", name="Nhập từ bảng tính").click()
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "ds.xlsx", "mimeType": "application/octet-stream", "buffer": buffer.getvalue()}],
    )
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/volunteers/import/[^/]+/$"))
    body = page.locator("main").inner_text()
    assert "Đơn vị «Chi đoan Minh Ann» không tồn tại. Có phải bạn muốn ghi: “Chi đoàn Minh An”?" in body
    assert "không thuộc các đơn vị của bạn" not in body
    screenshot(page, "site-import-unknown-unit")
    assert Volunteer.objects.count() == 0


def test_the_audit_log_reads_as_sentences_in_viet_nam_time(page, person):  # type: ignore[no-untyped-def]
    import datetime as dt

    from xungkich.core.models import AuditEntry
    from xungkich.people import services

    unit = services.create_unit(by=person, name="Chi đoàn Cẩm Nam", kind="branch", parent=person.unit)
    services.create_volunteer(by=person, data={"full_name": "Lê Văn Lọc", "unit": unit})
    AuditEntry.objects.filter(action="unit.create", object_repr="Chi đoàn Cẩm Nam").update(
        at=dt.datetime(2026, 3, 2, 17, 5, tzinfo=dt.UTC)
    )
    sign_in(page)
    page.goto("/audit/")
    table = page.locator("table.audit-log")
    assert table.get_by_text("Trần Thị Điều Phối đã tạo đơn vị").is_visible()
    assert table.get_by_text("Trần Thị Điều Phối đã thêm tình nguyện viên").is_visible()
    # 17:05 UTC on 2 March is five past midnight on 3 March in Viet Nam.
    assert table.get_by_text("03/03/2026 00:05").is_visible()
    assert "unit.create" not in table.inner_text()
    screenshot(page, "site-audit-log")
    page.get_by_label("Thao tác").select_option(label="Đã thêm tình nguyện viên")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url("**/audit/?action=volunteer.create")
    assert page.locator("table.audit-log tbody tr").count() == 1
