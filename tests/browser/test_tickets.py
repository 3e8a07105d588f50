"""The queue in the browser: a kiosk hands out a number, the TV board shows it, a volunteer calls
it and finishes; the board survives the network dropping and announces calls."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from tests.browser.conftest import screenshot, sign_in
from xungkich.places.models import ServicePoint
from xungkich.rosters.models import ShiftPattern
from xungkich.tickets.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db):  # type: ignore[no-untyped-def]
    call_command("load_demo", volume=0, stdout=io.StringIO())
    from django.core.cache import cache

    # These tests run at whatever hour the suite runs: the demo centre's duty hours (its shift
    # patterns) would close the queue at night and on Sundays; a point without hours is always open.
    ShiftPattern.objects.update(is_active=False)
    cache.clear()


def test_kiosk_board_and_desk_loop(open_page, demo):  # type: ignore[no-untyped-def]
    point = ServicePoint.objects.get(unit__name="Đoàn phường Hội An")
    kiosk = open_page(800, 1280)
    sign_in(kiosk, "kiosk")
    # In front of citizens: no staff menu and no sign-out; the home page leads to the kiosk.
    assert kiosk.get_by_role("navigation").count() == 0
    assert kiosk.get_by_text("Đăng xuất").count() == 0
    kiosk.get_by_role("main").get_by_role("link", name="Máy lấy số").click()
    assert kiosk.get_by_role("navigation").count() == 0
    assert kiosk.get_by_role("button", name=re.compile("Đăng xuất")).count() == 0
    kiosk.screenshot(path="/tmp/desk-kiosk.png")
    kiosk.click("#need-account")
    assert kiosk.locator("#ticket-number").inner_text() == "001"
    assert "Bạn là người tiếp theo." in kiosk.locator("#ticket-status").inner_text()
    screenshot(kiosk, "tickets-kiosk-issued")

    board = open_page(1280, 720)
    board.goto(f"/board/{point.pk}/")
    board.wait_for_function("() => document.getElementById('board-waiting').textContent === '1'")
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

    board.wait_for_function("() => document.getElementById('board-desks').textContent.includes('Bàn 2')")
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
        "() => document.getElementById('board').dataset.lastAnnouncement === 'Mời số 1 đến Bàn 2.'"
    )

    volunteer.click("#action-finish")
    link = volunteer.locator("#record-session")
    ticket = Ticket.objects.get()
    assert link.get_attribute("href") == f"/desk/session/new/?ticket={ticket.pk}"
    assert ticket.status == Ticket.Status.DONE
    assert ticket.calls == 2
    board.wait_for_function("() => document.getElementById('board-desks').textContent.includes('Chưa có ai')")


def test_citizen_takes_a_number_on_a_phone(page, demo):  # type: ignore[no-untyped-def]
    point = ServicePoint.objects.get(unit__name="Đoàn phường Hội An")
    page.goto(f"/q/{point.pk}/")
    page.get_by_role("button", name="Nộp hồ sơ trực tuyến").click()
    assert page.locator("#ticket-number").inner_text() == "001"
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    screenshot(page, "tickets-phone")
    page.get_by_role("button", name="Tôi không chờ nữa").click()
    assert page.locator("#ticket-status").inner_text() == "Đã huỷ"


def test_kiosk_on_a_closed_day_says_when_it_opens(page, demo):  # type: ignore[no-untyped-def]
    import datetime as dt

    from django.utils import timezone

    from xungkich.places.models import ClosedDay

    today = timezone.localdate()
    ClosedDay.objects.create(date=today, point=None, reason="Nghỉ lễ")
    tomorrow = today + dt.timedelta(days=1)
    weekdays = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]
    sign_in(page, "kiosk")
    page.goto(f"/kiosk/{ServicePoint.objects.get(unit__name='Đoàn phường Hội An').pk}/")
    page.click("#need-account")
    message = page.locator(".messages .message.error")
    assert message.inner_text() == (
        f"Trung tâm đang đóng cửa. Mở cửa lại {weekdays[tomorrow.weekday()]}, {tomorrow:%d/%m/%Y}."
    )
    assert not Ticket.objects.exists()
    page.screenshot(path="/tmp/desk-kiosk-closed.png")


def test_ticket_page_shows_the_call_without_reloading(page, demo, monkeypatch):  # type: ignore[no-untyped-def]
    from xungkich.tickets import services, views

    monkeypatch.setattr(views, "REFRESH_SECONDS", 1)
    point = ServicePoint.objects.select_related("unit").get(unit__name="Đoàn phường Hội An")
    page.goto(f"/q/{point.pk}/")
    page.get_by_role("button", name="Nộp hồ sơ trực tuyến").click()
    assert page.locator("#ticket-number").inner_text() == "001"
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    page.evaluate("window.notReloaded = true")
    services.call_next_ticket(point=point, desk="Bàn 3", by=None)
    page.wait_for_function("() => document.getElementById('ticket-status').textContent.includes('Bàn 3')")
    assert page.evaluate("window.notReloaded") is True
    assert page.locator("#ticket-status").inner_text() == "Mời bạn đến Bàn 3 ngay."
    page.screenshot(path="/tmp/desk-ticket-called.png")
    ticket = Ticket.objects.get()
    services.finish_ticket(ticket=ticket, by=None)
    page.locator("#rate-help").wait_for()
    assert page.evaluate("window.notReloaded") is True
    assert page.locator("#rate-help").count() == 1
    assert page.get_by_text("Bạn thấy sự hỗ trợ thế nào?").count() == 1
    # Done: polling stopped (htmx got 286), and the "Refresh" link is gone.
    polls: list[str] = []
    page.on("request", lambda request: polls.append(request.url))
    page.wait_for_timeout(2500)
    assert polls == []
    assert page.locator("#ticket-refresh").count() == 0
    page.screenshot(path="/tmp/desk-ticket-done.png")


def test_desk_can_call_at_once_with_the_default_desk(page, demo):  # type: ignore[no-untyped-def]
    from xungkich.tickets import services

    point = ServicePoint.objects.get(unit__name="Đoàn phường Hội An")
    services.take_ticket(point=point, need="account")
    services.take_ticket(point=point, need="payment")
    sign_in(page, "tinhnguyen")
    page.goto(f"/desk/queue/{point.pk}/")
    assert page.locator("#id_desk").input_value() == "Bàn 1"
    button = page.locator("#call-next")
    assert button.is_visible() and button.inner_text() == "Gọi số tiếp theo đến Bàn 1"
    page.screenshot(path="/tmp/desk-desk-default.png")
    button.click()
    assert page.locator("#current-number").inner_text() == "001"
    assert Ticket.objects.get(number=1).desk == "Bàn 1"
    # Remembered for today: finishing shows the call button again, still for "Bàn 1".
    page.click("#action-finish")
    assert page.locator("#call-next").inner_text() == "Gọi số tiếp theo đến Bàn 1"
    # A desk typed into the field (without "Save") is the one the next number is called to.
    page.locator("summary").click()
    page.fill("#id_desk", "Bàn 4")
    page.click("#call-next")
    assert page.locator("#current-number").inner_text() == "002"
    assert Ticket.objects.get(number=2).desk == "Bàn 4"
    page.screenshot(path="/tmp/desk-desk-called.png")


def test_the_kiosk_goes_back_to_the_start_by_itself(page, demo, monkeypatch):  # type: ignore[no-untyped-def]
    from xungkich.tickets import views

    monkeypatch.setattr(views, "KIOSK_RETURN_SECONDS", 1)
    point = ServicePoint.objects.get(unit__name="Đoàn phường Hội An")
    sign_in(page, "kiosk")
    page.goto(f"/kiosk/{point.pk}/")
    page.click("#need-payment")
    assert page.locator("#ticket-number").inner_text() == "001"
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    page.wait_for_url(f"**/kiosk/{point.pk}/", timeout=5_000)
    assert page.locator("#need-account").is_visible()
