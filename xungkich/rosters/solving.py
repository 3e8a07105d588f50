"""Claiming a roster period for a solver run: who may start one, and when a run is given up as dead.

Shared by ``services.start_solving`` (which claims, then queues ``tasks.solve_period``) and by the
task itself when it is run directly without a run id (a shell, a test). Apart from both, so that
the import runs one way: services → tasks → solving.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xungkich.core.errors import DomainError
from xungkich.people.models import User
from xungkich.rosters.models import RosterPeriod

SOLVE_TIME_LIMITS = (10, 30, 60, 120, 300)
STALE_SOLVING = dt.timedelta(minutes=10)


def solving_is_stale(period: RosterPeriod, *, now: dt.datetime | None = None) -> bool:
    """A run that has not reported for a long while (its worker died): it may be started again."""
    progress = period.solver_progress or {}
    stamp = progress.get("updated_at") or progress.get("queued_at")
    if not stamp:
        return True
    try:
        updated = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return True
    limit = max(STALE_SOLVING, dt.timedelta(seconds=3 * float(progress.get("time_limit") or 0)))
    return (now or timezone.now()) - updated > limit


def claim_for_solving(*, period: RosterPeriod, by: User | None, time_limit: int = 30) -> RosterPeriod:
    """Mark the period SOLVING under a new run id (refused while another run is alive)."""
    if not 1 <= time_limit <= 600:
        raise DomainError(_("The solver may run from 1 second to 10 minutes."), "solve_time_limit")
    now = timezone.now()
    with transaction.atomic():
        period = RosterPeriod.objects.select_for_update(of=("self",)).select_related("unit").get(pk=period.pk)
        progress = period.solver_progress or {}
        if period.status == RosterPeriod.Status.SOLVING:
            if not solving_is_stale(period, now=now):
                raise DomainError(_("The solver is already working on this period."), "period_solving")
            previous = progress.get("previous_status") or RosterPeriod.Status.DRAFT
        else:
            previous = period.status
        if not period.shifts.exists():
            raise DomainError(
                _("This period has no shifts: add shift patterns to its service points first."),
                "period_no_shifts",
            )
        period.status = RosterPeriod.Status.SOLVING
        period.solver_progress = {
            "run": secrets.token_hex(6),
            "stage": "queued",
            "percent": 0,
            "elapsed": 0,
            "time_limit": time_limit,
            "previous_status": previous,
            "by": str(by) if by is not None else "",
            "queued_at": now.isoformat(),
            "updated_at": now.isoformat(),
        }
        period.save(update_fields=["status", "solver_progress"])
    return period
