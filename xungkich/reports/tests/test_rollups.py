"""Rollups equal the raw records: on random data (seeded), after a rebuild and after incremental
refreshes of the changed (day, point) keys, for every unit subtree and several periods."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time

from xungkich.helpdesk.models import FollowUp, HelpSession, Outcome
from xungkich.helpdesk.services import habit_figure
from xungkich.reports import figures as f
from xungkich.reports import rollups
from xungkich.reports.models import DailyFigure
from xungkich.reports.synthetic import Place
from xungkich.reports.tests.data import DECEMBER, fill_randomly, local_day, make_roster, make_volunteers
from xungkich.reports.tests.help_data import make_campaign_work, make_ratings, make_sessions
from xungkich.rosters.attendance import hours
from xungkich.rosters.models import Assignment, RosterPeriod
from xungkich.rosters.tests.test_attendance_data import make_point

pytestmark = pytest.mark.django_db

RANGES = [
    (DECEMBER, DECEMBER + dt.timedelta(days=30)),
    (DECEMBER + dt.timedelta(days=3), DECEMBER + dt.timedelta(days=9)),
    (DECEMBER + dt.timedelta(days=13), DECEMBER + dt.timedelta(days=13)),
    # Whole weeks (7–13 and 14–20 December) between left-over days at both ends.
    (DECEMBER + dt.timedelta(days=1), DECEMBER + dt.timedelta(days=22)),
    # A week across the month end (30 November – 6 December), then 7–13 December, days around.
    (DECEMBER - dt.timedelta(days=6), DECEMBER + dt.timedelta(days=15)),
]


@pytest.fixture
def world(units):
    rng = random.Random(20261207)
    points = [
        make_point(units["hoian"]),
        make_point(units["branch"], "Điểm Minh An"),
        make_point(units["other"], "Hải Châu"),
    ]
    shifts = []
    # One unit's periods never overlap, nor its parent's (the rosters refuse it): the branch's
    # roster follows Hội An's, and the draft comes after both.
    for point, start in zip(points, (DECEMBER, DECEMBER + dt.timedelta(days=14), DECEMBER), strict=True):
        shifts += make_roster(point, start=start, days=14, demand=rng.randint(1, 3))
    draft_start = DECEMBER + dt.timedelta(days=28)
    make_roster(make_point(units["hoian"], "Nháp"), start=draft_start, publish=False)  # drafts never count
    volunteers = make_volunteers(units["hoian"], 6)
    fill_randomly(rng, shifts, volunteers)
    places = [Place(p.unit_id, p.pk) for p in points] + [
        Place(units["branch"].pk, None),
        Place(units["city"].pk, None),
    ]
    make_sessions(rng, places=places, start=DECEMBER, days=20, count=160)
    make_ratings(rng, point=points[0], start=DECEMBER, days=20, count=30)
    make_campaign_work(rng, units=[units["hoian"], units["branch"], units["other"]], start=DECEMBER, days=20)
    return rng, points, shifts, volunteers


def assert_same(units):
    for unit in units.values():
        for start, end in RANGES:
            assert rollups.figures(unit=unit, start=start, end=end) == rollups.raw_figures(
                unit=unit, start=start, end=end
            ), (unit, start, end)


# Read when every shift of the world has ended (staffing counts ended shifts only).
AFTER_DECEMBER = "2027-01-10 05:00:00"


@freeze_time(AFTER_DECEMBER)
def test_a_rebuild_gives_the_raw_figures_everywhere(units, world):
    rollups.rebuild(start=DECEMBER, end=DECEMBER + dt.timedelta(days=30))
    assert DailyFigure.objects.exists()
    assert_same(units)
    city = rollups.figures(unit=units["city"], start=DECEMBER, end=DECEMBER + dt.timedelta(days=30))
    assert city.total(f.SHIFTS) == 14 * 3


@freeze_time(AFTER_DECEMBER)
def test_the_hours_are_the_hours_pages_hours(units, world):
    rollups.rebuild(start=DECEMBER, end=DECEMBER + dt.timedelta(days=30))
    rows = hours.attendance_rows(start=DECEMBER, end=DECEMBER + dt.timedelta(days=30))
    summary = hours.total(rows)
    city = rollups.figures(unit=units["city"], start=DECEMBER, end=DECEMBER + dt.timedelta(days=30))
    assert summary.hours > 0
    assert city.volunteer_hours == summary.hours
    assert city.total(f.NO_SHOWS) == summary.no_shows
    assert city.total(f.CHECK_INS) == summary.served
    assert city.total(f.LATE) == summary.late


def test_incremental_refreshes_of_changed_keys_keep_the_rollups_exact(units, world):
    rng, _points, shifts, volunteers = world
    rollups.rebuild(start=DECEMBER, end=DECEMBER + dt.timedelta(days=30))
    for _round in range(40):
        shift = rng.choice(shifts)
        existing = list(Assignment.objects.filter(shift=shift))
        if existing and rng.random() < 0.3:
            rng.choice(existing).delete()
        elif existing and rng.random() < 0.6:
            Assignment.objects.filter(pk=rng.choice(existing).pk).update(
                no_show=True, check_in_at=None, check_out_at=None
            )
        else:
            taken = {a.volunteer_id for a in existing}
            free = [v for v in volunteers if v.pk not in taken]
            if free:
                fill_randomly(rng, [shift], free[:1])
        rollups.refresh_for(source="roster", day=local_day(shift.start), point_id=shift.point_id)
    assert_same(units)


def test_a_stale_key_shows_until_refreshed(units, world):
    """The rollups are what the dashboard reads: an unrefreshed change is not seen (no raw scan)."""
    _rng, _points, shifts, _volunteers = world
    rollups.rebuild(start=DECEMBER, end=DECEMBER + dt.timedelta(days=30))
    rollups.drain()  # what publishing the world's rosters marked (the rebuild has it already)
    shift = shifts[0]
    RosterPeriod.objects.filter(pk=shift.period_id).update(status=RosterPeriod.Status.DRAFT)
    day = local_day(shift.start)
    before = rollups.figures(unit=units["city"], start=day, end=day)
    assert before != rollups.raw_figures(unit=units["city"], start=day, end=day)
    rollups.refresh_for(source="roster", day=day, point_id=shift.point_id)
    assert rollups.figures(unit=units["city"], start=day, end=day) == rollups.raw_figures(
        unit=units["city"], start=day, end=day
    )


def test_refresh_by_unit_needs_a_unit_or_point():
    with pytest.raises(ValueError):
        rollups.refresh_for(source="roster", day=DECEMBER)


def test_rebuild_command_replaces_everything_in_the_range(units, world, capsys):
    DailyFigure.objects.create(day=DECEMBER, unit=units["hoian"], source="roster", metric=f.SHIFTS, value=999)
    call_command("rebuild_rollups", "--from", "01/12/2026", "--to", "31/12/2026")
    assert_same(units)
    assert "rows" in capsys.readouterr().out


def test_help_figures_count_what_the_records_say(units, world):
    rollups.rebuild(start=DECEMBER, end=DECEMBER + dt.timedelta(days=30))
    city = rollups.figures(unit=units["city"], start=DECEMBER, end=DECEMBER + dt.timedelta(days=30))
    sessions = list(HelpSession.objects.select_related("ward"))
    assert city.total(f.SESSIONS) == len(sessions) == 160
    assert city.total(f.ACCOUNTS_CREATED) == sum(
        1 for s in sessions if s.need == "account" and s.outcome == Outcome.DONE
    )
    assert city.total(f.FAILED) == sum(1 for s in sessions if s.outcome == Outcome.FAILED)
    assert city.total(f.MINUTES) == sum(s.duration_minutes or 0 for s in sessions)
    by_ward = Counter(s.ward.code if s.ward else f.UNKNOWN for s in sessions)
    assert city.breakdowns[f.BY_WARD] == dict(by_ward)
    failures = Counter(s.failure_reason for s in sessions if s.outcome == Outcome.FAILED)
    assert city.breakdowns[f.BY_FAILURE] == dict(failures)
    habit = habit_figure(FollowUp.objects.all())
    assert (city.total(f.FOLLOWUPS_ANSWERED), city.total(f.FOLLOWUPS_ALONE)) == (
        habit.answered,
        habit.did_alone,
    )
    assert city.total(f.RATINGS) == 30
    assert 1 <= city.average_rating <= 5
    hoian = rollups.figures(unit=units["hoian"], start=DECEMBER, end=DECEMBER + dt.timedelta(days=30))
    assert hoian.total(f.SESSIONS) == sum(
        1 for s in sessions if s.unit_id in (units["hoian"].pk, units["branch"].pk)
    )


def test_incremental_refreshes_after_help_sessions_change(units, world):
    rng, _points, _shifts, _volunteers = world
    rollups.rebuild(start=DECEMBER, end=DECEMBER + dt.timedelta(days=30))
    sessions = list(HelpSession.objects.all())
    for session in rng.sample(sessions, 25):
        key = {"day": session.helped_on, "point_id": session.point_id, "unit_id": session.unit_id}
        action = rng.random()
        if action < 0.3:
            session.delete()
        elif action < 0.6:
            HelpSession.objects.filter(pk=session.pk).update(outcome=Outcome.FAILED, failure_reason="no_otp")
        else:  # moved to another day: both keys change
            new_day = DECEMBER + dt.timedelta(days=rng.randrange(20))
            HelpSession.objects.filter(pk=session.pk).update(helped_on=new_day)
            rollups.refresh_for(
                source="help", day=new_day, point_id=session.point_id, unit_id=session.unit_id
            )
        rollups.refresh_for(source="help", **key)
    assert_same(units)


def test_changes_since_a_moment_are_refreshed_by_the_catch_up(units, world):
    rollups.rebuild(start=DECEMBER, end=DECEMBER + dt.timedelta(days=30))
    mark = timezone.now()
    session = HelpSession.objects.filter(point__isnull=True).first()
    session.outcome = Outcome.FAILED
    session.failure_reason = "no_nfc"
    session.save()
    assert_different = rollups.figures(
        unit=units["city"], start=DECEMBER, end=DECEMBER + dt.timedelta(days=30)
    )
    assert assert_different != rollups.raw_figures(
        unit=units["city"], start=DECEMBER, end=DECEMBER + dt.timedelta(days=30)
    )
    refreshed = rollups.refresh_changed(since=mark)
    assert refreshed["help"] == 1
    assert_same(units)


def test_campaign_figures_count_activities_and_events(units, world):
    from xungkich.campaigns.models import Activity, Registration

    rollups.rebuild(start=DECEMBER, end=DECEMBER + dt.timedelta(days=30))
    hoian = rollups.figures(unit=units["hoian"], start=DECEMBER, end=DECEMBER + dt.timedelta(days=30))
    mine = Activity.objects.filter(campaign__unit__in=[units["hoian"], units["branch"]])
    assert hoian.total(f.PEOPLE_REACHED) == sum(a.people_reached for a in mine) > 0
    assert hoian.total(f.ACTIVITIES) == mine.count()
    registrations = Registration.objects.filter(event__campaign__unit__in=[units["hoian"], units["branch"]])
    assert hoian.total(f.REGISTRATIONS) == registrations.filter(status="confirmed").count()
    assert hoian.total(f.EVENT_CHECK_INS) == registrations.filter(checked_in_at__isnull=False).count()
    assert sum(hoian.breakdowns[f.BY_ACTIVITY_KIND].values()) == mine.count()


def test_incremental_refresh_after_a_campaign_activity_changes(units, world):
    from xungkich.campaigns.models import Activity

    rollups.rebuild(start=DECEMBER, end=DECEMBER + dt.timedelta(days=30))
    activity = Activity.objects.filter(campaign__unit=units["branch"]).first()
    Activity.objects.filter(pk=activity.pk).update(people_reached=12345)
    rollups.refresh_for(source="campaigns", day=activity.date, unit_id=units["branch"].pk)
    assert_same(units)


def test_recording_help_keeps_the_rollups_current_without_a_refresh(units, coordinator, world):
    """The help desk's services mark their key in the same transaction and the reader drains it: the
    dashboard sees a new or edited session and a rating at once, with the raw records' figures."""
    import dataclasses
    import secrets

    from xungkich.helpdesk import services as helpdesk
    from xungkich.tickets.models import Ticket

    _rng, points, _shifts, _volunteers = world
    today = timezone.localdate()
    rollups.rebuild(start=today, end=today)
    before = rollups.figures(unit=units["city"], start=today, end=today)
    data = helpdesk.SessionInput(need="account", outcome="done", point=points[0])
    session = helpdesk.create_help_session(by=coordinator, data=data)
    helpdesk.update_help_session(by=coordinator, session=session, data=dataclasses.replace(data, need="app"))
    ticket = Ticket.objects.create(
        point=points[0], day=today, number=1, need="account", public_token=secrets.token_urlsafe(16)
    )
    helpdesk.rate_ticket(ticket=ticket, score=4)
    after = rollups.figures(unit=units["city"], start=today, end=today)
    assert after != before
    assert after == rollups.raw_figures(unit=units["city"], start=today, end=today)
