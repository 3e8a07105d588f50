"""The services mark the figures they change: the dashboard equals the raw records at once.

No refresh or catch-up runs here. Each service call must leave its PendingChange rows (read before
``rollups.figures``, which drains them); the figures then change and equal the raw records.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from xungkich.campaigns import services as campaigns
from xungkich.campaigns.models import Activity
from xungkich.helpdesk import services as helpdesk
from xungkich.helpdesk.models import FollowUp, PlaceKind
from xungkich.people.models import OrgUnit
from xungkich.reports import figures as f
from xungkich.reports import rollups
from xungkich.reports.figures import Figures
from xungkich.reports.models import PendingChange
from xungkich.reports.tests.data import make_volunteers
from xungkich.rosters import services as rosters
from xungkich.rosters.attendance import services as attendance
from xungkich.rosters.mine import changes
from xungkich.rosters.tests import mine_data
from xungkich.rosters.tests.test_attendance_data import DAY, TZ, assign, local, make_point, make_shift

pytestmark = pytest.mark.django_db

Marked = tuple[str, dt.date, int | None, int | None]


def marked() -> list[Marked]:
    """The changes the services marked, oldest first (before ``figures`` drains them)."""
    return list(PendingChange.objects.order_by("pk").values_list("source", "day", "point_id", "unit_id"))


def current(unit: OrgUnit, start: dt.date, end: dt.date | None = None) -> Figures:
    """What the dashboard reads now (its own drain, no refresh): the raw records' figures."""
    end = end or start
    figures = rollups.figures(unit=unit, start=start, end=end)
    assert figures == rollups.raw_figures(unit=unit, start=start, end=end)
    assert not PendingChange.objects.exists()
    return figures


# --- Help follow-ups ---------------------------------------------------------------------------


def test_answering_a_follow_up_keeps_the_rollups_current(units, coordinator):
    point = make_point(units["hoian"])
    data = helpdesk.SessionInput(
        need="account", point=point, followup_consent=True, followup_phone="0905123456"
    )
    session = helpdesk.create_help_session(by=coordinator, data=data)
    today = session.helped_on
    before = current(units["city"], today)

    helpdesk.record_followup_answer(by=coordinator, followup=session.followup, answer="yes")
    assert marked() == [("help", today, point.pk, None)]
    after = current(units["city"], today)
    assert after.total(f.FOLLOWUPS_ANSWERED) == before.total(f.FOLLOWUPS_ANSWERED) + 1
    assert after.total(f.FOLLOWUPS_ALONE) == 1


def test_erasing_and_purging_follow_ups_mark_their_sessions(units, coordinator):
    point = make_point(units["hoian"])
    at_point = helpdesk.SessionInput(
        need="account", point=point, followup_consent=True, followup_phone="0905123456"
    )
    away = helpdesk.SessionInput(
        need="app",
        place_kind=PlaceKind.DOOR,
        place_text="Tổ 3, khối Sơn Phong",
        followup_consent=True,
        followup_phone="0905123457",
    )
    helpdesk.create_help_session(by=coordinator, data=at_point)
    later = helpdesk.create_help_session(by=coordinator, data=away)
    today = timezone.localdate()
    current(units["city"], today)

    helpdesk.erase_personal_data(by=coordinator, phone="+84905123456", followups=FollowUp.objects.all())
    assert marked() == [("help", today, point.pk, None)]
    current(units["city"], today)

    FollowUp.objects.filter(session=later).update(delete_by=today - dt.timedelta(days=1))
    assert helpdesk.purge_followups(today=today).expired == 1
    assert marked() == [("help", today, None, units["hoian"].pk)]  # no point: the session's unit
    current(units["city"], today)


# --- Campaigns ----------------------------------------------------------------------------------


def test_help_recorded_at_an_activity_with_typed_counts_marks_its_campaign_figures(units, coordinator):
    """What an activity adds beyond its sessions shrinks as sessions are recorded there."""
    hoian = units["hoian"].pk
    today = timezone.localdate()
    details = {"name": "Tháng cao điểm", "unit": units["hoian"], "start_date": today, "end_date": today}
    campaign = campaigns.create_campaign(by=coordinator, data=details, units=[])
    data = {"kind": Activity.Kind.MOBILE_DESK, "title": "Bàn lưu động", "date": today, "citizens_helped": 10}
    desk = campaigns.record_activity(campaign=campaign, by=coordinator, data=data, units=[])
    assert current(units["city"], today).citizens_helped == 10
    place = {"place_kind": PlaceKind.MOBILE, "place_text": "Chợ Hội An"}
    session = helpdesk.create_help_session(
        by=coordinator, data=helpdesk.SessionInput(need="app", activity=desk, **place)
    )
    assert marked() == [("help", today, None, hoian), ("campaigns", today, None, hoian)]
    figures = current(units["city"], today)
    assert (figures.total(f.SESSIONS), figures.total(f.CAMPAIGN_HELPED), figures.citizens_helped) == (
        1,
        9,
        10,
    )
    # Moved off the activity: the activity's 10 stand alone again, and the session counts on its own.
    helpdesk.update_help_session(
        by=coordinator, session=session, data=helpdesk.SessionInput(need="app", activity=None, **place)
    )
    assert ("campaigns", today, None, hoian) in marked()
    assert current(units["city"], today).citizens_helped == 11


def test_campaign_work_keeps_the_rollups_current(units, coordinator):
    hoian = units["hoian"].pk
    today = timezone.localdate()
    details = {
        "name": "Ngày Chuyển đổi số",
        "unit": units["hoian"],
        "start_date": today,
        "end_date": today + dt.timedelta(days=30),
    }
    campaign = campaigns.create_campaign(by=coordinator, data=details, units=[])
    day, moved, event_day = (today + dt.timedelta(days=n) for n in (3, 4, 5))
    before = current(units["city"], today, event_day)

    data = {"kind": Activity.Kind.BANNERS, "title": "Treo băng rôn", "date": day, "materials_count": 12}
    activity = campaigns.record_activity(campaign=campaign, by=coordinator, data=data, units=[])
    assert marked() == [("campaigns", day, None, hoian)]
    recorded = current(units["city"], day)
    assert recorded.total(f.ACTIVITIES) == 1 and recorded.total(f.MATERIALS) == 12

    campaigns.update_activity(activity=activity, by=coordinator, data={**data, "date": moved}, units=[])
    assert marked() == [("campaigns", day, None, hoian), ("campaigns", moved, None, hoian)]
    assert current(units["city"], day).total(f.ACTIVITIES) == 0
    assert current(units["city"], moved).total(f.ACTIVITIES) == 1

    # 06:30 in Hội An is 23:30 UTC the day before: the event counts on its local day.
    starts_at = dt.datetime.combine(event_day, dt.time(6, 30), tzinfo=TZ)
    event = campaigns.create_event(
        campaign=campaign,
        by=coordinator,
        data={"title": "Diễu hành", "starts_at": starts_at, "place": "Sông Hoài", "capacity": 2},
    )
    registration = campaigns.register(
        event=event,
        full_name="Nguyễn Văn An",
        phone="+84905123456",
        unit=None,
        unit_text="Chi đoàn Cẩm Phô",
        consent_version=campaigns.CONSENT_VERSION,
    )
    campaigns.check_in(event=event, registration=registration, by=coordinator)
    assert marked() == [("campaigns", event_day, None, hoian)] * 3
    after = current(units["city"], today, event_day)
    assert after != before
    assert (after.total(f.EVENTS), after.total(f.REGISTRATIONS), after.total(f.EVENT_CHECK_INS)) == (1, 1, 1)

    # Another organising unit: the campaign's days move from one unit's figures to the other's.
    other = units["other"]
    campaigns.update_campaign(campaign=campaign, by=coordinator, data={**details, "unit": other}, units=[])
    assert sorted(marked(), key=str) == sorted(
        [("campaigns", d, None, u) for d in (moved, event_day) for u in (hoian, other.pk)], key=str
    )
    assert current(units["hoian"], today, event_day).total(f.ACTIVITIES) == 0
    assert current(other, today, event_day).total(f.EVENTS) == 1


# --- Rosters ------------------------------------------------------------------------------------


def test_publishing_and_attendance_keep_the_rollups_current(units, coordinator):
    point = make_point(units["hoian"])
    shift = make_shift(point, publish=False)
    late, missing, forgotten = (assign(shift, v) for v in make_volunteers(units["hoian"], 3))
    assert current(units["city"], DAY).total(f.SHIFTS) == 0  # drafts never count

    rosters.publish_period(by=coordinator, period=shift.period)
    assert marked() == [("roster", DAY, point.pk, None)]
    assert current(units["city"], DAY).total(f.SHIFTS) == 1

    attendance.check_in(assignment=late, by=coordinator, at=local(DAY, 7, 50))
    attendance.check_out(assignment=late, by=coordinator, at=local(DAY, 11, 30))
    attendance.mark_no_show(assignment=missing, by=coordinator, now=local(DAY, 12))
    assert marked() == [("roster", DAY, point.pk, None)] * 3
    figures = current(units["city"], DAY)
    assert (figures.total(f.CHECK_INS), figures.total(f.LATE), figures.total(f.NO_SHOWS)) == (1, 1, 1)

    assert attendance.mark_no_shows(now=local(DAY, 14)).no_shows == 1  # the nightly sweep
    assert marked() == [("roster", DAY, point.pk, None)]
    assert current(units["city"], DAY).total(f.NO_SHOWS) == 2
    forgotten.refresh_from_db()
    assert forgotten.no_show


def test_changes_to_a_published_roster_are_marked(units, coordinator):
    """Taking, swapping, adding and removing places: each marks its shift's day and point (none of
    them changes today's figures: those count check-ins and no-shows, which happen later)."""
    roster = mine_data.make_roster(units["hoian"], demand=3)
    shift = roster.shifts()[0]
    key = ("roster", shift.start.astimezone(TZ).date(), roster.point.pk, None)
    first, second, third = (mine_data.make_volunteer(units["hoian"]) for _n in range(3))
    rollups.drain()

    taken = changes.take_open_place(by=None, volunteer=first, shift=shift)
    added = rosters.add_assignment(by=coordinator, shift=shift, volunteer=second)
    changes.offer_for_swap(by=None, assignment=taken)
    changes.take_offered(by=None, volunteer=third, offered=taken)
    rosters.remove_assignment(by=coordinator, assignment=added)
    assert marked() == [key] * 4
    current(units["city"], key[1])

    afternoon = {"start_time": dt.time(13, 30), "end_time": dt.time(17), "name": "Chiều"}
    after = roster.period.start + dt.timedelta(days=roster.period.days)  # periods never overlap
    draft = mine_data.make_roster(units["hoian"], point=roster.point, start=after, publish=False, **afternoon)
    rosters.add_assignment(by=coordinator, shift=draft.shifts()[0], volunteer=second)
    assert marked() == []  # drafts never count
