"""A coordinator who must use two-step sign-in: sent to set it up, keeps backup codes, uses one."""

from __future__ import annotations

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from tests.browser.conftest import screenshot
from xungkich.people.models import OrgUnit, Role, User

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Xk-browser-pass-2026"  # a test account only


@pytest.fixture
def coordinator(transactional_db, settings):  # type: ignore[no-untyped-def]
    settings.XK_REQUIRE_2FA_FOR_COORDINATORS = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    unit = OrgUnit.objects.create(name="Thành đoàn Hội An")
    return User.objects.create_user(
        username="dieuphoi", password=PASSWORD, role=Role.COORDINATOR, unit=unit, full_name="Lê Điều Phối"
    )


def _password_step(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "dieuphoi")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")


def test_required_setup_then_a_backup_code_signs_in(page, coordinator):  # type: ignore[no-untyped-def]
    _password_step(page)
    page.wait_for_url("**/accounts/two-factor/")
    # Every other page leads back here until it is set up.
    page.goto("/reports/")
    assert page.url.endswith("/accounts/two-factor/")
    secret = page.locator(".secret code").inner_text().replace(" ", "")
    totp = TOTP(b32decode(secret + "=" * (-len(secret) % 8)))
    totp.time = time.time()
    page.fill("input[name=token]", f"{totp.token():06d}")
    page.get_by_role("button", name="Bật đăng nhập hai bước").click()
    codes = page.locator("#backup-codes li").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{5}-[a-z2-7]{5}", c) for c in codes)
    assert page.locator("h1").inner_text() == "Mã dự phòng của bạn"
    screenshot(page, "accounts-backup-codes")
    page.screenshot(path="/tmp/accounts-backup-codes.png", full_page=True)
    page.get_by_role("link", name="Tôi đã lưu các mã").click()
    assert page.locator("body").inner_text().count("10 mã dự phòng") == 1
    assert page.goto("/reports/").status == 200  # set up: the pages open

    page.context.clear_cookies()
    _password_step(page)
    page.wait_for_url("**/accounts/login/verify/")
    page.fill("input[name=token]", codes[0])
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login" not in url)
    page.goto("/accounts/two-factor/")
    assert "9 mã dự phòng" in page.locator("body").inner_text()
    page.screenshot(path="/tmp/accounts-two-factor-on.png", full_page=True)
