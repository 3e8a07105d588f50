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

from tests.browser.conftest import screenshot, sign_in
from xungkich.demo.area import DEMO_PASSWORD
from xungkich.places.models import ServicePoint
from xungkich.rosters.models import Assignment, RosterPeriod, ShiftPattern

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


# --- The day-before reminder: its links, followed in the browser -------------------------------


def reminded_volunteer(settings, live_server, *, with_login: bool = False):  # type: ignore[no-untyped-def]
    """A volunteer on tomorrow's published shift, reminded by e-mail with links to the live server.

    Returns the volunteer's assignment and the reminder e-mail (mail.outbox)."""
    from django.core import mail

    from xungkich.people import services as people_services
    from xungkich.people.models import OrgUnit, Role, User, Volunteer
    from xungkich.rosters import notify
    from xungkich.rosters.tests.mine_data import make_roster

    settings.XK_BASE_URL = live_server.url
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    unit = people_services.create_unit(
        by=None, name="Đoàn phường Hội An", kind=OrgUnit.Kind.BASE, parent=None
    )
    volunteer = people_services.create_volunteer(
        by=None,
        data={"full_name": "Nguyễn Văn An", "unit": unit, "phone": "0905123456", "email": "an@example.vn"},
    )
    if with_login:
        user = User.objects.create_user(
            username="vol", password=DEMO_PASSWORD, role=Role.VOLUNTEER, unit=unit, full_name="Nguyễn Văn An"
        )
        Volunteer.objects.filter(pk=volunteer.pk).update(user=user)
    roster = make_roster(unit, days=1, demand=2)
    assignment = Assignment.objects.create(shift=roster.shifts()[0], volunteer=volunteer)
    mail.outbox = []
    report = notify.send_shift_reminders()
    assert [a.pk for a in report.sent] == [assignment.pk]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["an@example.vn"]
    return assignment, mail.outbox[0]


def link_after(label: str, body: str) -> str:
    """The URL on the line after ``label:`` in a message's text."""
    match = re.search(re.escape(label) + r":\n(\S+)", body)
    assert match, body
    return match.group(1)


def test_the_reminders_confirm_link_works_without_signing_in(page, settings, live_server):  # type: ignore[no-untyped-def]
    assignment, message = reminded_volunteer(settings, live_server)
    url = link_after("Tôi sẽ đến", message.body)
    assert url.startswith(live_server.url + "/")

    # The volunteer opens the link from the mail app: no session on this phone.
    response = page.goto(url)
    assert response is not None and response.status == 200
    assert page.locator("h1").inner_text() == "Xác nhận ca trực"
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Có, tôi sẽ đến").click()
    assert navigation.value is not None and navigation.value.status == 200
    assert page.locator(".message.success").inner_text() == "Cảm ơn bạn: ca trực đã được xác nhận."
    screenshot(page, "roster-reminder-confirmed")
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.CONFIRMED
    assert assignment.confirmed_at is not None
    # The token in the address goes to this site only, never to another one in a Referer header.
    assert response.headers.get("referrer-policy") == "same-origin"


def test_the_reminders_cant_come_link_works_when_signed_in(page, settings, live_server):  # type: ignore[no-untyped-def]
    assignment, message = reminded_volunteer(settings, live_server, with_login=True)
    url = link_after("Tôi không đến được", message.body)

    # Signed in on this phone already: the link works the same, and offers the way to all shifts.
    sign_in(page, "vol")
    response = page.goto(url)
    assert response is not None and response.status == 200
    page.fill("textarea[name=reason]", "Em bị sốt, xin phép nghỉ")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Tôi không đến được").click()
    assert navigation.value is not None and navigation.value.status == 200
    assert page.locator(".message.success").inner_text().startswith("Đã ghi nhận: bạn không đến được.")
    assert page.get_by_role("link", name="Xem tất cả ca trực của tôi").is_visible()
    screenshot(page, "roster-reminder-cant-come")
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.CANT_COME
    assert assignment.reason == "Em bị sốt, xin phép nghỉ"


def test_my_finished_shifts_say_what_happened(page, settings, live_server):  # type: ignore[no-untyped-def]
    from xungkich.people import services as people_services
    from xungkich.people.models import OrgUnit, Role, User, Volunteer
    from xungkich.rosters.tests.mine_data import make_roster

    unit = people_services.create_unit(
        by=None, name="Đoàn phường Hội An", kind=OrgUnit.Kind.BASE, parent=None
    )
    user = User.objects.create_user(
        username="vol", password=DEMO_PASSWORD, role=Role.VOLUNTEER, unit=unit, full_name="Nguyễn Văn An"
    )
    people_services.create_volunteer(by=None, data={"full_name": "Nguyễn Văn An", "unit": unit})
    Volunteer.objects.filter(full_name="Nguyễn Văn An").update(user=user)
    volunteer = Volunteer.objects.get(user=user)
    roster = make_roster(unit, start=timezone.localdate() - dt.timedelta(days=3), days=2)
    served, missed = roster.shifts()
    Assignment.objects.create(
        shift=served,
        volunteer=volunteer,
        status="confirmed",
        check_in_at=served.start,
        check_out_at=served.end,
    )
    Assignment.objects.create(shift=missed, volunteer=volunteer, no_show=True)

    sign_in(page, "vol")
    page.goto("/rosters/mine/")
    page.locator("details.recent summary").click()
    badges = page.locator("details.recent .shift-status .badge")
    assert badges.all_inner_texts() == ["Vắng mặt", "Đã làm"]  # the latest first
    assert page.get_by_text("Đã lên lịch").count() == 0
    screenshot(page, "roster-finished-shifts")


def test_a_second_period_over_the_same_days_is_refused_on_the_form(page):  # type: ignore[no-untyped-def]
    from xungkich.people import services as people_services
    from xungkich.people.models import OrgUnit, Role, User
    from xungkich.rosters.tests.mine_data import make_roster

    unit = people_services.create_unit(
        by=None, name="Đoàn phường Hội An", kind=OrgUnit.Kind.BASE, parent=None
    )
    User.objects.create_user(
        username="dieuphoi2",
        password=DEMO_PASSWORD,
        role=Role.COORDINATOR,
        unit=unit,
        full_name="Trần Điều Phối",
    )
    first = dt.date(2030, 1, 7)
    week = make_roster(unit, start=first, days=7, demand=3)

    sign_in(page, "dieuphoi2")
    page.goto("/rosters/plan/new/")
    page.fill("input[name=name]", "Tuần trùng")
    page.fill("input[name=start]", "10/01/2030")
    page.fill("input[name=days]", "7")
    with page.expect_navigation() as navigation:
        page.click("main form button[type=submit]")
    assert navigation.value is not None and navigation.value.status == 200
    error = page.locator("main .message.error")
    assert week.period.name in error.inner_text() and "07/01/2030–13/01/2030" in error.inner_text()
    screenshot(page, "roster-period-overlap")
    assert RosterPeriod.objects.filter(unit=unit).count() == 1
