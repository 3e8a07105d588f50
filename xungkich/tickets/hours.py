"""When a service point takes numbers (pure: plain data in, plain data out).

A point's opening hours are its active shift patterns (weekdays and times, the machine-readable
side of ``ServicePoint.opening_hours``); its closed days are the roster's ``ClosedDay`` rows (of the
point or of every point). A point with no hours recorded is open at any time except a closed day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass

# How far ahead the next opening is looked for (closed days are loaded for as long).
HORIZON_DAYS = 92


@dataclass(frozen=True)
class Opening:
    weekdays: frozenset[int]  # ISO: Monday = 1 … Sunday = 7
    start: dt.time
    end: dt.time  # the first minute closed again


def _covers(opening: Opening, day: dt.date, time: dt.time) -> bool:
    return day.isoweekday() in opening.weekdays and opening.start <= time < opening.end


def is_open(openings: Iterable[Opening], closed: Collection[dt.date], at: dt.datetime) -> bool:
    """Whether the point takes numbers at ``at`` (a local, aware datetime)."""
    day = at.date()
    if day in closed:
        return False
    openings = list(openings)
    if not openings:
        return True
    time = at.time().replace(tzinfo=None)
    return any(_covers(opening, day, time) for opening in openings)


def next_opening(
    openings: Iterable[Opening], closed: Collection[dt.date], at: dt.datetime
) -> dt.datetime | None:
    """The next moment after ``at`` when the point opens (local); None when none is in sight.

    A point without hours opens at midnight of its next day that is not closed.
    """
    openings = list(openings)
    tz = at.tzinfo
    for offset in range(HORIZON_DAYS + 1):
        day = at.date() + dt.timedelta(days=offset)
        if day in closed:
            continue
        if not openings:
            start = dt.datetime.combine(day, dt.time(0), tzinfo=tz)
            if start > at:
                return start
            continue
        starts = sorted(
            dt.datetime.combine(day, opening.start, tzinfo=tz)
            for opening in openings
            if day.isoweekday() in opening.weekdays
        )
        for start in starts:
            if start > at:
                return start
    return None
