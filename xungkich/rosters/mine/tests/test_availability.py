import datetime as dt

import pytest
from django.utils import translation

from xungkich.core.errors import DomainError
from xungkich.core.models import AuditEntry
from xungkich.places.models import ServicePoint
from xungkich.rosters.mine import availability
from xungkich.rosters.models import RosterProfile, Unavailability
from xungkich.rosters.tests.mine_data import make_point, make_volunteer, today, tz

# --- one-off ---


def test_one_off_defaults_to_whole_local_days(volunteer):
    first = today() + dt.timedelta(days=10)
    item = availability.add_one_off(
        by=None,
        volunteer=volunteer,
        first_day=first,
        last_day=first + dt.timedelta(days=4),
        note="Thi học kỳ",
    )
    assert item.kind == Unavailability.Kind.ONE_OFF
    assert item.start == dt.datetime.combine(first, dt.time(), tzinfo=tz())
    assert item.end == dt.datetime.combine(first + dt.timedelta(days=5), dt.time(), tzinfo=tz())
    assert item.note == "Thi học kỳ"
    entry = AuditEntry.objects.get(action="unavailability.add", object_id=str(item.pk))
    assert entry.after["kind"] == "one_off"


def test_one_off_single_day_with_times(volunteer):
    day = today() + dt.timedelta(days=3)
    item = availability.add_one_off(
        by=None, volunteer=volunteer, first_day=day, start_time=dt.time(8), end_time=dt.time(10, 30)
    )
    assert item.start == dt.datetime.combine(day, dt.time(8), tzinfo=tz())
    assert item.end == dt.datetime.combine(day, dt.time(10, 30), tzinfo=tz())


@pytest.mark.parametrize(
    ("first", "last", "start_time", "end_time", "code"),
    [
        (5, 4, None, None, "unavailable_dates"),
        (5, 5, dt.time(9), None, "unavailable_times"),
        (5, 5, dt.time(10), dt.time(9), "unavailable_times"),
        (-3, -2, None, None, "unavailable_past"),
        (1, 400, None, None, "unavailable_too_long"),
    ],
)
def test_one_off_rejects_bad_input(volunteer, first, last, start_time, end_time, code):
    with pytest.raises(DomainError) as err:
        availability.add_one_off(
            by=None,
            volunteer=volunteer,
            first_day=today() + dt.timedelta(days=first),
            last_day=today() + dt.timedelta(days=last),
            start_time=start_time,
            end_time=end_time,
        )
    assert err.value.code == code
    assert not Unavailability.objects.exists()


def test_one_off_note_length_is_checked(volunteer):
    with pytest.raises(DomainError) as err:
        availability.add_one_off(by=None, volunteer=volunteer, first_day=today(), note="x" * 151)
    assert err.value.code == "note_too_long"


def test_one_off_today_is_allowed_while_the_day_lasts(volunteer):
    item = availability.add_one_off(by=None, volunteer=volunteer, first_day=today())
    assert item.pk


# --- weekly ---


def test_weekly_entry(volunteer):
    item = availability.add_weekly(
        by=None, volunteer=volunteer, weekday=2, start_time=dt.time(7), end_time=dt.time(11, 30)
    )
    assert (item.kind, item.weekday, item.start_time, item.end_time) == (
        "weekly",
        2,
        dt.time(7),
        dt.time(11, 30),
    )
    assert AuditEntry.objects.filter(action="unavailability.add").count() == 1


@pytest.mark.parametrize(
    ("weekday", "start", "end", "code"),
    [(0, 7, 11, "unavailable_weekday"), (8, 7, 11, "unavailable_weekday"), (2, 11, 7, "unavailable_times")],
)
def test_weekly_rejects_bad_input(volunteer, weekday, start, end, code):
    with pytest.raises(DomainError) as err:
        availability.add_weekly(
            by=None, volunteer=volunteer, weekday=weekday, start_time=dt.time(start), end_time=dt.time(end)
        )
    assert err.value.code == code


def test_weekly_refuses_a_time_already_covered(volunteer):
    availability.add_weekly(
        by=None, volunteer=volunteer, weekday=2, start_time=dt.time(6), end_time=dt.time(12)
    )
    with pytest.raises(DomainError) as err:
        availability.add_weekly(
            by=None, volunteer=volunteer, weekday=2, start_time=dt.time(7), end_time=dt.time(11)
        )
    assert err.value.code == "unavailable_duplicate"


# --- school timetable ---


def test_timetable_adds_one_weekly_entry_per_ticked_slot(volunteer):
    made = availability.add_timetable(
        by=None,
        volunteer=volunteer,
        slots=[(1, "morning"), (3, "afternoon"), (1, "evening"), (5, "morning")],
        note="Lịch học kỳ II",
    )
    assert [(u.weekday, u.start_time, u.end_time) for u in made] == [
        (1, dt.time(6), dt.time(12)),
        (1, dt.time(18), dt.time(22)),
        (3, dt.time(12), dt.time(18)),
        (5, dt.time(6), dt.time(12)),
    ]
    assert all(u.note == "Lịch học kỳ II" for u in made)
    assert AuditEntry.objects.filter(action="unavailability.add").count() == 4


def test_timetable_skips_what_is_already_there(volunteer):
    availability.add_weekly(
        by=None, volunteer=volunteer, weekday=1, start_time=dt.time(6), end_time=dt.time(12)
    )
    made = availability.add_timetable(by=None, volunteer=volunteer, slots=[(1, "morning"), (2, "morning")])
    assert [u.weekday for u in made] == [2]
    with pytest.raises(DomainError) as err:
        availability.add_timetable(by=None, volunteer=volunteer, slots=[(1, "morning")])
    assert err.value.code == "unavailable_duplicate"


@pytest.mark.parametrize(
    ("slots", "code"),
    [
        ([], "unavailable_parts"),
        ([(1, "night")], "unavailable_parts"),
        ([(9, "morning")], "unavailable_weekday"),
    ],
)
def test_timetable_rejects_bad_slots(volunteer, slots, code):
    with pytest.raises(DomainError) as err:
        availability.add_timetable(by=None, volunteer=volunteer, slots=slots)
    assert err.value.code == code
    assert not Unavailability.objects.exists()


# --- removing ---


def test_remove_own_entry_is_audited(volunteer):
    item = availability.add_weekly(
        by=None, volunteer=volunteer, weekday=2, start_time=dt.time(7), end_time=dt.time(11)
    )
    availability.remove_unavailability(by=None, volunteer=volunteer, item=item)
    assert not Unavailability.objects.exists()
    entry = AuditEntry.objects.get(action="unavailability.remove")
    assert entry.before["weekday"] == 2


def test_remove_refuses_someone_elses_entry(volunteer, units):
    other = make_volunteer(units["branch"])
    item = availability.add_weekly(
        by=None, volunteer=other, weekday=2, start_time=dt.time(7), end_time=dt.time(11)
    )
    with pytest.raises(DomainError) as err:
        availability.remove_unavailability(by=None, volunteer=volunteer, item=item)
    assert err.value.code == "unavailable_not_found"
    assert Unavailability.objects.filter(pk=item.pk).exists()


def test_upcoming_leaves_out_past_one_offs(volunteer):
    weekly = availability.add_weekly(
        by=None, volunteer=volunteer, weekday=2, start_time=dt.time(7), end_time=dt.time(11)
    )
    future = availability.add_one_off(by=None, volunteer=volunteer, first_day=today() + dt.timedelta(days=2))
    Unavailability.objects.create(
        volunteer=volunteer,
        kind="one_off",
        start=dt.datetime(2020, 1, 1, tzinfo=tz()),
        end=dt.datetime(2020, 1, 2, tzinfo=tz()),
    )
    assert set(availability.upcoming_unavailability(volunteer)) == {weekly, future}


# --- points and weekly cap ---


def test_reachable_points_are_active_points_of_the_unit_and_above(volunteer, units):
    centre = make_point(units["hoian"])
    branch_point = make_point(units["branch"], "Điểm hỗ trợ Minh An")
    city_point = make_point(units["city"], "Điểm Thành đoàn")
    make_point(units["other"], "Điểm Hải Châu")
    closed = make_point(units["hoian"], "Điểm cũ")
    ServicePoint.objects.filter(pk=closed.pk).update(is_active=False)
    assert set(availability.reachable_points(volunteer)) == {centre, branch_point, city_point}


def test_preferences_set_points_and_cap(volunteer, units):
    centre = make_point(units["hoian"])
    profile = availability.update_preferences(
        by=None, volunteer=volunteer, points=[centre], max_shifts_per_week=5
    )
    profile = RosterProfile.objects.get(pk=profile.pk)
    assert list(profile.points.all()) == [centre]
    assert profile.max_shifts_per_week == 5
    entry = AuditEntry.objects.get(action="roster_profile.update")
    assert entry.before == {"points": [], "max_shifts_per_week": 3}
    assert entry.after == {"points": [centre.pk], "max_shifts_per_week": 5}
    availability.update_preferences(by=None, volunteer=volunteer, points=[], max_shifts_per_week=14)
    assert list(RosterProfile.objects.get(pk=profile.pk).points.all()) == []


@pytest.mark.parametrize("cap", [0, 15])
def test_preferences_cap_must_be_1_to_14(volunteer, cap):
    with pytest.raises(DomainError) as err:
        availability.update_preferences(by=None, volunteer=volunteer, points=[], max_shifts_per_week=cap)
    assert err.value.code == "cap_range"


def test_preferences_refuse_points_out_of_reach(volunteer, units):
    elsewhere = make_point(units["other"], "Điểm Hải Châu")
    with pytest.raises(DomainError) as err:
        availability.update_preferences(
            by=None, volunteer=volunteer, points=[elsewhere], max_shifts_per_week=3
        )
    assert err.value.code == "point_not_allowed"
    assert not RosterProfile.objects.filter(volunteer=volunteer, points=elsewhere).exists()


# --- display ---


def test_describe(volunteer):
    day = dt.date(2030, 1, 14)
    with translation.override("en"):
        weekly = availability.add_weekly(
            by=None, volunteer=volunteer, weekday=2, start_time=dt.time(7), end_time=dt.time(11, 30)
        )
        assert availability.describe(weekly) == "Every Tuesday 07:00–11:30"
        one_day = availability.add_one_off(by=None, volunteer=volunteer, first_day=day)
        assert availability.describe(one_day) == "14/01/2030 (whole day)"
        week = availability.add_one_off(
            by=None, volunteer=volunteer, first_day=day, last_day=dt.date(2030, 1, 18)
        )
        assert availability.describe(week) == "14/01/2030 – 18/01/2030 (whole days)"
        hours = availability.add_one_off(
            by=None, volunteer=volunteer, first_day=day, start_time=dt.time(8), end_time=dt.time(10)
        )
        assert availability.describe(hours) == "14/01/2030 08:00–10:00"
