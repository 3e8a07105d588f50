"""The duty-rotation loop in the browser: plan → solve → publish → my shifts → check-in.

The coordinator adds a shift pattern that starts a few minutes from now (check-in opens an hour
before a shift), plans a period from today, runs the solver, publishes; the volunteer finds the shift
under "My shifts", confirms it, scans the point's poster and checks in.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.browser.conftest import screenshot
from tests.browser.test_foundation import sign_in
from xungkich.rosters.models import Assignment, RosterPeriod, ServicePoint, ShiftPattern

pytestmark = pytest.mark.django_db(transaction=True)


def sign_out(page) -> None:  # type: ignore[no-untyped-def]
    page.locator("form[action$='/logout/'] button").click()
    page.wait_for_url(lambda url: "/accounts/login" in url or url.endswith("/"))


def soon() -> tuple[dt.date, dt.time, dt.time]:
    """A shift from ten minutes from now, local time, ending within the same day."""
    start = timezone.localtime() + dt.timedelta(minutes=10)
    end = min(start + dt.timedelta(minutes=50), start.replace(hour=23, minute=59))
    minute = {"second": 0, "microsecond": 0}
    return start.date(), start.time().replace(**minute), end.time().replace(**minute)


def test_plan_solve_publish_then_the_volunteer_checks_in(page):  # type: ignore[no-untyped-def]
    call_command("load_demo", volume=0, stdout=io.StringIO())
    point = ServicePoint.objects.get(unit__name="Đoàn phường Hội An")
    # Only the pattern made below, so that the roster is small and the shift is the volunteer's.
    ShiftPattern.objects.update(is_active=False)
    day, start, end = soon()
    today = timezone.localdate()

    sign_in(page, "dieuphoi")
    page.goto(f"/rosters/points/{point.pk}/patterns/new/")
    page.fill("input[name=name]", "Ca kiểm thử")
    for box in page.locator("input[name=weekdays]").all():
        box.uncheck()
    page.check(f"input[name=weekdays][value='{day.isoweekday()}']")
    page.fill("input[name=start_time]", start.strftime("%H:%M"))
    page.fill("input[name=end_time]", end.strftime("%H:%M"))
    page.fill("input[name=demand]", "40")  # room for every demo volunteer
    page.fill("input[name=seniors]", "1")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/rosters/points/\d+/$"))

    page.goto("/rosters/plan/new/")
    page.fill("input[name=name]", "Tuần kiểm thử")
    page.fill("input[name=start]", today.strftime("%d/%m/%Y"))
    page.fill("input[name=days]", "7")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/rosters/plan/\d+/$"))
    period = RosterPeriod.objects.get(name="Tuần kiểm thử")
    assert period.shifts.count() >= 1

    page.select_option("select[name=time_limit]", "10")
    with page.expect_navigation():
        page.click("#run-solver")
    # The solver finished inside the request (immediate task backend in tests).
    assert page.locator(".message.success").first.is_visible()
    assert page.get_by_text("Lê Minh Châu").first.is_visible()
    screenshot(page, "roster-solved")

    page.click(f"a[href='/rosters/plan/{period.pk}/publish/']")
    with page.expect_navigation():
        page.click("#confirm-publish")
    period.refresh_from_db()
    assert period.status == RosterPeriod.Status.PUBLISHED
    sign_out(page)

    sign_in(page, "tinhnguyen")
    page.goto("/rosters/mine/")
    assignment = Assignment.objects.get(shift__period=period, volunteer__user__username="tinhnguyen")
    card = page.locator(f"#assignment-{assignment.pk}")
    assert card.is_visible()
    screenshot(page, "roster-my-shifts")
    card.locator("form[action$='/confirm/'] button").click()
    page.locator(f"#assignment-{assignment.pk} .badge.status-confirmed").wait_for()
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.CONFIRMED

    # Scanning the poster at the desk opens the point's check-in page.
    page.goto(f"/rosters/checkin/{point.checkin_token}/")
    with page.expect_navigation():
        page.click("button.checkin-button")
    assert page.locator(".message").first.is_visible()
    screenshot(page, "roster-checked-in")
    assignment.refresh_from_db()
    assert assignment.check_in_at is not None
