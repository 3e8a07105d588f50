"""Keeping the daily figures up to date, and reading them.

- ``refresh(source=…, start=…, end=…, point_ids=…, unit_ids=…)`` replaces that source's rows of
  those days (and those points / units without a point, or everything) in one transaction.
- Services that record something call ``mark_changed`` inside their own transaction (one INSERT
  into ``PendingChange``, committed with the record or not at all); ``drain`` refreshes each
  changed (source, day, point or unit) once. ``figures`` drains first, so what it reads is never
  behind the records, and ``manage.py refresh_rollups`` drains on a schedule so that the reader
  rarely has work to do. ``refresh_for`` refreshes one key at once (commands, tests).
- ``rebuild`` is the same over a whole range, a month at a time (``manage.py rebuild_rollups``).
- ``figures(unit=…, start=…, end=…)`` reads ``Figures`` for a unit subtree from the rollups in three
  GROUP BY queries; ``raw_figures`` computes the same from the raw records (tests, benchmark).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.db import transaction
from django.db.models import DateField, DateTimeField, F, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth, TruncWeek
from django.utils import timezone

from xungkich.core.days import local_day
from xungkich.people.models import OrgUnit
from xungkich.reports import marks
from xungkich.reports.figures import FigureRow, Figures, from_rows, make_figures, merge_rows
from xungkich.reports.models import DailyFigure, PendingChange, RollupFigure, RollupMark
from xungkich.reports.sources import SOURCES, Key, Scope, Source
from xungkich.rosters.models import RosterPeriod, Shift

BATCH = 5000
DAY_GRAINS = [RollupFigure.Grain.DAY_UNIT, RollupFigure.Grain.DAY_POINT, RollupFigure.Grain.DAY_KEY]
SUM_GRAINS = [
    RollupFigure.Grain.MONTH_KEY,
    RollupFigure.Grain.MONTH_POINT,
    RollupFigure.Grain.WEEK_KEY,
    RollupFigure.Grain.WEEK_POINT,
]


def _source(source: str | Source) -> Source:
    return SOURCES[source] if isinstance(source, str) else source


def _store(source: Source, rows: Iterable[FigureRow]) -> int:
    iterator = iter(rows)
    written = 0
    while batch := list(islice(iterator, BATCH)):
        DailyFigure.objects.bulk_create(
            [
                DailyFigure(
                    day=row.day,
                    unit_id=row.unit_id,
                    point_id=row.point_id,
                    source=source.name,
                    metric=row.metric,
                    key=row.key,
                    value=row.value,
                )
                for row in batch
            ]
        )
        written += len(batch)
    return written


def refresh(
    *,
    source: str | Source,
    start: dt.date,
    end: dt.date,
    point_ids: Collection[int] | None = None,
    unit_ids: Collection[int] | None = None,
    sums: bool = True,
) -> int:
    """Recompute a source's rows for local days [start, end]; ``None`` ids: every point and unit.

    ``sums=False`` leaves the coarser sums alone (``rebuild`` derives them once per month after
    every source). Returns the number of daily rows written.
    """
    source = _source(source)
    scope = Scope(start=start, end=end, point_ids=point_ids, unit_ids=unit_ids)
    stale = DailyFigure.objects.filter(source=source.name, day__gte=start, day__lte=end)
    if point_ids is not None or unit_ids is not None:
        condition = Q(point_id__in=list(point_ids or ()))
        if unit_ids:
            condition |= Q(point__isnull=True, unit_id__in=list(unit_ids))
        stale = stale.filter(condition)
    with transaction.atomic():
        old = (
            [
                FigureRow(day, unit_id, point_id, metric, key, -int(total))
                for day, unit_id, point_id, metric, key, total in stale.values(
                    "day", "unit_id", "point_id", "metric", "key"
                )
                .annotate(total=Sum("value"))
                .values_list("day", "unit_id", "point_id", "metric", "key", "total")
            ]
            if sums
            else []
        )
        stale.delete()
        rows = merge_rows(source.collect(scope))
        written = _store(source, rows)
        if sums:
            _apply(start=start, end=end, changes=old + rows)
        return written


def _apply(*, start: dt.date, end: dt.date, changes: list[FigureRow]) -> None:
    """Bring the coarser sums in step with changed daily rows (old ones negative, new positive).

    Day sums of the touched units are recomputed for [start, end]; weekly and monthly sums are
    adjusted by the differences, so a one-day refresh costs in proportion to that day.
    """
    grain = RollupFigure.Grain
    units = {row.unit_id for row in changes}
    if not units:
        return
    RollupFigure.objects.filter(
        grain__in=DAY_GRAINS, day__gte=start, day__lte=end, unit_id__in=units
    ).delete()
    RollupFigure.objects.bulk_create(
        _day_sums(DailyFigure.objects.filter(day__gte=start, day__lte=end, unit_id__in=units)),
        batch_size=BATCH,
    )
    deltas: dict[tuple[str, dt.date, int, int | None, str, str], int] = defaultdict(int)
    for row in changes:
        month, week = row.day.replace(day=1), monday_of(row.day)
        if row.key:
            deltas[(grain.MONTH_KEY, month, row.unit_id, None, row.metric, row.key)] += row.value
            deltas[(grain.WEEK_KEY, week, row.unit_id, None, row.metric, row.key)] += row.value
        else:
            deltas[(grain.MONTH_POINT, month, row.unit_id, row.point_id, row.metric, "")] += row.value
            deltas[(grain.WEEK_POINT, week, row.unit_id, row.point_id, row.metric, "")] += row.value
    # Read, adjust and rewrite the touched sums (a month's 1st may also be a Monday: rows of both
    # kinds read here are all rewritten, so the overlap is harmless).
    current = RollupFigure.objects.filter(
        grain__in=SUM_GRAINS, day__in={key[1] for key in deltas}, unit_id__in=units
    )
    sums: dict[tuple[str, dt.date, int, int | None, str, str], int] = defaultdict(int)
    for figure in current.values_list("grain", "day", "unit_id", "point_id", "metric", "key", "value"):
        sums[figure[:6]] += figure[6]
    for key, delta in deltas.items():
        sums[key] += delta
    current.delete()
    RollupFigure.objects.bulk_create(
        [
            RollupFigure(
                grain=g, day=day, unit_id=unit_id, point_id=point_id, metric=metric, key=key, value=value
            )
            for (g, day, unit_id, point_id, metric, key), value in sums.items()
            if value
        ],
        batch_size=BATCH,
    )


def _day_sums(daily: QuerySet[DailyFigure]) -> list[RollupFigure]:
    """The day grains of some daily figures: totals by unit, totals by point, breakdowns by unit.

    The daily figures hold every source's rows of every point; these are the same numbers summed
    (over sources, and over points for breakdowns) in the compact table the dashboard reads.
    """
    grain = RollupFigure.Grain
    totals = daily.filter(key="").order_by()
    made = [
        RollupFigure(grain=grain.DAY_UNIT, day=day, unit_id=unit_id, metric=metric, value=total)
        for day, unit_id, metric, total in totals.values("day", "unit_id", "metric")
        .annotate(total=Sum("value"))
        .values_list("day", "unit_id", "metric", "total")
    ]
    made += [
        RollupFigure(
            grain=grain.DAY_POINT, day=day, unit_id=unit_id, point_id=point_id, metric=metric, value=total
        )
        for day, unit_id, point_id, metric, total in totals.values("day", "unit_id", "point_id", "metric")
        .annotate(total=Sum("value"))
        .values_list("day", "unit_id", "point_id", "metric", "total")
    ]
    made += [
        RollupFigure(grain=grain.DAY_KEY, day=day, unit_id=unit_id, metric=metric, key=key, value=total)
        for day, unit_id, metric, key, total in daily.exclude(key="")
        .order_by()
        .values("day", "unit_id", "metric", "key")
        .annotate(total=Sum("value"))
        .values_list("day", "unit_id", "metric", "key", "total")
    ]
    return [figure for figure in made if figure.value]


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    months, current = [], start.replace(day=1)
    while current <= end:
        months.append(current)
        current = _next_month(current)
    return months


def _next_month(month: dt.date) -> dt.date:
    return (month.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def derive(*, start: dt.date, end: dt.date, unit_ids: Collection[int] | None = None) -> int:
    """Recompute the coarser sums of the months touching [start, end] (of some units, or all)."""
    written = 0
    for month in _months(start, end):
        following = _next_month(month)
        daily = DailyFigure.objects.filter(day__gte=month, day__lt=following)
        # Weeks cross month ends: ``_derive_weeks`` below replaces exactly the weeks it recomputes.
        derived = RollupFigure.objects.filter(day__gte=month, day__lt=following).exclude(
            grain__in=[RollupFigure.Grain.WEEK_POINT, RollupFigure.Grain.WEEK_KEY]
        )
        if unit_ids is not None:
            if not unit_ids:
                continue
            daily = daily.filter(unit_id__in=list(unit_ids))
            derived = derived.filter(unit_id__in=list(unit_ids))
        derived.delete()
        grain = RollupFigure.Grain
        made = _day_sums(daily)
        made += _period_sums(daily, TruncMonth, point_grain=grain.MONTH_POINT, key_grain=grain.MONTH_KEY)
        RollupFigure.objects.bulk_create([figure for figure in made if figure.value], batch_size=BATCH)
        written += len(made)
    return written + _derive_weeks(start=start, end=end, unit_ids=unit_ids)


def _period_sums(
    daily: QuerySet[DailyFigure],
    trunc: type[TruncMonth] | type[TruncWeek],
    *,
    point_grain: str,
    key_grain: str,
) -> list[RollupFigure]:
    """Monthly or weekly sums of some daily figures: totals by point, breakdowns by unit."""
    period = trunc("day", output_field=DateField())
    made = [
        RollupFigure(
            grain=point_grain, day=day, unit_id=unit_id, point_id=point_id, metric=metric, value=total
        )
        for day, unit_id, point_id, metric, total in daily.filter(key="")
        .annotate(period=period)
        .values("period", "unit_id", "point_id", "metric")
        .annotate(total=Sum("value"))
        .order_by()
        .values_list("period", "unit_id", "point_id", "metric", "total")
    ]
    made += [
        RollupFigure(grain=key_grain, day=day, unit_id=unit_id, metric=metric, key=key, value=total)
        for day, unit_id, metric, key, total in daily.exclude(key="")
        .annotate(period=period)
        .values("period", "unit_id", "metric", "key")
        .annotate(total=Sum("value"))
        .order_by()
        .values_list("period", "unit_id", "metric", "key", "total")
    ]
    return made


def _derive_weeks(*, start: dt.date, end: dt.date, unit_ids: Collection[int] | None) -> int:
    """Recompute the weekly sums of every week touching [start, end] (Monday to Sunday).

    A week crossing a month end reads the days of both months; ``rebuild`` goes month by month
    in order, so such a week is derived again, complete, with the following month.
    """
    if unit_ids is not None and not unit_ids:
        return 0
    first, last = monday_of(start), monday_of(end)
    daily = DailyFigure.objects.filter(day__gte=first, day__lte=last + dt.timedelta(days=6))
    derived = RollupFigure.objects.filter(
        grain__in=[RollupFigure.Grain.WEEK_POINT, RollupFigure.Grain.WEEK_KEY], day__gte=first, day__lte=last
    )
    if unit_ids is not None:
        daily = daily.filter(unit_id__in=list(unit_ids))
        derived = derived.filter(unit_id__in=list(unit_ids))
    derived.delete()
    grain = RollupFigure.Grain
    made = _period_sums(daily, TruncWeek, point_grain=grain.WEEK_POINT, key_grain=grain.WEEK_KEY)
    made = [figure for figure in made if figure.value]
    RollupFigure.objects.bulk_create(made, batch_size=BATCH)
    return len(made)


def refresh_for(
    *, source: str | Source, day: dt.date, point_id: int | None = None, unit_id: int | None = None
) -> int:
    """One record changed: refresh its (day, point) key, or (day, unit) when it has no point."""
    if point_id is not None:
        return refresh(source=source, start=day, end=day, point_ids=[point_id])
    if unit_id is None:
        raise ValueError("refresh_for needs a point or a unit")
    return refresh(source=source, start=day, end=day, point_ids=[], unit_ids=[unit_id])


def rebuild(
    *,
    start: dt.date,
    end: dt.date,
    sources: Iterable[str] | None = None,
    on_progress: Callable[[str, dt.date, int], None] | None = None,
) -> int:
    """Recompute the sources over [start, end] and then the month's sums, one month per transaction."""
    written = 0
    names = list(sources or SOURCES)
    current = start
    while current <= end:
        last = min(end, _next_month(current) - dt.timedelta(days=1))
        with transaction.atomic():
            for name in names:
                count = refresh(source=name, start=current, end=last, sums=False)
                written += count
                if on_progress is not None:
                    on_progress(name, last, count)
            derive(start=current, end=last)
        current = last + dt.timedelta(days=1)
    return written


def mark_changed(
    *, source: str | Source, day: dt.date, point_id: int | None = None, unit_id: int | None = None
) -> None:
    """A record of ``source`` changed at (day, point) — or (day, unit) when it has no point.

    Call it inside the transaction that writes the record. One INSERT and no lock: recording help
    at a busy desk does not wait for the day's figures to be recomputed (``drain`` does that).
    """
    if point_id is None and unit_id is None:
        raise ValueError("mark_changed needs a point or a unit")
    PendingChange.objects.create(
        source=_source(source).name, day=day, point_id=point_id, unit_id=None if point_id else unit_id
    )


DRAIN_BATCH = 1000


def drain() -> int:
    """Refresh the figures of every pending change, each distinct key once; returns the keys done.

    Each batch is one transaction: the pending rows are locked, refreshed and deleted together, so
    a crash leaves them pending. A concurrent drain waits for the rows it would take and then
    finds them gone (and the figures current).
    """
    mark_ended_shifts()
    if not PendingChange.objects.exists():
        return 0
    done = 0
    while True:
        with transaction.atomic():
            batch = list(
                PendingChange.objects.select_for_update()
                .order_by("pk")
                .values_list("pk", "source", "day", "point_id", "unit_id")[:DRAIN_BATCH]
            )
            if not batch:
                return done
            PendingChange.objects.filter(pk__in=[row[0] for row in batch]).delete()
            by_source: dict[str, set[tuple[dt.date, int | None, int | None]]] = defaultdict(set)
            for _pk, source, day, point_id, unit_id in batch:
                by_source[source].add((day, point_id, unit_id))
            for source, keys in by_source.items():
                if source in SOURCES:  # a source removed since the change was marked: nothing to do
                    refresh_keys(source=source, keys=keys)
                    done += len(keys)
        if len(batch) < DRAIN_BATCH:
            return done


ENDED_MARK = "roster_ended"


def mark_ended_shifts(*, now: dt.datetime | None = None) -> int:
    """Mark the roster keys of shifts that have ended since the last look; returns the keys marked.

    The roster figures count what has happened by the time of their refresh (ended shifts, hours
    credited at the shift's end), so a shift ending changes them with no record written. ``drain``
    calls this first: one SELECT when no shift has ended since (the look-back without a mark is
    the catch-up's window). The mark only moves forward; two readers marking the same keys at once
    cost one refresh more, nothing else.
    """
    now = now or timezone.now()
    lookback = now - dt.timedelta(days=SOURCES["roster"].WINDOW_BEFORE)  # type: ignore[attr-defined]
    since = Coalesce(
        Subquery(RollupMark.objects.filter(name=ENDED_MARK).values("at")[:1]),
        Value(lookback, output_field=DateTimeField()),
    )
    ended = list(
        Shift.objects.filter(period__status=RosterPeriod.Status.PUBLISHED, end__lte=now)
        .alias(since=since)
        .filter(end__gt=F("since"))
        .order_by()
        .values_list("start", "point_id")
        .distinct()
    )
    if not ended:
        return 0
    marked = marks.mark_many(
        source="roster", keys=[(local_day(start), point_id, None) for start, point_id in ended]
    )
    RollupMark.objects.bulk_create([RollupMark(name=ENDED_MARK, at=now)], ignore_conflicts=True)
    RollupMark.objects.filter(name=ENDED_MARK, at__lt=now).update(at=now)
    return marked


def refresh_keys(
    *, source: str | Source, keys: Iterable[Key] | Iterable[tuple[dt.date, int | None, int | None]]
) -> int:
    """Refresh (day, point, unit) keys, one refresh per day (its points, and its point-less units).

    The unit matters only for keys without a point (and may be None for keys with one)."""
    by_day: dict[dt.date, tuple[set[int], set[int]]] = defaultdict(lambda: (set(), set()))
    for day, point_id, unit_id in keys:
        points, units = by_day[day]
        if point_id is None:
            assert unit_id is not None, "a key without a point needs its unit"
            units.add(unit_id)
        else:
            points.add(point_id)
    written = 0
    for day, (points, units) in sorted(by_day.items()):
        written += refresh(source=source, start=day, end=day, point_ids=points, unit_ids=units)
    return written


def refresh_changed(*, since: dt.datetime) -> dict[str, int]:
    """The catch-up: refresh every key whose records changed since ``since``; keys per source."""
    done: dict[str, int] = {}
    for name, source in SOURCES.items():
        keys = source.changed_keys(since)
        refresh_keys(source=source, keys=keys)
        done[name] = len(keys)
    return done


def catch_up(
    *, now: dt.datetime | None = None, overlap: dt.timedelta = dt.timedelta(minutes=2)
) -> dict[str, int]:
    """``refresh_changed`` since the last catch-up (a little overlap for slow transactions)."""
    now = now or timezone.now()
    drain()
    with transaction.atomic():
        mark, _created = RollupMark.objects.select_for_update().get_or_create(
            name="catch_up", defaults={"at": now - dt.timedelta(days=1)}
        )
        done = refresh_changed(since=mark.at - overlap)
        mark.at = now
        mark.save(update_fields=["at"])
    return done


# --- Reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadPlan:
    """How a period is read: whole months, then whole weeks of the rest, then the days left over."""

    months: list[dt.date]
    weeks: list[dt.date]  # Mondays
    days: list[tuple[dt.date, dt.date]]  # inclusive ranges, at most one at each end of a gap


def read_plan(start: dt.date, end: dt.date) -> ReadPlan:
    months = [m for m in _months(start, end) if m >= start and _next_month(m) - dt.timedelta(days=1) <= end]
    gaps = (
        [(start, months[0] - dt.timedelta(days=1)), (_next_month(months[-1]), end)]
        if months
        else [(start, end)]
    )
    weeks: list[dt.date] = []
    days: list[tuple[dt.date, dt.date]] = []
    for first, last in gaps:
        if first > last:
            continue
        monday = first + dt.timedelta(days=(7 - first.weekday()) % 7)
        inside = []
        while monday + dt.timedelta(days=6) <= last:
            inside.append(monday)
            monday += dt.timedelta(days=7)
        if not inside:
            days.append((first, last))
            continue
        weeks += inside
        if first < inside[0]:
            days.append((first, inside[0] - dt.timedelta(days=1)))
        if inside[-1] + dt.timedelta(days=6) < last:
            days.append((inside[-1] + dt.timedelta(days=7), last))
    return ReadPlan(months=months, weeks=weeks, days=days)


def figures(*, unit: OrgUnit, start: dt.date, end: dt.date) -> Figures:
    """The figures of ``unit`` and every unit below it, days [start, end], from the rollups.

    Whole months come from the monthly sums, whole weeks of the partial months from the weekly
    sums, and at most six days at each end from the daily sums: a handful of GROUP BY queries
    over a few thousand rows, whatever the number of help sessions. Pending changes are drained
    first (one query when there are none).
    """
    drain()
    subtree = Q(unit__path__startswith=unit.path)
    plan = read_plan(start, end)
    grain = RollupFigure.Grain
    derived = RollupFigure.objects.filter(subtree)
    days: dict[dt.date, dict[str, int]] = defaultdict(dict)
    for day, metric, value in (
        derived.filter(grain=grain.DAY_UNIT, day__gte=start, day__lte=end)
        .values("day", "metric")
        .annotate(total=Sum("value"))
        .values_list("day", "metric", "total")
    ):
        days[day][metric] = int(value)
    points: dict[int | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    breakdowns: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    point_rows: list[QuerySet[Any]] = []
    key_rows: list[QuerySet[Any]] = []
    if plan.days:
        in_days = Q()
        for first, last in plan.days:
            in_days |= Q(day__gte=first, day__lte=last)
        point_rows.append(derived.filter(in_days, grain=grain.DAY_POINT))
        key_rows.append(derived.filter(in_days, grain=grain.DAY_KEY))
    for periods, point_grain, key_grain in (
        (plan.weeks, grain.WEEK_POINT, grain.WEEK_KEY),
        (plan.months, grain.MONTH_POINT, grain.MONTH_KEY),
    ):
        if periods:
            point_rows.append(derived.filter(grain=point_grain, day__in=periods))
            key_rows.append(derived.filter(grain=key_grain, day__in=periods))
    for queryset in point_rows:
        for point_id, metric, value in (
            queryset.values("point_id", "metric")
            .annotate(total=Sum("value"))
            .values_list("point_id", "metric", "total")
        ):
            points[point_id][metric] += int(value)
    for queryset in key_rows:
        for metric, key, value in (
            queryset.values("metric", "key")
            .annotate(total=Sum("value"))
            .values_list("metric", "key", "total")
        ):
            breakdowns[metric][key] += int(value)
    return make_figures(days, points, breakdowns)


def raw_figures(*, unit: OrgUnit, start: dt.date, end: dt.date) -> Figures:
    """The same figures computed from the raw records (slow on big data; for checks)."""
    scope = Scope(start=start, end=end, unit_path=unit.path)

    def rows() -> Iterable[FigureRow]:
        for source in SOURCES.values():
            yield from source.collect(scope)

    return from_rows(rows())
