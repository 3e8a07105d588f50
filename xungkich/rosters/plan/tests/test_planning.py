"""planning.build_instance / apply_solution / calendar / shift_candidates, against the database."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from xungkich.core.errors import DomainError
from xungkich.core.models import AuditEntry
from xungkich.places.models import ClosedDay
from xungkich.rosters import rules, services
from xungkich.rosters.models import Assignment, RosterProfile, Shift, Unavailability
from xungkich.rosters.plan import checker, planning, solver
from xungkich.rosters.plan.instance import dump_solution, load_instance
from xungkich.rosters.tests.mine_data import assign, make_point, make_roster, make_volunteer, tz

MONDAY = dt.date(2030, 1, 7)  # far in the future: nothing has started


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz())


@pytest.fixture
def roster(units):
    return make_roster(
        units["hoian"], start=MONDAY, days=14, demand=2, publish=False, skill_needs={"senior": 1}
    )


@pytest.fixture
def people(units):
    return {
        "senior": make_volunteer(units["branch"], "Trần Văn Kinh", skills=["senior"]),
        "plain": make_volunteer(units["hoian"], "Lê Thị Thường"),
        "trainee": make_volunteer(units["branch"], "Phạm Học Việc", skills=["trainee"]),
    }


def solve(period, seconds=3):
    instance = load_instance(planning.build_instance(period))
    return dump_solution(solver.solve(instance, time_limit=seconds))


def test_build_instance_is_a_valid_instance(roster, people, units):
    make_volunteer(units["other"], "Người Ngoài")  # another ward: not in this roster
    make_volunteer(units["branch"], "Đã Nghỉ", active=False)
    doc = planning.build_instance(roster.period)
    json.dumps(doc)  # JSON-ready
    instance = load_instance(doc)
    assert instance.name == roster.period.name
    assert instance.start == MONDAY and instance.days == 14
    assert instance.rules.max_shifts_per_day == 1 and instance.rules.min_rest_hours == 10
    assert [p.id for p in instance.service_points] == [f"P{roster.point.pk}"]
    assert len(instance.shifts) == 14
    first = instance.shifts[0]
    assert first.id == roster.shifts()[0].code
    assert first.start == at(MONDAY, 7, 30) and first.end == at(MONDAY, 11, 30)
    assert first.demand == 2 and dict(first.skills) == {"senior": 1}
    assert sorted(v.id for v in instance.volunteers) == sorted(f"V{v.pk}" for v in people.values())
    senior = next(v for v in instance.volunteers if v.id == f"V{people['senior'].pk}")
    assert senior.skills == frozenset({"senior"})
    assert senior.points == frozenset({f"P{roster.point.pk}"})  # a point of a unit above theirs
    assert senior.max_shifts_per_week == 3
    assert senior.unit == f"U{units['branch'].pk}"
    assert instance.current == ()


def test_points_follow_the_profile_or_the_unit_tree(roster, people, units):
    branch_point = make_point(units["branch"], "Điểm Minh An")
    services.create_shift_pattern(
        by=None,
        point=branch_point,
        name="Chiều",
        weekdays=[1],
        start_time=dt.time(13, 30),
        end_time=dt.time(17),
        demand=1,
    )
    services.refresh_period_shifts(by=None, period=roster.period)
    profile = services.roster_profile(people["senior"])
    profile.points.set([branch_point])
    profile.max_shifts_per_week = 5
    profile.save()
    instance = load_instance(planning.build_instance(roster.period))
    reach = {v.id: v.points for v in instance.volunteers}
    assert reach[f"V{people['senior'].pk}"] == {f"P{branch_point.pk}"}  # listed points only
    # Of their unit and above: the ward's point; the branch point is below the ward.
    assert reach[f"V{people['plain'].pk}"] == {f"P{roster.point.pk}"}
    assert reach[f"V{people['trainee'].pk}"] == {f"P{roster.point.pk}", f"P{branch_point.pk}"}
    caps = {v.id: v.max_shifts_per_week for v in instance.volunteers}
    assert caps[f"V{people['senior'].pk}"] == 5


def test_unavailability_is_expanded_over_the_period(roster, people):
    volunteer = people["plain"]
    Unavailability.objects.create(
        volunteer=volunteer, kind="weekly", weekday=2, start_time=dt.time(7), end_time=dt.time(12)
    )
    Unavailability.objects.create(  # from well before the period into its first day
        volunteer=volunteer, kind="one_off", start=at(MONDAY, 0) - dt.timedelta(days=30), end=at(MONDAY, 9)
    )
    later = dt.timedelta(days=60)
    Unavailability.objects.create(  # long after the period: left out
        volunteer=volunteer, kind="one_off", start=at(MONDAY, 8) + later, end=at(MONDAY, 9) + later
    )
    instance = load_instance(planning.build_instance(roster.period))
    spec = next(v for v in instance.volunteers if v.id == f"V{volunteer.pk}")
    tuesdays = [MONDAY + dt.timedelta(days=1), MONDAY + dt.timedelta(days=8)]
    blocks = [(b.start, b.end) for b in spec.unavailable]
    assert (at(tuesdays[0], 7), at(tuesdays[0], 12)) in blocks
    assert (at(tuesdays[1], 7), at(tuesdays[1], 12)) in blocks
    assert len(blocks) == 3
    first = min(blocks)
    assert first[0] >= at(MONDAY, 0) - dt.timedelta(days=2) and first[1] == at(MONDAY, 9)
    # The same answer as the rules, shift by shift.
    for shift in roster.shifts():
        rule = rules.is_unavailable(volunteer, shift)
        spec_says = any(b.start < shift.end and shift.start < b.end for b in spec.unavailable)
        assert rule == spec_says, shift.code


def test_senior_and_trainee_counts_as_senior(roster, units):
    both = make_volunteer(units["branch"], skills=["senior", "trainee"])
    instance = load_instance(planning.build_instance(roster.period))
    assert next(v for v in instance.volunteers if v.id == f"V{both.pk}").skills == {"senior"}


def test_fixed_assignments_reduce_the_places_and_block_the_person(roster, people):
    shifts = roster.shifts()
    manual = Assignment.objects.create(
        shift=shifts[0], volunteer=people["senior"], source=Assignment.Source.MANUAL
    )
    assign(shifts[1], people["plain"])  # solver-made: planned again
    doc = planning.build_instance(roster.period)
    instance = load_instance(doc)
    first = next(s for s in instance.shifts if s.id == shifts[0].code)
    assert first.demand == 1 and dict(first.skills) == {}  # the senior is there already
    second = next(s for s in instance.shifts if s.id == shifts[1].code)
    assert second.demand == 2
    senior = next(v for v in instance.volunteers if v.id == f"V{manual.volunteer_id}")
    # Blocked for the whole day (one shift a day), and the weekly cap counts the kept shift.
    assert any(b.start <= shifts[0].start and b.end >= shifts[0].end for b in senior.unavailable)
    assert senior.max_shifts_per_week == 2
    assert "current" not in doc  # a draft


def test_published_period_lists_the_current_roster(roster, people):
    services.publish_period(by=None, period=roster.period)
    shifts = roster.shifts()
    assign(shifts[2], people["plain"])
    Assignment.objects.create(
        shift=shifts[3], volunteer=people["senior"], source=Assignment.Source.TAKEN, status="confirmed"
    )
    roster.period.refresh_from_db()
    doc = planning.build_instance(roster.period)
    assert doc["current"] == [{"shift": shifts[2].code, "volunteer": f"V{people['plain'].pk}"}]
    assert load_instance(doc).current == ((shifts[2].code, f"V{people['plain'].pk}"),)


def test_build_instance_query_count_does_not_grow(roster, units, django_assert_num_queries):
    def grow(n):
        for _ in range(n):
            volunteer = make_volunteer(units["branch"], skills=["senior"])
            Unavailability.objects.create(
                volunteer=volunteer, kind="weekly", weekday=3, start_time=dt.time(7), end_time=dt.time(9)
            )
            RosterProfile.objects.create(volunteer=volunteer).points.set([roster.point])

    grow(1)
    assign(roster.shifts()[0], make_volunteer(units["branch"]))
    # shifts, points, volunteers, skills, profile points, unavailability, assignments, elsewhere
    with django_assert_num_queries(8):
        planning.build_instance(roster.period)
    grow(10)
    with django_assert_num_queries(8):
        planning.build_instance(roster.period)


# --- apply_solution ---


def test_solve_and_apply_fills_the_roster_within_the_rules(roster, people, units):
    for _ in range(4):
        make_volunteer(units["branch"])
    solution = solve(roster.period)
    summary = planning.apply_solution(period=roster.period, solution=solution, by=None)
    created = Assignment.objects.filter(shift__period=roster.period)
    assert summary["created"] == created.count() == len(solution["assignments"])
    assert summary["places"] == 28 and summary["rejected"] == 0
    assert all(a.source == "solver" and a.status == "planned" for a in created)
    full = load_instance(_full_instance(roster.period))
    pairs = [(a.shift.code, f"V{a.volunteer_id}") for a in created.select_related("shift")]
    assert checker.check(full, pairs) == []
    assert summary["empty"] == 28 - summary["filled"] == sum(u["missing"] for u in solution["unfilled"])
    entry = AuditEntry.objects.get(action="period.solve")
    assert entry.after["created"] == summary["created"]


def _full_instance(period):
    """The period as if nothing were planned yet (to check the whole roster with the checker)."""
    kept = list(Assignment.objects.filter(shift__period=period))
    Assignment.objects.filter(pk__in=[a.pk for a in kept]).update(source="solver", status="planned")
    try:
        doc = planning.build_instance(period)
    finally:
        for a in kept:
            Assignment.objects.filter(pk=a.pk).update(source=a.source, status=a.status)
    return doc


def test_apply_keeps_hand_made_taken_and_confirmed_places(roster, people, units):
    shifts = roster.shifts()
    extra = make_volunteer(units["branch"])
    manual = Assignment.objects.create(shift=shifts[0], volunteer=people["senior"], source="manual")
    taken = Assignment.objects.create(shift=shifts[1], volunteer=people["plain"], source="taken")
    confirmed = assign(shifts[2], extra, status="confirmed")
    old = assign(shifts[3], people["plain"])
    solution = solve(roster.period)
    summary = planning.apply_solution(period=roster.period, solution=solution, by=None)
    assert summary["kept"] == 3 and summary["removed"] == 1
    assert Assignment.objects.filter(pk__in=[manual.pk, taken.pk, confirmed.pk]).count() == 3
    assert not Assignment.objects.filter(pk=old.pk).exists()
    # Nobody was put twice on a shift, and the kept places counted against the headcount.
    for shift in shifts:
        assert shift.assignments.filter(status__in=rules.HOLDING).count() <= shift.demand
    pairs = [
        (a.shift.code, f"V{a.volunteer_id}")
        for a in Assignment.objects.filter(shift__period=roster.period).select_related("shift")
    ]
    assert checker.check(load_instance(_full_instance(roster.period)), pairs) == []


def test_apply_stores_the_reasons_of_empty_places(roster, people):
    solution = solve(roster.period)
    assert solution["unfilled"]  # three people cannot fill 28 places
    planning.apply_solution(period=roster.period, solution=solution, by=None)
    missing = {u["shift"]: u["code"] for u in solution["unfilled"]}
    for shift in roster.shifts():
        shift.refresh_from_db()
        if shift.code in missing:
            assert shift.unfilled_code == missing[shift.code]
            assert shift.unfilled_reason
    grid = planning.calendar(roster.period)
    cells = [c for row in grid.rows for c in row.cells if c.empty]
    assert cells and all(c.reason for c in cells)
    assert grid.places == 28 and grid.empty == sum(c.empty for c in cells)


@pytest.mark.parametrize(
    ("pair", "code"),
    [
        ({"shift": "NOPE", "volunteer": "V1"}, "solution_unknown_shift"),
        ({"shift": None, "volunteer": "V999999"}, "solution_unknown_volunteer"),
        ({"shift": None, "volunteer": "X1"}, "solution_unknown_volunteer"),
    ],
)
def test_apply_refuses_unknown_ids(roster, people, pair, code):
    pair = {**pair, "shift": pair["shift"] or roster.shifts()[0].code}
    keep = assign(roster.shifts()[1], people["plain"])
    with pytest.raises(DomainError) as exc:
        planning.apply_solution(period=roster.period, solution={"assignments": [pair]}, by=None)
    assert exc.value.code == code
    assert Assignment.objects.filter(pk=keep.pk).exists()  # nothing changed
    assert not AuditEntry.objects.filter(action="period.solve").exists()


def test_apply_refuses_a_volunteer_outside_the_unit(roster, units):
    stranger = make_volunteer(units["other"])
    solution = {"assignments": [{"shift": roster.shifts()[0].code, "volunteer": f"V{stranger.pk}"}]}
    with pytest.raises(DomainError) as exc:
        planning.apply_solution(period=roster.period, solution=solution, by=None)
    assert exc.value.code == "solution_unknown_volunteer"


@pytest.mark.parametrize("solution", [[], {"assignments": "x"}, {"assignments": [{"shift": "a"}]}])
def test_apply_refuses_a_malformed_solution(roster, solution):
    with pytest.raises(DomainError) as exc:
        planning.apply_solution(period=roster.period, solution=solution, by=None)
    assert exc.value.code == "solution_format"


def test_apply_leaves_out_pairs_that_break_a_rule(roster, people):
    shifts = roster.shifts()
    taken = Assignment.objects.create(shift=shifts[0], volunteer=people["plain"], source="taken")
    solution = {
        "assignments": [
            {"shift": shifts[0].code, "volunteer": f"V{people['plain'].pk}"},  # already there
            {"shift": shifts[1].code, "volunteer": f"V{people['plain'].pk}"},  # fine
            {"shift": shifts[1].code, "volunteer": f"V{people['trainee'].pk}"},  # no senior
            {"shift": shifts[2].code, "volunteer": f"V{people['senior'].pk}"},
        ]
    }
    summary = planning.apply_solution(period=roster.period, solution=solution, by=None)
    assert summary["created"] == 2 and summary["rejected"] == 2
    assert set(
        Assignment.objects.filter(shift__period=roster.period).values_list("shift_id", "volunteer_id")
    ) == {
        (shifts[0].pk, people["plain"].pk),
        (shifts[1].pk, people["plain"].pk),
        (shifts[2].pk, people["senior"].pk),
    }
    assert Assignment.objects.get(pk=taken.pk).source == "taken"


def test_apply_skips_started_shifts_of_a_published_period(units, people):
    yesterday = dt.date.today() - dt.timedelta(days=1)
    roster = make_roster(units["hoian"], start=yesterday, days=4, demand=1)
    shifts = roster.shifts()
    past = assign(shifts[0], people["plain"])
    doc = planning.build_instance(roster.period)
    assert doc["shifts"][0]["demand"] == 0
    solution = {"assignments": [{"shift": shifts[0].code, "volunteer": f"V{people['senior'].pk}"}]}
    summary = planning.apply_solution(period=roster.period, solution=solution, by=None)
    assert summary["rejected"] == 1
    assert Assignment.objects.filter(pk=past.pk).exists()


def test_other_periods_count_for_the_rules(roster, people, units):
    # Another ward's period (a period over the same days and points is refused).
    other_point = make_point(units["other"], "Điểm lưu động")
    other = make_roster(units["other"], point=other_point, start=MONDAY, days=1, demand=1, publish=False)
    assign(other.shifts()[0], people["senior"])  # same morning, another period
    instance = load_instance(planning.build_instance(roster.period))
    senior = next(v for v in instance.volunteers if v.id == f"V{people['senior'].pk}")
    first = roster.shifts()[0]
    assert any(b.start < first.end and first.start < b.end for b in senior.unavailable)


# --- shifts from patterns ---


def test_shifts_skip_closed_days(units):
    point = make_point(units["hoian"])
    ClosedDay.objects.create(date=MONDAY + dt.timedelta(days=1), point=point, reason="Họp")
    ClosedDay.objects.create(date=MONDAY + dt.timedelta(days=2), point=None, reason="Quốc khánh")
    roster = make_roster(units["hoian"], point=point, start=MONDAY, days=7, publish=False)
    days = [s.start.astimezone(tz()).date() for s in roster.shifts()]
    assert len(days) == 5
    assert MONDAY + dt.timedelta(days=1) not in days and MONDAY + dt.timedelta(days=2) not in days
    grid = planning.calendar(roster.period)
    closed = [row.cells[0].closed for row in grid.rows]
    assert closed[1] == "Họp" and closed[2] == "Quốc khánh" and closed[0] is None


def test_close_day_removes_draft_shifts_and_refresh_adds_them_back(units):
    published = make_roster(units["hoian"], start=MONDAY, days=7, publish=True)
    later = MONDAY + dt.timedelta(days=7)
    roster = make_roster(units["hoian"], point=published.point, start=later, days=7, publish=False)
    made = services.close_day(by=None, date=later, unit=units["hoian"], reason="Tết")
    assert [c.point for c in made] == [roster.point]
    assert roster.period.shifts.count() == 6
    services.close_day(by=None, date=MONDAY, unit=units["hoian"], reason="Họp")
    assert published.period.shifts.count() == 7  # people were told: changed by hand
    services.reopen_day(by=None, closure=made[0])
    assert services.refresh_period_shifts(by=None, period=roster.period) == (1, 0)
    assert roster.period.shifts.count() == 7


def test_refresh_only_for_drafts(units):
    roster = make_roster(units["hoian"], start=MONDAY, days=3, publish=True)
    with pytest.raises(DomainError) as exc:
        services.refresh_period_shifts(by=None, period=roster.period)
    assert exc.value.code == "period_not_draft"


# --- who can fill a place ---


def test_candidates_agree_with_the_rules(roster, people, units):
    shifts = roster.shifts()
    away = make_volunteer(units["branch"], "Vắng Mặt")
    Unavailability.objects.create(volunteer=away, kind="one_off", start=shifts[0].start, end=shifts[0].end)
    far = make_volunteer(units["branch"], "Ở Xa")
    RosterProfile.objects.create(volunteer=far).points.set([make_point(units["hoian"], "Nơi khác")])
    busy = make_volunteer(units["branch"], "Bận Rộn")
    for shift in shifts[1:4]:
        assign(shift, busy)
    assign(shifts[0], people["plain"])
    candidates = planning.shift_candidates(shifts[0])
    by_pk = {c.volunteer.pk: c for c in candidates}
    for volunteer in [*people.values(), away, far, busy]:
        expected = [p.code for p in rules.assignment_problems(volunteer=volunteer, shift=shifts[0])]
        assert [p.code for p in by_pk[volunteer.pk].problems] == expected, volunteer.full_name
    assert candidates[0].eligible and candidates[0].volunteer == people["senior"]
    assert by_pk[people["trainee"].pk].problems[0].code == "trainee_alone"
    assert [p.code for p in by_pk[busy.pk].problems] == ["week_cap"]


def test_candidates_query_count_does_not_grow(roster, units, django_assert_num_queries):
    assign(roster.shifts()[0], make_volunteer(units["branch"], skills=["senior"]))
    shift = Shift.objects.select_related("period__unit", "point__unit").get(pk=roster.shifts()[0].pk)
    # volunteers, skills, listed points, unavailability, their shifts, on the shift, seniors on it
    with django_assert_num_queries(7):
        planning.shift_candidates(shift)
    for _ in range(5):
        make_volunteer(units["branch"], skills=["trainee"])
    with django_assert_num_queries(7):
        assert len(planning.shift_candidates(shift)) == 6
