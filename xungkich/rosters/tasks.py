"""Background work of the duty rotation: solving a period.

``services.start_solving`` marks the period SOLVING and enqueues ``solve_period``. The task builds
the instance, runs the solver in a helper thread and, from its own thread (the one that owns the
database connection), writes the progress into ``period.solver_progress`` at most once a second:

    {"run", "stage", "percent", "filled", "places", "elapsed", "time_limit", "previous_status",
     "updated_at", ["summary"], ["error"]}

Then it applies the solution (``planning.apply_solution``) and puts the period back to the status
it had (draft or published). A run that was cancelled or replaced meanwhile (another ``run`` id)
changes nothing. Errors end up in ``solver_progress["error"]``.
"""

from __future__ import annotations

import concurrent.futures
import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task

from xungkich.core.errors import DomainError
from xungkich.people.models import User
from xungkich.rosters.models import RosterPeriod
from xungkich.rosters.plan import planning
from xungkich.rosters.plan.instance import Instance, Solution, dump_solution, load_instance
from xungkich.rosters.solving import claim_for_solving

logger = logging.getLogger(__name__)

WRITE_EVERY = 1.0  # seconds between two progress writes
FILL_STAGES = ("greedy", "fill", "done")


class _Progress:
    """The solver's latest report, shared between its thread and the task's."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.stage = "building"
        self.filled: float | None = None
        self.elapsed = 0.0

    def update(self, stage: str, objective: float, elapsed: float) -> None:
        with self.lock:
            self.stage = stage.split(":", 1)[0]
            self.elapsed = elapsed
            if stage in FILL_STAGES:
                self.filled = objective

    def read(self) -> tuple[str, float | None, float]:
        with self.lock:
            return self.stage, self.filled, self.elapsed


def _write(period_id: int, run: str, **changes: Any) -> bool:
    """Merge ``changes`` into the progress of run ``run``; False when that run is no longer current."""
    with transaction.atomic():
        period = RosterPeriod.objects.select_for_update(of=("self",)).filter(pk=period_id).first()
        if period is None or (period.solver_progress or {}).get("run") != run:
            return False
        if period.status != RosterPeriod.Status.SOLVING:
            return False
        period.solver_progress = {
            **period.solver_progress,
            **changes,
            "updated_at": timezone.now().isoformat(),
        }
        period.save(update_fields=["solver_progress"])
    return True


def _solve_in_thread(
    instance: Instance,
    time_limit: float,
    progress: _Progress,
    on_tick: Any,
) -> Solution:
    """Run the solver in a helper thread; call ``on_tick()`` here about once a second meanwhile."""
    from xungkich.rosters.plan import solver

    language = translation.get_language()

    def work() -> Solution:
        with translation.override(language):
            return solver.solve(instance, time_limit=time_limit, on_progress=progress.update)

    with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="roster-solver") as pool:
        future = pool.submit(work)
        while True:
            try:
                return future.result(timeout=WRITE_EVERY)
            except concurrent.futures.TimeoutError:
                on_tick()


@task()
def solve_period(
    period_id: int, time_limit: float, run: str = "", by_id: int | None = None
) -> dict[str, Any]:
    """Solve the period, apply the roster, restore its status. Returns the summary (or the error).

    The reasons stored for empty places are in the site's language (``LANGUAGE_CODE``), whoever
    started the run and whichever worker runs it.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _solve_period(period_id, time_limit, run, by_id)


def _solve_period(period_id: int, time_limit: float, run: str, by_id: int | None) -> dict[str, Any]:
    period = RosterPeriod.objects.select_related("unit").filter(pk=period_id).first()
    if period is None:
        return {"error": "no such period"}
    if not run:  # run directly (a shell, a test): claim the period first
        period = _claim(period, time_limit)
        run = period.solver_progress["run"]
    elif period.status != RosterPeriod.Status.SOLVING or period.solver_progress.get("run") != run:
        return {"error": "cancelled"}
    by = User.objects.filter(pk=by_id).first() if by_id else None
    started = time.monotonic()
    try:
        plan = planning.plan_period(period)
        instance = load_instance(plan.instance)
        places = sum(s.demand for s in plan.data.shifts)
        kept = len(plan.fixed)
        _write(period_id, run, stage="building", places=places, filled=kept, percent=1)
        progress = _Progress()
        last = {"at": time.monotonic()}

        def tick() -> None:
            if time.monotonic() - last["at"] < WRITE_EVERY:
                return
            last["at"] = time.monotonic()
            stage, filled, elapsed = progress.read()
            _write(
                period_id,
                run,
                stage=stage,
                filled=kept + int(filled) if filled is not None else kept,
                elapsed=round(elapsed, 1),
                percent=max(1, min(99, int(100 * elapsed / max(time_limit, 0.1)))),
            )

        solution = _solve_in_thread(instance, time_limit, progress, tick)
        if not _write(period_id, run, stage="saving", percent=99):
            return {"error": "cancelled"}
        summary = _apply(period_id, run, dump_solution(solution), by)
    except DomainError as exc:
        _finish(period_id, run, stage="failed", error=str(exc), code=exc.code)
        return {"error": str(exc), "code": exc.code}
    except Exception as exc:
        logger.exception("Solving roster period %s failed", period_id)
        _finish(period_id, run, stage="failed", error=str(exc) or exc.__class__.__name__, code="error")
        raise
    if summary is None:
        return {"error": "cancelled"}
    return {
        **summary,
        "engine": solution.stats.get("engine", ""),
        "seconds": round(time.monotonic() - started, 1),
    }


def _claim(period: RosterPeriod, time_limit: float) -> RosterPeriod:
    return claim_for_solving(period=period, by=None, time_limit=max(1, round(time_limit)))


def _apply(period_id: int, run: str, solution: dict[str, Any], by: User | None) -> dict[str, Any] | None:
    """Apply and restore the status in one transaction, only if the run is still the current one."""
    with transaction.atomic():
        period = (
            RosterPeriod.objects.select_for_update(of=("self",))
            .select_related("unit")
            .filter(pk=period_id)
            .first()
        )
        if period is None or period.status != RosterPeriod.Status.SOLVING:
            return None
        progress = dict(period.solver_progress or {})
        if progress.get("run") != run:
            return None
        summary = planning.apply_solution(period=period, solution=solution, by=by)
        period.status = progress.get("previous_status") or RosterPeriod.Status.DRAFT
        progress.update(
            stage="done",
            percent=100,
            filled=summary["filled"],
            places=summary["places"],
            summary=summary,
            finished_at=timezone.now().isoformat(),
            updated_at=timezone.now().isoformat(),
        )
        progress.pop("error", None)
        period.solver_progress = progress
        period.save(update_fields=["status", "solver_progress"])
    return summary


def _finish(period_id: int, run: str, **changes: Any) -> None:
    """End a failed run: the period goes back to its status, the error stays in the progress."""
    with transaction.atomic():
        period = RosterPeriod.objects.select_for_update(of=("self",)).filter(pk=period_id).first()
        if period is None or (period.solver_progress or {}).get("run") != run:
            return
        progress = {**period.solver_progress, **changes, "updated_at": timezone.now().isoformat()}
        if period.status == RosterPeriod.Status.SOLVING:
            period.status = progress.get("previous_status") or RosterPeriod.Status.DRAFT
        period.solver_progress = progress
        period.save(update_fields=["status", "solver_progress"])
