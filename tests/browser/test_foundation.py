"""A person at the browser: signs in as each role, opens the volunteer list, imports a messy sheet."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest

from tests.browser.conftest import screenshot, sign_in
from xungkich.people.models import Volunteer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("username", "sees_volunteers"),
    [("dieuphoi", True), ("chidoan", True), ("tinhnguyen", False), ("kiosk", False), ("xembaocao", False)],
)
def test_each_role_signs_in_and_meets_the_volunteer_list(page, demo, username, sees_volunteers):  # type: ignore[no-untyped-def]
    sign_in(page, username)
    assert page.locator("h1").first.is_visible()
    response = page.goto("/people/volunteers/")
    if sees_volunteers:
        assert response.status == 200
        rows = page.locator("table tbody tr")
        assert rows.count() >= 6
        assert page.get_by_role("link", name="Nguyễn Văn An").is_visible()
        screenshot(page, f"volunteers-{username}")
    else:
        assert response.status == 403


def test_the_main_menu_folds_on_a_phone_and_stays_open_on_a_wide_screen(open_page, demo):  # type: ignore[no-untyped-def]
    page = open_page(360, 740)
    sign_in(page, "dieuphoi")
    menu = page.get_by_role("navigation", name="Menu chính")
    toggle = page.get_by_role("button", name="Menu")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert not menu.get_by_role("link", name="Hàng chờ").is_visible()
    # Folded, the page's own heading sits near the top instead of below fifteen links.
    assert page.locator("h1").bounding_box()["y"] < 200
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    menu.get_by_role("link", name="Hàng chờ").click()
    page.wait_for_url(re.compile(r"/desk/queue/"))
    screenshot(page, "menu-phone-queue")

    page = open_page(1280, 800)
    sign_in(page, "dieuphoi")
    assert not page.get_by_role("button", name="Menu").is_visible()
    assert page.get_by_role("navigation", name="Menu chính").get_by_role("link", name="Hàng chờ").is_visible()


def messy_workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ĐOÀN TNCS HỒ CHÍ MINH"])
    sheet.append(["DANH SÁCH ĐOÀN VIÊN THAM GIA ĐỘI HÌNH XUNG KÍCH"])
    sheet.append([])
    sheet.append(
        ["STT", "Họ tên", "Ngày sinh", "Giới tính", "Chi đoàn", "Chức vụ", "SĐT", "Email", "Kỹ năng"]
    )
    sheet.append(
        [
            1,
            "Nguye\u0302\u0303n  Thi\u0323 Mai",
            dt.datetime(2002, 4, 1),
            "Nữ",
            "Chi đoàn Cẩm Phô",
            "Đoàn viên",
            905222333,
            "",
            "VNeID",
        ]
    )
    sheet.append([2, "Trần Văn Bảo", "05/09/2001", "Nam", None, "Đoàn viên", "0905.222.334", "", ""])
    sheet.append([3, "", "31/02/2001", "Nam", None, "", "0905 12", "", ""])
    sheet.merge_cells(start_row=5, start_column=5, end_row=7, end_column=5)
    sheet.append([])
    sheet.append(["Tổng cộng: 3 đoàn viên"])
    sheet.append(["", "", "", "", "", "BÍ THƯ"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_coordinator_uploads_a_messy_sheet_and_sees_its_preview(page, demo):  # type: ignore[no-untyped-def]
    before = Volunteer.objects.count()
    sign_in(page, "dieuphoi")
    page.goto("/people/volunteers/")
    page.get_by_role("link", name="Nhập từ bảng tính").click()
    page.set_input_files(
        "input[type=file]",
        files=[
            {
                "name": "danh-sach.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": messy_workbook(),
            }
        ],
    )
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/volunteers/import/[^/]+/$"))
    body = page.locator("main").inner_text()
    # The row in error is named by its spreadsheet row number, and nothing was written.
    assert body.count("Dòng 7:") == 3  # missing name, impossible date, bad phone
    assert page.locator("tr.row-error").count() == 1
    assert page.locator("tr.row-ok").count() >= 2
    assert page.get_by_text("Nguyễn Thị Mai").first.is_visible()
    screenshot(page, "import-preview")
    assert Volunteer.objects.count() == before
