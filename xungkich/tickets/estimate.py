"""How long a citizen will wait: plain data in, plain data out (no database).

The estimate comes from today's own service times at the point: the median of the called→finished
durations of recently finished tickets, divided among the desks that are working. Before the first
ticket of the day is finished there is nothing to measure: a default is used and said to be one.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

DEFAULT_SERVICE_MINUTES = 8.0  # a typical help at the desk (account problems, one procedure)
# A desk counts as working when it called a number within this time.
ACTIVE_DESK_WINDOW = dt.timedelta(minutes=60)


@dataclass(frozen=True)
class Estimate:
    minutes: int
    service_minutes: float  # the typical time at the desk used for the estimate
    desks: int
    measured: bool  # False: no ticket finished today yet, the default was used
    samples: int


def median_service_minutes(durations: Sequence[dt.timedelta]) -> float | None:
    """The median help time in minutes, or None without data (negative durations are ignored)."""
    minutes = [d.total_seconds() / 60 for d in durations if d.total_seconds() >= 0]
    if not minutes:
        return None
    return float(statistics.median(minutes))


def active_desks(calls: Iterable[tuple[str, dt.datetime]], *, now: dt.datetime) -> int:
    """Distinct desks that called a number within ACTIVE_DESK_WINDOW before ``now``."""
    return len({desk for desk, at in calls if desk and now - at <= ACTIVE_DESK_WINDOW})


def estimate_wait(
    *,
    ahead: int,
    durations: Sequence[dt.timedelta],
    desks: int,
    default_minutes: float = DEFAULT_SERVICE_MINUTES,
) -> Estimate:
    """Minutes until the citizen is called when ``ahead`` people wait before them.

    ``ahead`` people are shared among ``desks`` working desks (at least one), each taking the
    median time; the result is rounded up to whole minutes (0 when nobody is ahead).
    """
    measured = median_service_minutes(durations)
    service = measured if measured is not None else default_minutes
    desks = max(desks, 1)
    minutes = math.ceil(ahead * service / desks) if ahead > 0 else 0
    return Estimate(
        minutes=minutes,
        service_minutes=round(service, 1),
        desks=desks,
        measured=measured is not None,
        samples=len(durations),
    )
