"""The queue in the browser: a kiosk hands out a number, the TV board shows it, a volunteer calls
it and finishes; the board survives the network dropping and announces calls."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from tests.browser.conftest import screenshot
from xungkich.people.demo import DEMO_PASSWORD
from xungkich.rosters.models import ServicePoint
from xungkich.tickets.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db):  # type: ignore[no-untyped-def]
    call_command("load_demo", volume=0, stdout=io.StringIO())
    from django.core.cache import cache

    cache.clear()


def sign_in(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login" not in url)


def test_kiosk_board_and_desk_loop(open_page, demo):  # type: ignore[no-untyped-def]
    point = ServicePoint.objects.get(unit__name="Đoàn phường Hội An")
    kiosk = open_page(800, 1280)
    sign_in(kiosk, "kiosk")
    kiosk.get_by_role("navigation").get_by_role("link", name="Máy lấy số").click()
    kiosk.click("#need-account")
    assert kiosk.locator("#ticket-number").inner_text() == "001"
    assert "Bạn là người tiếp theo." in kiosk.locator("#ticket-status").inner_text()
    screenshot(kiosk, "tickets-kiosk-issued")

    board = open_page(1280, 720)
    board.goto(f"/board/{point.pk}/")
    board.wait_for_function("document.getElementById('board-waiting').textContent === '1'")
    assert board.locator("#board-next").inner_text().strip() == "001"
    assert board.locator("#board-desks").inner_text().strip() == "Chưa có ai ở bàn"

    volunteer = open_page(390, 844)
    sign_in(volunteer, "tinhnguyen")
    volunteer.click("#menu-toggle")  # on a phone the main menu is folded
    volunteer.get_by_role("navigation").get_by_role("link", name="Hàng chờ").click()
    volunteer.fill("#id_desk", "Bàn 2")
    volunteer.click("#choose-desk")
    volunteer.click("#call-next")
    assert volunteer.locator("#current-number").inner_text() == "001"
    screenshot(volunteer, "tickets-desk-called")

    board.wait_for_function("document.getElementById('board-desks').textContent.includes('Bàn 2')")
    assert re.sub(r"\s+", " ", board.locator("#board-desks").inner_text()).strip() == "001 Bàn 2"
    assert board.locator("#board").get_attribute("data-last-announcement") == "Mời số 1 đến Bàn 2."
    assert board.locator("#board-waiting").inner_text() == "0"
    screenshot(board, "tickets-board-serving")

    # The network drops: the board says it is reconnecting and keeps the last numbers.
    board.route("**/api/v1/board/**", lambda route: route.abort())
    board.locator("#board-connection").wait_for(state="visible")
    assert "001" in board.locator("#board-desks").inner_text()
    screenshot(board, "tickets-board-offline")
    volunteer.click("#action-recall")
    board.unroute("**/api/v1/board/**")
    board.locator("#board-connection").wait_for(state="hidden", timeout=20_000)
    board.wait_for_function(
        "document.getElementById('board').dataset.lastAnnouncement === 'Mời số 1 đến Bàn 2.'"
    )

    volunteer.click("#action-finish")
    link = volunteer.locator("#record-session")
    ticket = Ticket.objects.get()
    assert link.get_attribute("href") == f"/desk/session/new/?ticket={ticket.pk}"
    assert ticket.status == Ticket.Status.DONE
    assert ticket.calls == 2
    board.wait_for_function("document.getElementById('board-desks').textContent.includes('Chưa có ai')")


def test_citizen_takes_a_number_on_a_phone(page, demo):  # type: ignore[no-untyped-def]
    point = ServicePoint.objects.get(unit__name="Đoàn phường Hội An")
    page.goto(f"/q/{point.pk}/")
    page.get_by_role("button", name="Nộp hồ sơ trực tuyến").click()
    assert page.locator("#ticket-number").inner_text() == "001"
    assert page.locator("meta[http-equiv=refresh]").count() == 1
    screenshot(page, "tickets-phone")
    page.get_by_role("button", name="Tôi không chờ nữa").click()
    assert page.locator("#ticket-status").inner_text() == "Đã huỷ"
