"""Where figures come from: one small class per kind of raw record.

A source knows its metrics and turns raw records of some days (and some points or units) into
figure rows. ``rollups.refresh`` stores those rows; ``rollups.raw_figures`` sums them directly
(the raw path that tests and the benchmark compare the rollups with).

Adding a source (help sessions, campaign activities) is local: write a class with ``name``,
``metrics`` and ``collect``, add it to ``SOURCES``, and have the service that records such a
record call ``rollups.refresh_for(source=…, day=…, point_id=…, unit_id=…)`` in its transaction.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from xungkich.reports import figures as f
from xungkich.reports.figures import FigureRow
from xungkich.rosters.hours import AttendanceRow, counting_assignments, local_tz, served_minutes
from xungkich.rosters.models import RosterPeriod, Shift


@dataclass(frozen=True)
class Scope:
    """Which raw records to read: local days [start, end] and, optionally, a part of the tree.

    ``point_ids``/``unit_ids`` (refreshing a few keys): records at those points, or without a point
    at those units. ``unit_path`` (the raw path of the dashboard): records of units in that subtree.
    """

    start: dt.date
    end: dt.date
    point_ids: Collection[int] | None = None
    unit_ids: Collection[int] | None = None
    unit_path: str | None = None


def local_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = local_tz()
    return (
        dt.datetime.combine(start, dt.time(), tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=tz),
    )


class Source:
    name: str = ""
    metrics: tuple[str, ...] = ()

    def collect(self, scope: Scope) -> Iterator[FigureRow]:  # pragma: no cover - interface
        raise NotImplementedError


def _quarters(minutes: int) -> int:
    """Quarter hours of one shift, rounded as ``hours.served_hours`` rounds (7.5 min and up → up)."""
    return (2 * minutes + 15) // 30


class RosterSource(Source):
    """Shifts of published periods (by the local day they start, the period's unit, the point)."""

    name = "roster"
    metrics = f.ROSTER_METRICS

    def shifts(self, scope: Scope) -> QuerySet[Shift]:
        since, until = local_bounds(scope.start, scope.end)
        queryset = Shift.objects.filter(
            period__status=RosterPeriod.Status.PUBLISHED, start__gte=since, start__lt=until
        )
        if scope.point_ids is not None or scope.unit_ids is not None:
            # Every shift has a point: a refresh by unit reaches no roster row.
            queryset = queryset.filter(point_id__in=list(scope.point_ids or ()))
        if scope.unit_path is not None:
            queryset = queryset.filter(period__unit__path__startswith=scope.unit_path)
        return queryset

    def collect(self, scope: Scope) -> Iterator[FigureRow]:
        shifts = self.shifts(scope)
        tz = local_tz()
        served: dict[int, int] = defaultdict(int)
        per_shift: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        assignments = (
            counting_assignments()
            .filter(shift__in=shifts.values("pk"))
            .values_list("shift_id", "shift__start", "shift__end", "check_in_at", "check_out_at", "late_minutes", "no_show")
            .iterator(chunk_size=5000)
        )
        for shift_id, shift_start, shift_end, check_in, check_out, late, no_show in assignments:
            row = AttendanceRow(0, 0, "", "", shift_start, shift_end, check_in, check_out, late, no_show)
            counts = per_shift[shift_id]
            if row.served:
                served[shift_id] += 1
                counts[f.CHECK_INS] += 1
                counts[f.VOLUNTEER_QUARTERS] += _quarters(served_minutes(row))
                if late > 0:
                    counts[f.LATE] += 1
            elif no_show:
                counts[f.NO_SHOWS] += 1
        for shift_id, start, unit_id, point_id, demand in shifts.values_list(
            "pk", "start", "period__unit_id", "point_id", "demand"
        ).iterator(chunk_size=5000):
            day = timezone.localtime(start, tz).date()
            yield FigureRow(day, unit_id, point_id, f.SHIFTS, "", 1)
            yield FigureRow(day, unit_id, point_id, f.PLACES, "", demand)
            if served.get(shift_id, 0) >= demand:
                yield FigureRow(day, unit_id, point_id, f.SHIFTS_COVERED, "", 1)
            for metric, value in per_shift.get(shift_id, {}).items():
                yield FigureRow(day, unit_id, point_id, metric, "", value)


SOURCES: dict[str, Source] = {source.name: source for source in (RosterSource(),)}


def point_filter(scope: Scope, *, point: str = "point_id", unit: str = "unit_id") -> Q:
    """The record filter matching ``scope.point_ids``/``unit_ids`` (for sources with optional points)."""
    condition = Q(**{f"{point}__in": list(scope.point_ids or ())})
    if scope.unit_ids:
        condition |= Q(**{f"{point}__isnull": True, f"{unit}__in": list(scope.unit_ids)})
    return condition
