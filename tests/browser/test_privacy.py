"""The privacy screen on a phone: the place of a door-to-door visit is screened like the notes, even
with an invisible character inside the secret, and the form says how long a text may be."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot, sign_in
from xungkich.helpdesk.models import HelpSession

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_secret_in_the_place_is_refused_and_a_phone_there_is_masked(page, demo):  # type: ignore[no-untyped-def]
    before = HelpSession.objects.count()
    sign_in(page, "tinhnguyen")
    page.goto("/desk/session/new/")
    page.get_by_text("Tận nhà", exact=True).click()
    place = page.locator("#id_place_text")
    assert place.get_attribute("maxlength") == "200"
    assert "Tối đa 200 ký tự." in page.locator("#field-place_text .helptext").inner_text()
    assert "Tối đa 2000 ký tự." in page.locator("#field-notes .helptext").inner_text()
    page.get_by_text("Cài đặt ứng dụng", exact=True).click()
    # a zero-width space inside "mật khẩu", as pasted from a chat message
    place.fill("Tổ 3, mật\u200bkhẩu: Hoa@2024")
    page.click("#save-session")
    error = page.locator("#field-place_text .errorlist")
    error.wait_for()
    assert "mật khẩu" in error.inner_text()
    screenshot(page, "privacy-place-refused")
    page.screenshot(path="/tmp/privacy-place-refused.png", full_page=True)
    assert HelpSession.objects.count() == before

    page.locator("#id_place_text").fill("Tổ 3, nhà bác Hòa, sđt 0905\u200b123 456")
    page.click("#save-session")
    page.wait_for_url("**/desk/session/*/")
    session = HelpSession.objects.order_by("-pk").first()
    assert session.place_text == "Tổ 3, nhà bác Hòa, sđt [SĐT]"
    assert "0905" not in page.content()
