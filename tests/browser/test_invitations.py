"""Onboarding after an import: the coordinator invites a whole unit, one person opens the link on a
360 px phone, chooses a password and lands on their shifts."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.conftest import screenshot
from xungkich.people import services
from xungkich.people.models import OrgUnit, Role, User, Volunteer
from xungkich.rosters.tests.mine_data import assign, make_roster, today

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "mat-khau-dai-123"  # a test account only
NEW_PASSWORD = "Mua-he-xanh-2026"
CSV = (
    "Họ và tên,Số điện thoại,Chi đoàn\n"
    "Phạm Thị Hoa,0905 111 001,Chi đoàn Minh An\n"
    "Đặng Văn Bình,0905 111 002,Chi đoàn Minh An\n"
    "Võ Thị Cúc,0905 111 003,Chi đoàn Minh An\n"
)


@pytest.fixture
def world(transactional_db):  # type: ignore[no-untyped-def]
    city = services.create_unit(by=None, name="Thành đoàn Đà Nẵng", kind=OrgUnit.Kind.CITY, parent=None)
    hoian = services.create_unit(by=None, name="Đoàn phường Hội An", kind=OrgUnit.Kind.BASE, parent=city)
    branch = services.create_unit(by=None, name="Chi đoàn Minh An", kind=OrgUnit.Kind.BRANCH, parent=hoian)
    User.objects.create_user(
        username="dieuphoi",
        password=PASSWORD,
        full_name="Trần Thị Điều Phối",
        role=Role.COORDINATOR,
        unit=hoian,
    )
    roster = make_roster(hoian, start=today() + dt.timedelta(days=1), days=3)
    return {"branch": branch, "roster": roster}


def test_import_invite_everyone_and_one_signs_up_on_a_phone(open_page, world):  # type: ignore[no-untyped-def]
    desk = open_page(1024, 800)
    desk.goto("/accounts/login/")
    desk.fill("input[name=username]", "dieuphoi")
    desk.fill("input[name=password]", PASSWORD)
    desk.click("main form button[type=submit]")
    desk.wait_for_url(lambda url: "/accounts/login" not in url)

    # The import, as a coordinator does it.
    desk.goto("/people/volunteers/import/")
    desk.set_input_files(
        "input[type=file]",
        files=[{"name": "danh-sach.csv", "mimeType": "text/csv", "buffer": CSV.encode("utf-8")}],
    )
    desk.locator("#import-form button[type=submit]").click()
    desk.get_by_role("button", name="Nhập: 3 thêm mới, 0 cập nhật").click()
    desk.wait_for_url("**/people/volunteers/")
    assert Volunteer.objects.filter(unit=world["branch"]).count() == 3

    # Everyone of the unit, from the accounts page the volunteers list leads to.
    desk.goto(f"/accounts/people/?unit={world['branch'].pk}")
    assert "3 tình nguyện viên đang hoạt động chưa có tài khoản" in desk.locator("main").inner_text()
    desk.get_by_role("button", name="Mời tất cả những người chưa có tài khoản").click()
    desk.get_by_role("heading", name="Liên kết mời").wait_for()
    cards = desk.locator("li.invite")
    assert cards.count() == 3
    hoa = cards.filter(has_text="Phạm Thị Hoa")
    link = hoa.locator("input.invite-url").input_value()
    assert "/accounts/invitation/" in link
    hoa.locator("summary").click()
    assert hoa.locator("svg").is_visible()
    desk.set_viewport_size({"width": 360, "height": 740})
    screenshot(desk, "invitations-links-360")

    # Phạm Thị Hoa has a shift on the published roster.
    volunteer = Volunteer.objects.get(full_name="Phạm Thị Hoa")
    roster = world["roster"]
    assign(roster.period.shifts.order_by("start").first(), volunteer)

    # She opens the link she was sent, on her phone, signed out.
    phone = open_page(360, 740)
    phone.goto(link)
    phone.get_by_role("heading", name="Tạo tài khoản của bạn").wait_for()
    assert phone.locator("input[name=username]").input_value() == "hoapt"
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 360
    phone.fill("input[name=new_password1]", NEW_PASSWORD)
    phone.fill("input[name=new_password2]", NEW_PASSWORD)
    screenshot(phone, "invitation-accept-360")
    phone.get_by_role("button", name="Tạo tài khoản").click()
    phone.wait_for_url("**/rosters/mine/")
    assert phone.locator(".shift-card").count() == 1
    assert "Chào mừng Phạm Thị Hoa" in phone.locator("main").inner_text()
    screenshot(phone, "invitation-my-shifts-360")
    volunteer.refresh_from_db()
    assert volunteer.user is not None and volunteer.user.username == "hoapt"

    # The link is spent: opened again it says so, in Vietnamese.
    phone.context.clear_cookies()
    phone.goto(link)
    assert "Lời mời này đã được dùng" in phone.locator("main").inner_text()
    screenshot(phone, "invitation-used-360")

    # Her account is on the coordinator's accounts page, where its role can be changed.
    desk.goto(f"/accounts/people/?unit={world['branch'].pk}")
    desk.get_by_role("link", name="hoapt").click()
    desk.get_by_role("heading", name="Đổi vai trò").wait_for()
    assert desk.evaluate("() => document.documentElement.scrollWidth") <= 360
    screenshot(desk, "account-detail-360")
