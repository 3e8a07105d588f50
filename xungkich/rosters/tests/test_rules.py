"""rules.py: every hard rule of one volunteer on one shift, checked against the database."""

from __future__ import annotations

import datetime as dt

import pytest

from xungkich.rosters import rules, services
from xungkich.rosters.models import Assignment, RosterProfile, Unavailability
from xungkich.rosters.tests.mine_data import assign, make_point, make_roster, make_volunteer, tz

MONDAY = dt.date(2030, 1, 7)


@pytest.fixture
def roster(units):
    return make_roster(units["hoian"], start=MONDAY, days=14, demand=2, publish=False)


@pytest.fixture
def person(units):
    return make_volunteer(units["branch"], "Nguyễn Thị Lan")


def codes(volunteer, shift, **kwargs):
    return [p.code for p in rules.assignment_problems(volunteer=volunteer, shift=shift, **kwargs)]


def test_no_problem(roster, person):
    assert codes(person, roster.shifts()[0]) == []


def test_inactive(roster, units):
    assert "inactive" in codes(make_volunteer(units["branch"], active=False), roster.shifts()[0])


def test_unreachable_below_the_unit_or_elsewhere(roster, units, person):
    branch_point = make_point(units["branch"], "Điểm chi đoàn")
    higher = make_volunteer(units["hoian"])  # a ward volunteer does not reach a branch's point
    # After the ward's period: periods over the same days and points are refused.
    later = MONDAY + dt.timedelta(days=14)
    other = make_roster(units["branch"], point=branch_point, start=later, days=1, publish=False)
    assert "unreachable" in codes(higher, other.shifts()[0])
    assert "unreachable" not in codes(person, other.shifts()[0])
    assert "unreachable" in codes(make_volunteer(units["other"]), roster.shifts()[0])


def test_listed_points_replace_the_unit_rule(roster, units, person):
    elsewhere = make_point(units["hoian"], "Điểm khác")
    profile = RosterProfile.objects.create(volunteer=person)
    profile.points.set([elsewhere])
    assert "unreachable" in codes(person, roster.shifts()[0])
    profile.points.set([roster.point])
    assert "unreachable" not in codes(person, roster.shifts()[0])


def test_unavailable_one_off_and_weekly(roster, person):
    monday, tuesday = roster.shifts()[0], roster.shifts()[1]
    late = dt.timedelta(hours=3)
    Unavailability.objects.create(
        volunteer=person, kind="one_off", start=monday.start + late, end=monday.end + late
    )
    Unavailability.objects.create(
        volunteer=person, kind="weekly", weekday=2, start_time=dt.time(11), end_time=dt.time(12)
    )
    assert "unavailable" in codes(person, monday)
    assert "unavailable" in codes(person, tuesday)  # 11:00–12:00 overlaps 07:30–11:30
    assert "unavailable" not in codes(person, roster.shifts()[2])


def test_weekly_unavailability_uses_local_time(roster, person):
    # 06:00–07:30 local ends exactly when the shift starts: no overlap.
    Unavailability.objects.create(
        volunteer=person, kind="weekly", weekday=1, start_time=dt.time(6), end_time=dt.time(7, 30)
    )
    assert "unavailable" not in codes(person, roster.shifts()[0])


def test_already_assigned_and_full(roster, person, units):
    shift = roster.shifts()[0]
    assign(shift, person)
    assert "already_assigned" in codes(person, shift)
    assign(shift, make_volunteer(units["branch"]))
    assert "full" in codes(make_volunteer(units["branch"]), shift)


def test_cant_come_frees_the_place(roster, person, units):
    shift = roster.shifts()[0]
    assign(shift, make_volunteer(units["branch"]), status=Assignment.Status.CANT_COME)
    assign(shift, make_volunteer(units["branch"]))
    assert "full" not in codes(person, shift)


def test_ignore_lets_a_swap_take_the_place(roster, person, units):
    shift = roster.shifts()[0]
    leaving = assign(shift, make_volunteer(units["branch"]), status=Assignment.Status.OFFERED)
    assign(shift, make_volunteer(units["branch"]))
    assert "full" in codes(person, shift)
    assert "full" not in codes(person, shift, ignore=leaving)


def _slots(units, *specs, days=2, per_day=1, rest=10):
    """One period with one pattern per (name, start, end) at one point: each name's shifts."""
    point = make_point(units["hoian"], "Điểm trực")
    patterns = {
        name: services.create_shift_pattern(
            by=None, point=point, name=name, weekdays=range(1, 8), start_time=start, end_time=end, demand=2
        )
        for name, start, end in specs
    }
    period = services.create_period(
        by=None, unit=units["hoian"], name="Lịch trực", start=MONDAY, days=days,
        max_shifts_per_day=per_day, min_rest_hours=rest,
    )  # fmt: skip
    return {name: list(period.shifts.filter(pattern=p).order_by("start")) for name, p in patterns.items()}


def test_overlap_rest_and_day_limit(units, person):
    slots = _slots(
        units,
        ("Sáng", dt.time(7, 30), dt.time(11, 30)),
        ("Tối", dt.time(18), dt.time(21)),
        ("Giữa", dt.time(9), dt.time(12)),
    )
    morning, evening, middle = slots["Sáng"], slots["Tối"], slots["Giữa"]
    assign(morning[0], person)
    assert codes(person, middle[0])[0] == "overlap"
    got = codes(person, evening[0])  # 6.5 h after the morning shift, same day
    assert "rest" in got and "day_limit" in got
    # Evening of day 1, then morning of day 2: 10.5 h of rest is enough.
    other = make_volunteer(units["branch"])
    assign(evening[0], other)
    assert codes(other, morning[1]) == []


def test_more_shifts_a_day_when_the_period_allows(units, person):
    slots = _slots(
        units,
        ("Sáng", dt.time(7, 30), dt.time(11, 30)),
        ("Chiều", dt.time(13, 30), dt.time(17)),
        ("Tối", dt.time(18), dt.time(21)),
        per_day=2,
        rest=0,
    )
    assign(slots["Sáng"][0], person)
    assert codes(person, slots["Chiều"][0]) == []
    assign(slots["Chiều"][0], person)
    assert codes(person, slots["Tối"][0]) == ["day_limit"]


def test_week_cap_counts_the_period_week(roster, person):
    shifts = roster.shifts()
    for shift in shifts[:3]:
        assign(shift, person)
    assert "week_cap" in codes(person, shifts[4])
    assert "week_cap" not in codes(person, shifts[7])  # the next 7-day block
    RosterProfile.objects.create(volunteer=person, max_shifts_per_week=4)
    assert "week_cap" not in codes(person, shifts[4])


def test_trainee_needs_a_senior_on_the_shift(roster, units):
    shift = roster.shifts()[0]
    trainee = make_volunteer(units["branch"], skills=["trainee"])
    assert "trainee_alone" in codes(trainee, shift)
    assign(shift, make_volunteer(units["branch"], skills=["senior"]))
    assert "trainee_alone" not in codes(trainee, shift)
    both = make_volunteer(units["branch"], skills=["senior", "trainee"])
    assert "trainee_alone" not in codes(both, roster.shifts()[1])  # counts as a senior


def test_problems_have_translated_messages(roster, person):
    shift = roster.shifts()[0]
    assign(shift, person)
    problems = rules.assignment_problems(volunteer=person, shift=shift)
    assert all(p.message for p in problems)


def test_is_unavailable_and_can_reach(roster, person):
    shift = roster.shifts()[0]
    assert rules.can_reach(person, shift, None)
    assert not rules.is_unavailable(person, shift)
    start = dt.datetime.combine(MONDAY, dt.time(8), tzinfo=tz())
    Unavailability.objects.create(
        volunteer=person, kind="one_off", start=start, end=start + dt.timedelta(hours=1)
    )
    assert rules.is_unavailable(person, shift)


def test_add_assignment_service_uses_the_rules(roster, person, units):
    shift = roster.shifts()[0]
    services.add_assignment(by=None, shift=shift, volunteer=person)
    trainee = make_volunteer(units["branch"], skills=["trainee"])
    with pytest.raises(Exception) as exc:
        services.add_assignment(by=None, shift=shift, volunteer=trainee)
    assert getattr(exc.value, "code", "") == "rule_trainee_alone"
