"""Self sign-up by a unit's link on a 360 px phone: one request approved (the person signs in and
sees their profile), another rejected (no account, cannot sign in)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot, sign_in
from xungkich.people.models import User, Volunteer

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Tinh-nguyen-moi-2026"  # a test account only


def _fits_the_phone(page) -> None:  # type: ignore[no-untyped-def]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def _ask_to_join(phone, url: str, *, name: str, number: str, username: str) -> None:  # type: ignore[no-untyped-def]
    phone.goto(url)
    _fits_the_phone(phone)
    phone.fill("input[name=full_name]", name)
    phone.fill("input[name=birth_date]", "12/05/2003")
    phone.fill("input[name=phone]", number)
    phone.locator("input[name=skills]").first.check()
    phone.fill("input[name=username]", username)
    phone.fill("input[name=password1]", PASSWORD)
    phone.fill("input[name=password2]", PASSWORD)
    phone.check("input[name=consent]")
    screenshot(phone, f"signup-form-360-{username}")
    phone.get_by_role("button", name="Gửi yêu cầu").click()
    phone.wait_for_url("**/sent/")
    assert phone.locator("h1").inner_text() == "Đã gửi yêu cầu"


def _sign_in(phone, username: str) -> None:  # type: ignore[no-untyped-def]
    phone.goto("/accounts/login/")
    phone.fill("input[name=username]", username)
    phone.fill("input[name=password]", PASSWORD)
    phone.click("main form button[type=submit]")


def test_sign_up_by_the_unit_link_then_approval_and_rejection(page, open_page, demo):  # type: ignore[no-untyped-def]
    sign_in(page, "chidoan")
    page.goto("/accounts/signup/links/")
    page.locator("main table a").first.click()
    page.get_by_role("button", name="Mở đường dẫn đăng ký").click()
    url = page.locator("#signup-url").inner_text()
    assert "/accounts/join/" in url and page.locator(".signup-qr svg").count() == 1
    screenshot(page, "signup-link")

    phone = open_page(360, 740)
    _ask_to_join(phone, url, name="Trương Thị Mới", number="0399 000 111", username="truongmoi")
    screenshot(phone, "signup-sent-360")
    other = open_page(360, 740)
    _ask_to_join(other, url, name="Lâm Văn Từ Chối", number="0399 000 222", username="lamtuchoi")
    assert not User.objects.filter(username__in=["truongmoi", "lamtuchoi"]).exists()

    page.goto("/accounts/signup/requests/")
    page.get_by_role("link", name="Trương Thị Mới").click()
    screenshot(page, "signup-request")
    page.get_by_role("button", name="Duyệt: tạo tài khoản").click()
    page.wait_for_url("**/signup/requests/")
    page.get_by_role("link", name="Lâm Văn Từ Chối").click()
    page.fill("textarea[name=reason]", "Không thuộc chi đoàn")
    page.get_by_role("button", name="Từ chối").click()
    page.wait_for_url("**/signup/requests/")
    assert "Không có yêu cầu nào đang chờ." in page.locator("main").inner_text()

    _sign_in(phone, "truongmoi")
    phone.wait_for_url(lambda u: "/accounts/login" not in u)
    phone.goto("/accounts/profile/")
    assert phone.locator("h1").inner_text() == "Hồ sơ của tôi"
    body = phone.locator("main").inner_text()
    assert "Trương Thị Mới" in body and "truongmoi" in body
    assert phone.locator("input[name=phone]").input_value() == "0399 000 111"
    _fits_the_phone(phone)
    screenshot(phone, "profile-360")
    volunteer = Volunteer.objects.get(user__username="truongmoi")
    assert volunteer.skills.count() == 1

    _sign_in(other, "lamtuchoi")
    assert "/accounts/login/" in other.url
    assert not User.objects.filter(username="lamtuchoi").exists()
