"""The Content-Security-Policy in a real browser: the main pages load and work with no violation.

Chromium reports every refused inline script, inline style or handler on the console and as a
``securitypolicyviolation`` event; both are collected and must stay empty while the pages are used.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.browser.conftest import screenshot, sign_in
from xungkich.campaigns import services as campaign_services
from xungkich.campaigns.models import Event, Registration
from xungkich.guides.models import Guide
from xungkich.people.models import OrgUnit, User
from xungkich.places.models import ServicePoint
from xungkich.rosters.models import ShiftPattern

pytestmark = pytest.mark.django_db(transaction=True)

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("CSP violation: " + event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def demo(transactional_db):  # type: ignore[no-untyped-def]
    call_command("load_demo", volume=0, stdout=io.StringIO())
    from django.core.cache import cache

    ShiftPattern.objects.update(is_active=False)  # the queue is open whatever hour the suite runs
    cache.clear()
    coordinator = User.objects.get(username="dieuphoi")
    campaign = campaign_services.create_campaign(
        by=coordinator,
        data={
            "name": "Ngày Chuyển đổi số",
            "unit": coordinator.unit,
            "start_date": timezone.localdate() - dt.timedelta(days=1),
            "end_date": timezone.localdate() + dt.timedelta(days=30),
        },
        units=[OrgUnit.objects.get(name="Đoàn phường Hội An")],
    )
    event = campaign_services.create_event(
        campaign=campaign,
        by=coordinator,
        data={
            "title": "Hướng dẫn cài VNeID",
            "starts_at": timezone.now() + dt.timedelta(hours=1),
            "place": "Nhà văn hoá phường",
            "capacity": 20,
            "registration_open": True,
            "audience": Event.Audience.CITIZENS,
        },
    )
    registration = campaign_services.register(
        event=event,
        full_name="Phạm Thị Hạnh",
        phone="+84905777111",
        unit=None,
        unit_text="",
        consent_version=campaign_services.consent_version_for(event),
    )
    return {
        "event": event,
        "registration": registration,
        "point": ServicePoint.objects.get(unit__name="Đoàn phường Hội An"),
    }


def watch(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Every CSP complaint the page makes from now on."""
    found: list[str] = []
    page.add_init_script(REPORT_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            found.append(message.text)
            if "Content Security Policy" in message.text or "CSP violation" in message.text
            else None
        ),
    )
    return found


def test_the_watch_sees_a_violation(page, demo):  # type: ignore[no-untyped-def]
    """The net itself: an inline script slipped into a page is refused and reported."""
    violations = watch(page)
    response = page.goto("/accounts/login/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
        " document.body.appendChild(s); }"
    )
    assert page.evaluate("() => window.ran") is None
    page.wait_for_timeout(200)
    assert violations, "an inline script must be reported"


def test_coordinator_pages_work_without_a_violation(page, demo):  # type: ignore[no-untyped-def]
    violations = watch(page)
    sign_in(page, "dieuphoi")
    event, registration, point = demo["event"], demo["registration"], demo["point"]
    guide = Guide.objects.filter(status=Guide.Status.PUBLISHED).first()
    assert guide is not None
    for url in (
        reverse("home"),
        reverse("reports:dashboard"),
        reverse("rosters:period_list"),
        reverse("people:unit_list"),
        reverse("rosters:desk_index"),
        reverse("guides:hub"),
        reverse("guides:guide", args=[guide.slug]),
        reverse("campaigns:event_detail", args=[event.pk]),
    ):
        response = page.goto(url)
        assert response.status == 200, url
        assert "no-store" in response.headers["cache-control"], url
        page.wait_for_load_state("networkidle")
    # The unit tree is indented by depth classes, not style attributes.
    branch = page.goto(reverse("people:unit_list")) and page.locator(".tree > li.depth-2").first
    top = page.locator(".tree > li.depth-1").first  # the coordinator's own unit
    assert branch.bounding_box()["x"] > top.bounding_box()["x"]
    screenshot(page, "headers-unit-tree")

    # htmx: the procedure search updates the results as one types.
    page.goto(reverse("search:search"))
    page.fill("#search-q", "khai sinh")
    page.wait_for_url(re.compile(r"q=khai"))
    page.locator("#search-results").get_by_text(re.compile("khai sinh", re.IGNORECASE)).first.wait_for()

    # htmx: event check-in by the code printed on the ticket.
    page.goto(reverse("campaigns:event_checkin", args=[event.pk]))
    page.fill("#id_code", registration.code)
    page.click("#checkin-submit")
    page.wait_for_selector("#checkin-outcome[data-code=ok]")
    assert Registration.objects.get(pk=registration.pk).checked_in_at is not None
    screenshot(page, "headers-event-checkin")

    # The poster asks before making a new code (a data-confirm button, not onclick=).
    page.goto(reverse("rosters:point_poster", args=[point.pk]))
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Tạo mã mới").click()
    assert asked == ["Tạo mã mới? Các áp phích đã in sẽ không còn dùng được."]
    page.wait_for_timeout(300)
    assert ServicePoint.objects.get(pk=point.pk).checkin_token == point.checkin_token  # dismissed
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_role("button", name="Tạo mã mới").click()
    assert ServicePoint.objects.get(pk=point.pk).checkin_token != point.checkin_token  # accepted
    screenshot(page, "headers-poster")

    # The language switcher submits on change (data-autosubmit, not onchange=).
    page.get_by_label("Ngôn ngữ").select_option("en")
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert violations == []


def test_queue_and_volunteer_pages_work_without_a_violation(open_page, demo):  # type: ignore[no-untyped-def]
    point = demo["point"]
    kiosk = open_page(800, 1280)
    board = open_page(1280, 720)
    volunteer = open_page(390, 844)
    violations = [watch(kiosk), watch(board), watch(volunteer)]

    sign_in(kiosk, "kiosk")
    kiosk.goto(reverse("tickets:kiosk", args=[point.pk]))
    kiosk.click("#need-account")
    assert kiosk.locator("#ticket-number").inner_text() == "001"
    screenshot(kiosk, "headers-kiosk")

    board.goto(reverse("tickets:board", args=[point.pk]))
    board.wait_for_function("() => document.getElementById('board-waiting').textContent === '1'")

    sign_in(volunteer, "tinhnguyen")
    volunteer.goto(reverse("tickets:desk_index"))
    volunteer.fill("#id_desk", "Bàn 2")
    volunteer.click("#choose-desk")
    volunteer.click("#call-next")
    assert volunteer.locator("#current-number").inner_text() == "001"
    board.wait_for_function("() => document.getElementById('board-desks').textContent.includes('Bàn 2')")

    # My shifts: the calendar link is copied by page.js (no inline script on the page).
    volunteer.context.grant_permissions(["clipboard-read", "clipboard-write"])
    volunteer.goto(reverse("rosters:my_shifts"))
    volunteer.get_by_role("button", name="Sao chép").click()
    volunteer.get_by_role("button", name="Đã sao chép").wait_for()
    copied = volunteer.evaluate("() => navigator.clipboard.readText()")
    assert copied == volunteer.locator("#feed-url").input_value()
    assert "/rosters/" in copied
    screenshot(volunteer, "headers-my-shifts")
    assert violations == [[], [], []]
