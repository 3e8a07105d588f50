"""The roster solver on small instances built in code (pure: no database).

Every solved roster is also passed through the independent checker. Each hard rule has a case
where breaking it would fill more places; each objective has a case where it must win over the
next one; each reason code has a case of its own.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter
from typing import Any

import pytest

from xungkich.rosters.plan import checker, solver
from xungkich.rosters.plan.greedy import greedy_roster
from xungkich.rosters.plan.instance import Instance, Solution, load_instance

START = "2026-12-07"  # a Monday


def at(day: int, hhmm: str) -> str:
    """Local time (+07:00) on the day ``day`` days after the start."""
    date = dt.date.fromisoformat(START) + dt.timedelta(days=day)
    return f"{date.isoformat()}T{hhmm}:00+07:00"


def shift(
    sid: str,
    day: int = 0,
    start: str = "07:30",
    end: str = "11:30",
    *,
    point: str = "P01",
    demand: int = 1,
    skills: dict[str, int] | None = None,
) -> dict[str, Any]:
    return {
        "id": sid,
        "point": point,
        "start": at(day, start),
        "end": at(day, end),
        "demand": demand,
        "skills": skills or {},
    }


def vol(
    vid: str,
    points: tuple[str, ...] = ("P01",),
    skills: tuple[str, ...] = (),
    cap: int | None = 5,
    unavailable: tuple[tuple[str, str], ...] = (),
) -> dict[str, Any]:
    return {
        "id": vid,
        "name": f"Người {vid}",
        "unit": "U01",
        "points": list(points),
        "skills": list(skills),
        "max_shifts_per_week": cap,
        "unavailable": [{"start": a, "end": b} for a, b in unavailable],
    }


def doc(
    shifts: list[dict[str, Any]],
    volunteers: list[dict[str, Any]],
    *,
    max_per_day: int = 1,
    rest: float = 0,
    days: int = 14,
    current: list[tuple[str, str]] | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": "xungkich-roster/1",
        "name": "test",
        "start": START,
        "days": days,
        "timezone": "Asia/Ho_Chi_Minh",
        "rules": {"max_shifts_per_day": max_per_day, "min_rest_hours": rest},
        "service_points": [{"id": "P01", "name": "Trung tâm"}, {"id": "P02", "name": "Phường"}],
        "shifts": shifts,
        "volunteers": volunteers,
    }
    if current is not None:
        data["current"] = [{"shift": s, "volunteer": v} for s, v in current]
    return data


def run(data: dict[str, Any], **options: Any) -> tuple[Instance, Solution]:
    instance = load_instance(data)
    options.setdefault("time_limit", 10)
    solution = solver.solve(instance, **options)
    assert checker.check(instance, solution.assignments) == []
    return instance, solution


def on(solution: Solution, sid: str) -> set[str]:
    return {v for s, v in solution.assignments if s == sid}


def codes(solution: Solution) -> dict[str, str]:
    return {u.shift: u.code for u in solution.unfilled}


# --- hard rules ------------------------------------------------------------------------------------


def test_only_points_the_person_can_reach():
    _, sol = run(doc([shift("A", point="P02", demand=2)], [vol("V1", points=("P01",))]))
    assert sol.assignments == []
    assert codes(sol) == {"A": "no_one_reaches"}
    assert sol.unfilled[0].missing == 2


def test_never_while_unavailable():
    data = doc(
        [shift("A", 0), shift("B", 1)],
        [vol("V1", unavailable=((at(0, "11:00"), at(0, "12:00")),))],  # overlaps the end of A
    )
    _, sol = run(data)
    assert sol.assignments == [("B", "V1")]
    assert codes(sol) == {"A": "no_one_reaches"}


def test_no_overlapping_shifts_even_at_two_points():
    data = doc(
        [shift("A", 0, "07:30", "11:30", point="P01"), shift("B", 0, "09:00", "12:00", point="P02")],
        [vol("V1", points=("P01", "P02"))],
        max_per_day=3,
    )
    _, sol = run(data)
    assert len(sol.assignments) == 1
    assert set(codes(sol).values()) == {"all_busy"}


def test_at_most_max_shifts_per_day():
    data = doc([shift("A", 0, "07:30", "11:30"), shift("B", 0, "13:30", "17:00")], [vol("V1")])
    _, sol = run(data)
    assert len(sol.assignments) == 1
    assert set(codes(sol).values()) == {"all_at_cap"}
    _, sol = run(doc(data["shifts"], data["volunteers"], max_per_day=2))
    assert len(sol.assignments) == 2


def test_minimum_rest_between_shifts():
    shifts = [shift("eve", 0, "13:00", "21:00"), shift("morn", 1, "05:00", "09:00")]  # 8 h apart
    _, sol = run(doc(shifts, [vol("V1")], rest=10))
    assert len(sol.assignments) == 1
    assert set(codes(sol).values()) == {"all_at_cap"}
    _, sol = run(doc(shifts, [vol("V1")], rest=8))  # exactly the rest: allowed
    assert len(sol.assignments) == 2


def test_weekly_cap_counts_weeks_from_the_start_in_local_time():
    shifts = [shift("d0", 0), shift("d2", 2), shift("d4", 4)]
    _, sol = run(doc(shifts, [vol("V1", cap=2)]))
    assert len(sol.assignments) == 2
    assert set(codes(sol).values()) == {"all_at_cap"}
    # 06:00 on Monday the 14th in Hồ Chí Minh City is still Sunday the 13th in UTC: week 1, not 0.
    late = {
        "id": "w1",
        "point": "P01",
        "start": "2026-12-13T23:00:00+00:00",
        "end": "2026-12-14T03:00:00+00:00",
        "demand": 1,
    }
    _, sol = run(doc([shift("d0", 0), late], [vol("V1", cap=1)]))
    assert len(sol.assignments) == 2


def test_never_above_headcount():
    _, sol = run(doc([shift("A", demand=2)], [vol(f"V{i}") for i in range(5)]))
    assert len(on(sol, "A")) == 2
    assert sol.unfilled == []


def test_trainee_only_with_a_senior():
    _, sol = run(doc([shift("A", demand=2)], [vol("T", skills=("trainee",)), vol("R")]))
    assert on(sol, "A") == {"R"}
    assert codes(sol) == {"A": "no_senior_free"}
    _, sol = run(doc([shift("A", demand=2)], [vol("T", skills=("trainee",)), vol("S", skills=("senior",))]))
    assert on(sol, "A") == {"S", "T"}


# --- objectives, in order ----------------------------------------------------------------------------


def test_filling_beats_skills():
    # S can take A (needs a senior) or B at the same time; R only reaches A. Two places filled with
    # the need unmet beats one place with it met.
    data = doc(
        [shift("A", 0, point="P01", skills={"senior": 1}), shift("B", 0, point="P02")],
        [vol("S", points=("P01", "P02"), skills=("senior",)), vol("R", points=("P01",))],
    )
    _, sol = run(data)
    assert sorted(sol.assignments) == [("A", "R"), ("B", "S")]
    assert [(u.shift, u.skill, u.code) for u in sol.unmet_skills] == [("A", "senior", "no_senior_free")]
    assert sol.stats["skill_needs_unmet"] == 1


def test_skills_beat_fairness():
    data = doc(
        [shift("A", 0, skills={"senior": 1}), shift("B", 1, skills={"senior": 1})],
        [vol("S", skills=("senior",)), vol("R")],
    )
    _, sol = run(data)
    assert sorted(sol.assignments) == [("A", "S"), ("B", "S")]
    assert sol.stats["max_load"] == 2


def test_fairness_lowers_the_busiest_load():
    # B is free only on days 0 and 1; A could do everything. Busiest as light as possible: 2 and 2.
    days = [shift(f"d{d}", d) for d in range(4)]
    data = doc(days, [vol("A"), vol("B", unavailable=((at(2, "00:00"), at(4, "00:00")),))])
    _, sol = run(data)
    loads = Counter(v for _, v in sol.assignments)
    assert loads == {"A": 2, "B": 2}


def test_spread_evens_the_load_below_the_busiest():
    # Only A reaches P02 (three shifts): the busiest load is 3 whatever happens at P01. Among the
    # rosters with busiest 3, the even one gives B and C two shifts each at P01.
    shifts = [shift(f"p2-{d}", d, point="P02") for d in range(3)]
    shifts += [shift(f"p1-{d}", d) for d in range(3, 7)]
    vols = [vol("A", points=("P01", "P02"), cap=7), vol("B", cap=7), vol("C", cap=7)]
    _, sol = run(doc(shifts, vols))
    loads = Counter(v for _, v in sol.assignments)
    assert loads == {"A": 3, "B": 2, "C": 2}
    assert sol.stats["load_sum_squares"] == 17


def test_replanning_keeps_the_published_roster():
    shifts = [shift(f"s{d}", d) for d in range(4)]
    vols = [vol(f"V{i}") for i in range(4)]
    current = [("s0", "V3"), ("s1", "V2"), ("s2", "V1"), ("s3", "V0")]
    _, sol = run(doc(shifts, vols, current=current))
    assert sorted(sol.assignments) == sorted(current)
    assert sol.stats["changes"] == 0


def test_replanning_changes_only_what_it_must():
    shifts = [shift(f"s{d}", d) for d in range(4)]
    vols = [vol(f"V{i}") for i in range(5)]  # V4 is new and free
    vols[1] = vol("V1", unavailable=((at(2, "00:00"), at(3, "00:00")),))  # can no longer do s2
    current = [("s0", "V3"), ("s1", "V2"), ("s2", "V1"), ("s3", "V0")]
    _, sol = run(doc(shifts, vols, current=current))
    kept = set(current) & set(sol.assignments)
    assert kept == {("s0", "V3"), ("s1", "V2"), ("s3", "V0")}
    assert len(on(sol, "s2")) == 1
    assert sol.stats["kept"] == 3
    assert sol.stats["changes"] == 2  # one removed, one added


def test_cp_sat_fills_more_than_the_greedy_when_order_matters():
    # Greedy takes the least-loaded person in time order; X (who alone reaches P02 later) is
    # spent on the first shift, so P02 stays empty. The solver sends Y to the first shift.
    data = doc(
        [shift("first", 0, point="P01"), shift("later", 1, point="P02")],
        [vol("X", points=("P01", "P02"), cap=1), vol("Y", points=("P01",), cap=1)],
    )
    instance = load_instance(data)
    assert len(greedy_roster(instance)) == 1
    _, sol = run(data)
    assert sorted(sol.assignments) == [("first", "Y"), ("later", "X")]


# --- reasons -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (doc([shift("A", point="P02")], [vol("V1")]), "no_one_reaches"),
        (doc([shift("A", 0), shift("B", 1)], [vol("V1", cap=1)]), "all_at_cap"),
        (doc([shift("A", demand=2)], [vol("T", skills=("trainee",))]), "no_senior_free"),
        (
            doc(
                [shift("A", point="P01"), shift("B", point="P02")],
                [vol("V1", points=("P01", "P02"))],
                max_per_day=2,
            ),
            "all_busy",
        ),
    ],
)
def test_every_unfilled_place_has_a_reason(data, code):
    _, sol = run(data)
    assert [u.code for u in sol.unfilled] == [code]
    assert sol.unfilled[0].reason == solver.reason_text(code)
    assert sol.unfilled[0].reason


def test_reasons_are_translated():
    from django.utils import translation

    with translation.override("en"):
        assert solver.reason_text("no_one_reaches") == "Nobody can reach this service point at that time."
    for code in solver.REASON_CODES:
        assert solver.reason_text(code)


# --- time limit, progress, scale ----------------------------------------------------------------------


def random_instance(
    n_volunteers: int, n_points: int, days: int, seed: int = 7, demand: tuple[int, int] = (3, 2)
) -> dict[str, Any]:
    rng = random.Random(seed)
    points = [f"P{p:02d}" for p in range(n_points)]
    shifts = []
    for p in points:
        for d in range(days):
            shifts.append(
                shift(f"{p}-{d}-S", d, "07:30", "11:30", point=p, demand=demand[0], skills={"senior": 1})
            )
            shifts.append(shift(f"{p}-{d}-C", d, "13:30", "17:00", point=p, demand=demand[1]))
    vols = []
    for i in range(n_volunteers):
        reach = {points[i % n_points], rng.choice(points)}
        skill = ("senior",) if i % 3 == 0 else ("trainee",) if rng.random() < 0.2 else ()
        vols.append(vol(f"V{i:03d}", points=tuple(sorted(reach)), skills=skill, cap=rng.choice((2, 3, 4))))
    data = doc(shifts, vols, rest=10, days=days)
    data["service_points"] = [{"id": p, "name": p} for p in points]
    return data


def test_time_limit_is_respected_and_progress_is_reported(monkeypatch):
    # Demand well above supply: this one is not solved to optimality in 1.5 s.
    instance = load_instance(random_instance(150, 8, 28, demand=(6, 5)))
    seen: list[tuple[str, float, float]] = []
    budgets: list[float] = []

    class BudgetRecordingSolver(solver.cp_model.CpSolver):
        def solve(self, *args: Any, **kwargs: Any) -> Any:
            budgets.append(self.parameters.max_time_in_seconds)
            return super().solve(*args, **kwargs)

    # The limit is checked on what the solver is given, not on the clock of a busy test machine.
    monkeypatch.setattr(solver.cp_model, "CpSolver", BudgetRecordingSolver)
    sol = solver.solve(instance, time_limit=1.5, on_progress=lambda *a: seen.append(a))
    assert budgets and sum(budgets) <= 1.5
    assert sol.stats["time_limit"] == 1.5
    assert any(st["status"] != "OPTIMAL" for st in sol.stats["stages"])
    assert checker.check(instance, sol.assignments) == []
    assert seen[0][0] == "greedy"
    assert seen[-1][0] == "done"
    assert [e for _, _, e in seen] == sorted(e for _, _, e in seen)
    assert sol.stats["filled"] >= len(greedy_roster(instance))


def test_a_tiny_time_limit_still_returns_a_valid_roster():
    instance = load_instance(random_instance(60, 4, 14))
    sol = solver.solve(instance, time_limit=0.05)
    assert sol.stats["engine"] == "greedy"
    assert sol.stats["filled"] > 0
    assert checker.check(instance, sol.assignments) == []


def test_the_solver_never_does_worse_than_the_greedy():
    data = random_instance(40, 4, 14, seed=3)
    instance = load_instance(data)
    base = greedy_roster(instance)
    _, sol = run(data, time_limit=5)
    assert sol.stats["filled"] >= len(base)
    assert all(st["status"] in ("OPTIMAL", "FEASIBLE", "STALLED") for st in sol.stats["stages"])


def test_interval_cliques():
    items = [(0.0, 2.0, 1), (1.0, 3.0, 2), (2.5, 4.0, 3), (5.0, 6.0, 4)]
    assert solver._cliques(items) == [[1, 2], [2, 3]]


# --- the local searches behind the hints ---------------------------------------------------------------


def test_augmenting_chains_fill_places_the_greedy_left_empty():
    from xungkich.rosters.plan.greedy import greedy_state

    # Greedy puts X (the only one who reaches P02) on the first shift; the chain moves X to P02's
    # shift and lets Y take the first one.
    data = doc(
        [shift("first", 0, point="P01"), shift("later", 1, point="P02")],
        [vol("X", points=("P01", "P02"), cap=1), vol("Y", points=("P01",), cap=1)],
    )
    instance = load_instance(data)
    state = greedy_state(instance)
    assert len(state.pairs()) == 1
    assert solver._augment(state, deadline=time.monotonic() + 5) == 1
    pairs = [(instance.shifts[s].id, instance.volunteers[v].id) for s, v in state.pairs()]
    assert sorted(pairs) == [("first", "Y"), ("later", "X")]
    assert checker.check(instance, pairs) == []


def test_balance_hands_shifts_to_lighter_people_but_keeps_skill_needs():
    from xungkich.rosters.plan.greedy import RosterState

    shifts = [shift(f"d{d}", d) for d in range(3)] + [shift("need", 3, skills={"senior": 1})]
    data = doc(shifts, [vol("S", skills=("senior",)), vol("R")])
    instance = load_instance(data)
    state = RosterState(instance)
    for s in range(4):
        state.add(0, s)  # S everywhere
    assert solver._balance(state, deadline=time.monotonic() + 5) == 2
    loads = Counter(instance.volunteers[v].id for _, v in state.pairs())
    assert loads == {"S": 2, "R": 2}
    assert 0 in state.on_shift[3]  # the senior need stays met
    pairs = [(instance.shifts[s].id, instance.volunteers[v].id) for s, v in state.pairs()]
    assert checker.check(instance, pairs) == []
