"""At the help desk on a phone: a walk-in recorded in a few taps, a password in the notes refused,
and the citizen rating the help from the QR code on their ticket."""

from __future__ import annotations

import secrets

import pytest
from django.utils import timezone

from tests.browser.conftest import screenshot, sign_in
from xungkich.helpdesk.models import HelpSession, Rating
from xungkich.places.models import ServicePoint
from xungkich.tickets.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_volunteer_records_a_walk_in_in_a_few_taps(page, demo):  # type: ignore[no-untyped-def]
    sign_in(page, "tinhnguyen")
    page.goto("/desk/session/new/")
    assert page.locator("#password-reminder").is_visible()
    # The usual case: the point, the channel, the outcome and who did the steps are preset.
    page.get_by_text("Cài đặt ứng dụng", exact=True).click()  # tap 1: the need
    screenshot(page, "helpdesk-walk-in")
    page.click("#save-session")  # tap 2
    page.wait_for_url("**/desk/session/*/")
    assert "Đã ghi nhận lượt hỗ trợ" in page.locator(".messages").inner_text()
    session = HelpSession.objects.get()
    assert (session.need, session.outcome, session.performed_by) == ("app", "done", "guided")
    assert session.point is not None and session.ticket is None
    assert session.helped_by.username == "tinhnguyen"


def test_a_password_in_the_notes_is_refused_and_nothing_saved(page, demo):  # type: ignore[no-untyped-def]
    sign_in(page, "tinhnguyen")
    page.goto("/desk/session/new/")
    page.get_by_text("Tài khoản (VNeID hoặc Cổng dịch vụ công)", exact=False).first.click()
    page.fill("#id_notes", "Bác quên, đặt lại mật khẩu là Hoa@2024")
    page.click("#save-session")
    error = page.locator("#field-notes .errorlist")
    error.wait_for()
    assert "mật khẩu" in error.inner_text()
    screenshot(page, "helpdesk-secret-refused")
    assert not HelpSession.objects.exists()


def test_the_citizen_rates_the_help_from_the_ticket(page, demo):  # type: ignore[no-untyped-def]
    point = ServicePoint.objects.get(unit__name="Đoàn phường Hội An")
    ticket = Ticket.objects.create(
        point=point,
        day=timezone.localdate(),
        number=7,
        need="account",
        status=Ticket.Status.DONE,
        public_token=secrets.token_urlsafe(32),
    )
    page.goto(f"/help/rate/{ticket.public_token}/")
    assert page.locator("h1").inner_text() == "Đánh giá sự hỗ trợ"
    page.locator("label.chip", has_text="5").click()
    page.fill("#id_comment", "Các bạn rất nhiệt tình")
    screenshot(page, "helpdesk-rate")
    page.click("#send-rating")
    page.locator("#rate-thanks").wait_for()
    rating = Rating.objects.get()
    assert (rating.ticket_id, rating.score) == (ticket.pk, 5)
    page.goto(f"/help/rate/{ticket.public_token}/")
    assert "đã được đánh giá" in page.locator("main").inner_text()


def test_a_dossier_procedure_is_picked_by_search(page, demo):  # type: ignore[no-untyped-def]
    sign_in(page, "tinhnguyen")
    page.goto("/desk/session/new/")
    page.get_by_text("Nộp hồ sơ trực tuyến", exact=False).first.click()  # the dossier need
    page.fill("#procedure-search", "dang ky khai sinh")  # typed without diacritics
    pick = page.locator(".procedure-pick").first
    pick.wait_for()
    code, name = pick.get_attribute("data-code"), pick.get_attribute("data-name")
    assert name and "khai sinh" in name.lower()
    screenshot(page, "helpdesk-procedure-picker")
    pick.click()
    assert page.input_value("#id_procedure_code") == code
    assert page.input_value("#id_procedure_name") == name
    page.click("#save-session")
    page.wait_for_url("**/desk/session/*/")
    session = HelpSession.objects.get()
    assert (session.need, session.procedure_code, session.procedure_name) == ("dossier", code, name)


def test_a_refused_note_shows_the_error_summary_in_view_on_a_small_phone(open_page, demo):  # type: ignore[no-untyped-def]
    page = open_page(360, 740)
    sign_in(page, "tinhnguyen")
    page.goto("/desk/session/new/")
    page.get_by_text("Nộp hồ sơ trực tuyến", exact=True).click()
    page.fill("#id_procedure_name", "Đăng ký khai sinh")
    page.locator("summary", has_text="Về người dân").click()
    page.fill("#id_duration_minutes", "25")
    note = "Bác quên, đặt lại mật khẩu là Hoa@2024"
    page.fill("#id_notes", note)
    page.click("#save-session")
    page.wait_for_load_state()
    summary = page.locator("#error-summary")
    summary.wait_for()
    # In view and focused: not 2,500 px down the page.
    box = summary.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + 40 <= 740
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert "Có lỗi cần sửa" in summary.inner_text()
    assert page.title().startswith("Lỗi: ")
    page.screenshot(path="/tmp/desk-helpdesk-summary.png")
    # Everything typed is kept.
    assert page.locator("#id_notes").input_value() == note
    assert page.locator("#id_procedure_name").input_value() == "Đăng ký khai sinh"
    assert page.locator("#id_duration_minutes").input_value() == "25"
    assert page.locator("input[name=need][value=dossier]").is_checked()
    # The summary's link leads to the notes field.
    summary.get_by_role("link").first.click()
    notes = page.locator("#id_notes").bounding_box()
    assert notes is not None and 0 <= notes["y"] < 740
    assert not HelpSession.objects.exists()
