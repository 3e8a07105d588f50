"""The background solver run: services.start_solving → tasks.solve_period (immediate backend)."""

from __future__ import annotations

import itertools
import time

import pytest

from xungkich.core.errors import DomainError
from xungkich.rosters import services, solving, tasks
from xungkich.rosters.models import Assignment, RosterPeriod
from xungkich.rosters.plan.instance import Solution
from xungkich.rosters.plan.tests.test_views import MONDAY, make_plan


@pytest.fixture
def plan(units):
    return make_plan(units)


def test_start_solving_runs_and_restores_the_status(plan, coordinator):
    period = services.start_solving(period=plan.period, by=coordinator, time_limit=5)
    assert period.status == "draft"
    progress = period.solver_progress
    assert progress["stage"] == "done" and progress["percent"] == 100
    assert progress["summary"]["created"] == Assignment.objects.filter(shift__period=period).count() > 0
    assert progress["places"] == sum(s.demand for s in plan.shifts())


def test_a_published_period_stays_published_and_keeps_what_it_can(plan, coordinator):
    services.start_solving(period=plan.period, by=coordinator, time_limit=5)
    services.publish_period(by=coordinator, period=plan.period)
    before = set(Assignment.objects.filter(shift__period=plan.period).values_list("shift_id", "volunteer_id"))
    period = services.start_solving(period=plan.period, by=coordinator, time_limit=5)
    assert period.status == "published"
    after = set(Assignment.objects.filter(shift__period=plan.period).values_list("shift_id", "volunteer_id"))
    assert after == before  # nothing changed: the re-plan kept the published roster


def test_refused_while_solving_unless_stale(plan):
    period = solving.claim_for_solving(period=plan.period, by=None, time_limit=30)
    with pytest.raises(DomainError) as exc:
        services.start_solving(period=period, by=None, time_limit=5)
    assert exc.value.code == "period_solving"
    RosterPeriod.objects.filter(pk=period.pk).update(
        solver_progress={**period.solver_progress, "updated_at": "2000-01-01T00:00:00+00:00"}
    )
    period.refresh_from_db()
    assert solving.solving_is_stale(period)
    period = services.start_solving(period=period, by=None, time_limit=5)
    assert period.status == "draft" and period.solver_progress["stage"] == "done"


@pytest.mark.parametrize("limit", [0, 601])
def test_time_limit_bounds(plan, limit):
    with pytest.raises(DomainError) as exc:
        services.start_solving(period=plan.period, by=None, time_limit=limit)
    assert exc.value.code == "solve_time_limit"


def test_no_shifts_no_run(units):
    period = services.create_period(by=None, unit=units["other"], name="Trống", start=MONDAY, days=3)
    with pytest.raises(DomainError) as exc:
        services.start_solving(period=period, by=None)
    assert exc.value.code == "period_no_shifts"


def test_a_cancelled_run_changes_nothing(plan):
    period = solving.claim_for_solving(period=plan.period, by=None, time_limit=5)
    run = period.solver_progress["run"]
    services.cancel_solving(period=period, by=None)
    assert tasks.solve_period.call(period.pk, 5, run=run) == {"error": "cancelled"}
    period.refresh_from_db()
    assert period.status == "draft" and period.solver_progress["stage"] == "cancelled"
    assert not Assignment.objects.filter(shift__period=period).exists()


def test_cancel_needs_a_run(plan):
    with pytest.raises(DomainError) as exc:
        services.cancel_solving(period=plan.period, by=None)
    assert exc.value.code == "not_solving"


def test_a_direct_call_claims_the_period(plan):
    result = tasks.solve_period.call(plan.period.pk, 5)
    assert result["created"] > 0
    plan.period.refresh_from_db()
    assert plan.period.status == "draft"


def test_a_failing_solver_is_recorded(plan, monkeypatch):
    from xungkich.rosters.plan import solver

    def broken(*args, **kwargs):
        raise RuntimeError("CP-SAT exploded")

    monkeypatch.setattr(solver, "solve", broken)
    period = services.start_solving(period=plan.period, by=None, time_limit=5)
    assert period.status == "draft"
    assert period.solver_progress["stage"] == "failed"
    assert "CP-SAT exploded" in period.solver_progress["error"]


def test_progress_is_written_at_most_once_a_second(plan, monkeypatch):
    from xungkich.rosters.plan import solver

    def slow(instance, *, time_limit, on_progress, **kwargs):
        on_progress("greedy", 3, 0.1)
        for step in range(25):
            time.sleep(0.1)
            on_progress("fill", 4 + step // 10, 0.1 * step)
        return Solution(assignments=[], stats={"engine": "fake"})

    writes = []
    original = tasks._write

    def spy(period_id, run, **changes):
        writes.append((time.monotonic(), changes))
        return original(period_id, run, **changes)

    monkeypatch.setattr(solver, "solve", slow)
    monkeypatch.setattr(tasks, "_write", spy)
    period = services.start_solving(period=plan.period, by=None, time_limit=5)
    ticks = [(at, c) for at, c in writes if "elapsed" in c]
    assert ticks, writes
    assert all(b[0] - a[0] >= 0.99 for a, b in itertools.pairwise(ticks))
    assert ticks[-1][1]["stage"] == "fill" and ticks[-1][1]["filled"] >= 4
    assert 1 <= ticks[-1][1]["percent"] <= 99
    assert period.solver_progress["stage"] == "done"


def test_a_unit_without_volunteers_gets_reasons(units):
    from xungkich.rosters.tests.mine_data import make_roster

    roster = make_roster(units["other"], start=MONDAY, days=2, publish=False)
    period = services.start_solving(period=roster.period, by=None, time_limit=2)
    assert period.solver_progress["summary"]["filled"] == 0
    assert {s.unfilled_code for s in period.shifts.all()} == {"no_one_reaches"}
