"""Reading what the report pages, the exports and the API show (queries only, no writes)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from xungkich.people.models import OrgUnit
from xungkich.reports import figures as f
from xungkich.reports import rollups
from xungkich.reports.charts import Chart, bar_chart, column_chart
from xungkich.reports.figures import Figures, trend
from xungkich.reports.report import ReportInput
from xungkich.reports.sources import SOURCES, Scope
from xungkich.rosters.hours import AttendanceRow, counting_assignments, local_tz, served_hours
from xungkich.rosters.models import ServicePoint


@dataclass(frozen=True)
class Tile:
    tile_id: str
    label: str
    value: int | Decimal
    note: str = ""


@dataclass(frozen=True)
class PointLine:
    name: str
    shifts: int
    covered: int
    check_ins: int
    hours: Decimal
    no_shows: int


@dataclass(frozen=True)
class Dashboard:
    unit: OrgUnit
    start: dt.date
    end: dt.date
    figures: Figures
    tiles: list[Tile]
    charts: list[Chart]
    points: list[PointLine]


def point_names(figures: Figures) -> dict[int | None, str]:
    ids = [pk for pk in figures.points if pk is not None]
    names: dict[int | None, str] = dict(ServicePoint.objects.filter(pk__in=ids).values_list("pk", "name"))
    names[None] = _("No service point")
    return names


def _label(day: dt.date, by: str) -> str:
    return f"{day:%d/%m}" if by == "week" else f"{day:%m/%Y}"


def dashboard(*, unit: OrgUnit, start: dt.date, end: dt.date) -> Dashboard:
    """Everything the dashboard shows, from the rollups (4 queries)."""
    figures = rollups.figures(unit=unit, start=start, end=end)
    totals = figures.totals
    shifts = totals.get(f.SHIFTS, 0)
    tiles = [
        Tile("tile-hours", _("Volunteer hours"), figures.volunteer_hours),
        Tile("tile-check-ins", _("Volunteers on duty (check-ins)"), totals.get(f.CHECK_INS, 0)),
        Tile("tile-shifts", _("Shifts"), shifts),
        Tile(
            "tile-covered",
            _("Shifts fully staffed"),
            totals.get(f.SHIFTS_COVERED, 0),
            _("%(percent)s%% of shifts") % {"percent": _percent(totals.get(f.SHIFTS_COVERED, 0), shifts)},
        ),
        Tile("tile-no-shows", _("No-shows"), totals.get(f.NO_SHOWS, 0)),
        Tile("tile-late", _("Late arrivals"), totals.get(f.LATE, 0)),
    ]
    names = point_names(figures)
    lines = sorted(
        (
            PointLine(
                name=names.get(point_id, "—"),
                shifts=values.get(f.SHIFTS, 0),
                covered=values.get(f.SHIFTS_COVERED, 0),
                check_ins=values.get(f.CHECK_INS, 0),
                hours=f.quarters_to_hours(values.get(f.VOLUNTEER_QUARTERS, 0)),
                no_shows=values.get(f.NO_SHOWS, 0),
            )
            for point_id, values in figures.points.items()
        ),
        key=lambda line: (-line.hours, line.name),
    )
    weekly = trend(figures, f.VOLUNTEER_QUARTERS, by="week", start=start, end=end)
    monthly = trend(figures, f.VOLUNTEER_QUARTERS, by="month", start=start, end=end)
    charts = [
        column_chart(
            "chart-hours-week",
            _("Volunteer hours by week"),
            [(_label(day, "week"), f.quarters_to_hours(value)) for day, value in weekly],
        ),
        column_chart(
            "chart-hours-month",
            _("Volunteer hours by month"),
            [(_label(day, "month"), f.quarters_to_hours(value)) for day, value in monthly],
        ),
        column_chart(
            "chart-no-shows-week",
            _("No-shows by week"),
            [(_label(day, "week"), value) for day, value in trend(figures, f.NO_SHOWS, by="week", start=start, end=end)],
        ),
        bar_chart("chart-hours-point", _("Volunteer hours by service point"), [(line.name, line.hours) for line in lines]),
    ]
    return Dashboard(unit, start, end, figures, tiles, charts, lines)


def _percent(part: int, whole: int) -> str:
    if not whole:
        return "0"
    return str((Decimal(100 * part) / whole).quantize(Decimal("0.1"))).replace(".", ",")


def summary(*, unit: OrgUnit, start: dt.date, end: dt.date) -> dict[str, Any]:
    """The API's summary: totals, by point, breakdowns and weekly/monthly trends (plain JSON)."""
    figures = rollups.figures(unit=unit, start=start, end=end)
    names = point_names(figures)
    totals = figures.totals

    def series(metric: str, by: str) -> list[dict[str, Any]]:
        return [{"start": day, "value": value} for day, value in trend(figures, metric, by=by, start=start, end=end)]

    return {
        "unit": {"id": unit.pk, "name": unit.name},
        "from": start,
        "to": end,
        "sources": sorted(SOURCES),
        "totals": {metric: totals.get(metric, 0) for metric in f.ROSTER_METRICS},
        "volunteer_hours": str(figures.volunteer_hours),
        "by_point": [
            {"point_id": point_id, "name": names.get(point_id, ""), "figures": values}
            for point_id, values in sorted(figures.points.items(), key=lambda item: names.get(item[0], ""))
        ],
        "breakdowns": {metric: dict(figures.breakdown(metric)) for metric in sorted(figures.breakdowns)},
        "trends": {
            by: {metric: series(metric, by) for metric in (f.VOLUNTEER_QUARTERS, f.SHIFTS, f.NO_SHOWS)}
            for by in ("week", "month")
        },
    }


def report_input(*, unit: OrgUnit, start: dt.date, end: dt.date, issued_on: dt.date | None = None) -> ReportInput:
    figures = rollups.figures(unit=unit, start=start, end=end)
    parent = OrgUnit.objects.filter(pk=unit.parent_id).first() if unit.parent_id else None
    admin = unit.admin_unit.name if unit.admin_unit_id and unit.admin_unit else ""
    return ReportInput(
        unit_name=unit.name,
        parent_name=parent.name if parent else "",
        admin_unit_name=admin,
        start=start,
        end=end,
        figures=figures,
        point_names=point_names(figures),
        issued_on=issued_on or timezone.localdate(),
    )


RECORD_FIELDS = ("date", "point", "unit", "shift", "start", "end", "places", "check_ins", "no_shows", "hours")


def shift_records(*, unit: OrgUnit, start: dt.date, end: dt.date) -> Iterator[dict[str, Any]]:
    """One record per shift (no personal data: counts only), streamed in date order."""
    shifts = SOURCES["roster"].shifts(Scope(start=start, end=end, unit_path=unit.path))  # type: ignore[attr-defined]
    tz = local_tz()
    counts: dict[int, dict[str, Any]] = {}
    for shift_id, s_start, s_end, check_in, check_out, late, no_show in (
        counting_assignments()
        .filter(shift__in=shifts.values("pk"))
        .values_list("shift_id", "shift__start", "shift__end", "check_in_at", "check_out_at", "late_minutes", "no_show")
        .iterator(chunk_size=5000)
    ):
        row = AttendanceRow(0, 0, "", "", s_start, s_end, check_in, check_out, late, no_show)
        entry = counts.setdefault(shift_id, {"check_ins": 0, "no_shows": 0, "hours": Decimal(0)})
        if row.served:
            entry["check_ins"] += 1
            entry["hours"] += served_hours(row)
        elif no_show:
            entry["no_shows"] += 1
    for shift_id, s_start, s_end, name, point, unit_name, demand in (
        shifts.order_by("start", "point__name", "pk")
        .values_list("pk", "start", "end", "name", "point__name", "period__unit__name", "demand")
        .iterator(chunk_size=5000)
    ):
        entry = counts.get(shift_id, {"check_ins": 0, "no_shows": 0, "hours": Decimal(0)})
        local_start, local_end = timezone.localtime(s_start, tz), timezone.localtime(s_end, tz)
        yield {
            "date": local_start.date(),
            "point": point,
            "unit": unit_name,
            "shift": name,
            "start": f"{local_start:%H:%M}",
            "end": f"{local_end:%H:%M}",
            "places": demand,
            **entry,
        }


def count_shifts(*, unit: OrgUnit, start: dt.date, end: dt.date) -> int:
    return SOURCES["roster"].shifts(Scope(start=start, end=end, unit_path=unit.path)).count()  # type: ignore[attr-defined]
