"""The whole help-desk loop across four screens: a citizen takes a number at the kiosk → the TV board
shows it → a volunteer calls it and records the help session → the board moves on to the next
number → the citizen rates the help from the page their ticket's QR code opens."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import screenshot, sign_in
from tests.browser.test_tickets import demo  # noqa: F401 — the demo fixture with the queue open at any hour
from xungkich.helpdesk.models import HelpSession, Rating
from xungkich.places.models import ServicePoint
from xungkich.tickets.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True)


def test_kiosk_to_board_to_desk_to_rating(open_page, demo):  # type: ignore[no-untyped-def]  # noqa: F811
    point = ServicePoint.objects.get(unit__name="Đoàn phường Hội An")

    kiosk = open_page(800, 1280)
    sign_in(kiosk, "kiosk")
    kiosk.goto(f"/kiosk/{point.pk}/")
    kiosk.click("#need-account")
    assert kiosk.locator("#ticket-number").inner_text() == "001"
    first = Ticket.objects.get(number=1)
    kiosk.goto(f"/kiosk/{point.pk}/")
    kiosk.click("#need-payment")
    assert kiosk.locator("#ticket-number").inner_text() == "002"

    board = open_page(1280, 720)
    board.goto(f"/board/{point.pk}/")
    board.wait_for_function("() => document.getElementById('board-waiting').textContent === '2'")
    assert board.locator("#board-next").inner_text().strip().startswith("001")

    volunteer = open_page(390, 844)
    sign_in(volunteer, "tinhnguyen")
    volunteer.goto("/desk/queue/")
    volunteer.fill("#id_desk", "Bàn 1")
    volunteer.click("#choose-desk")
    volunteer.click("#call-next")
    assert volunteer.locator("#current-number").inner_text() == "001"
    board.wait_for_function("() => document.getElementById('board-desks').textContent.includes('Bàn 1')")
    assert re.sub(r"\s+", " ", board.locator("#board-desks").inner_text()).strip() == "001 Bàn 1"

    volunteer.click("#action-finish")
    volunteer.click("#record-session")
    volunteer.wait_for_url(f"**/desk/session/new/?ticket={first.pk}")
    assert volunteer.locator("#password-reminder").is_visible()
    volunteer.click("#save-session")  # the need comes from the ticket; the rest is preset
    volunteer.wait_for_url("**/desk/session/*/")
    session = HelpSession.objects.get()
    assert (session.ticket_id, session.need, session.outcome) == (first.pk, "account", "done")
    assert session.duration_minutes is not None
    screenshot(volunteer, "loop-session-recorded")

    # The board moves on: nobody at a desk, one waiting, and 002 is next.
    board.wait_for_function("() => document.getElementById('board-desks').textContent.includes('Chưa có ai')")
    assert board.locator("#board-waiting").inner_text() == "1"
    assert board.locator("#board-next").inner_text().strip().startswith("002")
    screenshot(board, "loop-board-moved-on")

    # The kiosk's QR code opens the citizen's ticket page on their phone; once helped, it asks for a rating.
    citizen = open_page(360, 740)
    citizen.goto(f"/q/t/{first.public_token}/")
    citizen.click("#rate-help")
    citizen.locator("label.chip", has_text="5").click()
    citizen.click("#send-rating")
    citizen.locator("#rate-thanks").wait_for()
    screenshot(citizen, "loop-rated")
    rating = Rating.objects.get()
    assert (rating.ticket_id, rating.score) == (first.pk, 5)
