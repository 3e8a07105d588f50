"""Reading what the report pages, the exports and the API show (queries only, no writes)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from xungkich.people.models import OrgUnit
from xungkich.places.models import ServicePoint
from xungkich.reports import figures as f
from xungkich.reports import labels, rollups
from xungkich.reports.charts import Chart, bar_chart, column_chart
from xungkich.reports.figures import Figures, trend
from xungkich.reports.report import ReportInput
from xungkich.reports.sources import SOURCES, Scope
from xungkich.rosters.attendance.hours import AttendanceRow, counting_assignments, local_tz, served_hours


@dataclass(frozen=True)
class Tile:
    tile_id: str
    label: str
    value: int | Decimal | None
    note: str = ""
    suffix: str = ""
    places: str = "0g"  # the floatformat argument: "0g" counts, "-1" shares, "-2g" hours


@dataclass(frozen=True)
class PointLine:
    name: str
    sessions: int
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
    names[None] = _("Elsewhere (no service point)")
    return names


def _label(day: dt.date, by: str) -> str:
    return f"{day:%d/%m}" if by == "week" else f"{day:%m/%Y}"


def tiles(figures: Figures) -> list[Tile]:
    totals = figures.totals
    sessions = totals.get(f.SESSIONS, 0)
    shifts = totals.get(f.SHIFTS, 0)
    answered = totals.get(f.FOLLOWUPS_ANSWERED, 0)
    return [
        Tile(
            "tile-sessions",
            _("Citizens helped"),
            figures.citizens_helped,
            _("%(count)s help sessions recorded, the rest counted at campaign activities")
            % {"count": sessions}
            if totals.get(f.CAMPAIGN_HELPED, 0)
            else "",
        ),
        Tile("tile-accounts", _("Accounts created"), figures.accounts_created),
        Tile("tile-submissions", _("Procedures submitted online"), totals.get(f.ONLINE_SUBMISSIONS, 0)),
        Tile("tile-apps", _("Apps installed"), totals.get(f.APPS_INSTALLED, 0)),
        Tile(
            "tile-first-online",
            _("First-time online users"),
            totals.get(f.FIRST_ONLINE, 0),
            _("%(percent)s%% of help sessions recorded")
            % {"percent": _percent(totals.get(f.FIRST_ONLINE, 0), sessions)},
        ),
        Tile(
            "tile-failed",
            _("Could not be done"),
            totals.get(f.FAILED, 0),
            _("%(percent)s%% of help sessions recorded")
            % {"percent": _percent(totals.get(f.FAILED, 0), sessions)},
        ),
        Tile(
            "tile-habit",
            _("Went on alone"),
            figures.share(f.FOLLOWUPS_ALONE, f.FOLLOWUPS_ANSWERED),
            _("did an online procedure alone, of %(count)s follow-up calls answered") % {"count": answered},
            suffix="%",
            places="-1",
        ),
        Tile(
            "tile-rating",
            _("Satisfaction"),
            figures.average_rating,
            _("average of %(count)s ratings, out of 5") % {"count": totals.get(f.RATINGS, 0)},
            places="-2",
        ),
        Tile("tile-hours", _("Volunteer hours"), figures.volunteer_hours, places="-2g"),
        Tile(
            "tile-covered",
            _("Shifts fully staffed"),
            totals.get(f.SHIFTS_COVERED, 0),
            _("%(percent)s%% of %(count)s shifts that have ended")
            % {"percent": _percent(totals.get(f.SHIFTS_COVERED, 0), shifts), "count": shifts},
        ),
        Tile("tile-no-shows", _("No-shows"), totals.get(f.NO_SHOWS, 0)),
        Tile("tile-banners", _("Banners and panels placed"), figures.figure(f.BANNERS_PANELS)),
        Tile(
            "tile-reach",
            _("People reached by campaigns"),
            totals.get(f.PEOPLE_REACHED, 0),
            _("%(activities)s activities; %(check_ins)s of %(registrations)s registered came to events")
            % {
                "activities": totals.get(f.ACTIVITIES, 0),
                "check_ins": totals.get(f.EVENT_CHECK_INS, 0),
                "registrations": totals.get(f.REGISTRATIONS, 0),
            },
        ),
    ]


def dashboard(*, unit: OrgUnit, start: dt.date, end: dt.date) -> Dashboard:
    """Everything the dashboard shows, from the rollups (at most 5 queries)."""
    figures = rollups.figures(unit=unit, start=start, end=end)
    fmt = "vi" if (translation.get_language() or "vi").startswith("vi") else "en"
    bar, column = partial(bar_chart, fmt=fmt), partial(column_chart, fmt=fmt)
    names = point_names(figures)
    lines = sorted(
        (
            PointLine(
                name=names.get(point_id, "—"),
                sessions=f.defined(values, f.CITIZENS_HELPED),
                shifts=values.get(f.SHIFTS, 0),
                covered=values.get(f.SHIFTS_COVERED, 0),
                check_ins=values.get(f.CHECK_INS, 0),
                hours=f.quarters_to_hours(values.get(f.VOLUNTEER_QUARTERS, 0)),
                no_shows=values.get(f.NO_SHOWS, 0),
            )
            for point_id, values in figures.points.items()
        ),
        key=lambda line: (-line.sessions, -line.hours, line.name),
    )

    def series(metric: str, by: str, hours: bool = False) -> list[tuple[str, int | Decimal]]:
        return [
            (_label(day, by), f.quarters_to_hours(value) if hours else value)
            for day, value in trend(figures, metric, by=by, start=start, end=end)
        ]

    titles = labels.breakdown_titles()

    def breakdown(metric: str) -> Chart:
        return bar(
            f"chart-{metric.replace('_', '-')}",
            titles[metric],
            labels.labelled(metric, figures.breakdown(metric)),
        )

    charts = [
        column("chart-sessions-week", _("Citizens helped by week"), series(f.CITIZENS_HELPED, "week")),
        column("chart-sessions-month", _("Citizens helped by month"), series(f.CITIZENS_HELPED, "month")),
        breakdown(f.BY_NEED),
        breakdown(f.BY_OUTCOME),
        breakdown(f.BY_FAILURE),
        breakdown(f.BY_PROCEDURE),
        breakdown(f.BY_WARD),
        bar(
            "chart-sessions-point",
            _("Citizens helped by service point"),
            [(line.name, line.sessions) for line in lines if line.sessions],
        ),
        breakdown(f.BY_AGE),
        breakdown(f.BY_GENDER),
        column(
            "chart-hours-week", _("Volunteer hours by week"), series(f.VOLUNTEER_QUARTERS, "week", hours=True)
        ),
        column("chart-no-shows-week", _("No-shows by week"), series(f.NO_SHOWS, "week")),
        column(
            "chart-reach-month", _("People reached by campaigns, by month"), series(f.PEOPLE_REACHED, "month")
        ),
        breakdown(f.BY_ACTIVITY_KIND),
    ]
    return Dashboard(unit, start, end, figures, tiles(figures), charts, lines)


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
        return [
            {"start": day, "value": value}
            for day, value in trend(figures, metric, by=by, start=start, end=end)
        ]

    return {
        "unit": {"id": unit.pk, "name": unit.name},
        "from": start,
        "to": end,
        "sources": sorted(SOURCES),
        "totals": {
            metric: totals.get(metric, 0)
            for metric in (
                *f.HELP_METRICS,
                f.RATINGS,
                f.RATING_POINTS,
                *f.ROSTER_METRICS,
                *(m for m in f.CAMPAIGN_METRICS if m != f.BY_ACTIVITY_KIND),
            )
        },
        # The figures people read, as the dashboard and the reports define them (figures.DEFINITIONS).
        "figures": {
            "citizens_helped": figures.citizens_helped,
            "accounts_created": figures.accounts_created,
            "banners_panels": figures.figure(f.BANNERS_PANELS),
            "shifts_ended": totals.get(f.SHIFTS, 0),
            "shifts_fully_staffed": totals.get(f.SHIFTS_COVERED, 0),
            "volunteer_hours": str(figures.volunteer_hours),
        },
        "volunteer_hours": str(figures.volunteer_hours),
        "by_point": [
            {"point_id": point_id, "name": names.get(point_id, ""), "figures": values}
            for point_id, values in sorted(figures.points.items(), key=lambda item: names.get(item[0], ""))
        ],
        "breakdowns": {metric: dict(figures.breakdown(metric)) for metric in sorted(figures.breakdowns)},
        "trends": {
            by: {
                metric: series(metric, by)
                for metric in (
                    f.CITIZENS_HELPED,
                    f.SESSIONS,
                    f.ONLINE_SUBMISSIONS,
                    f.VOLUNTEER_QUARTERS,
                    f.SHIFTS,
                    f.NO_SHOWS,
                )
            }
            for by in ("week", "month")
        },
    }


def report_input(
    *, unit: OrgUnit, start: dt.date, end: dt.date, issued_on: dt.date | None = None
) -> ReportInput:
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
        key_names={
            metric: labels.key_labels(metric, [key for key, _value in figures.breakdown(metric)])
            for metric in figures.breakdowns
        },
    )


RECORD_FIELDS = ("date", "point", "unit", "shift", "start", "end", "places", "check_ins", "no_shows", "hours")


def shift_records(*, unit: OrgUnit, start: dt.date, end: dt.date) -> Iterator[dict[str, Any]]:
    """One record per shift that has ended (no personal data: counts only), streamed in date order.

    Future and running shifts are left out, as in the staffing figures, so the sheet adds up to them.
    """
    shifts = SOURCES["roster"].shifts(Scope(start=start, end=end, unit_path=unit.path))  # type: ignore[attr-defined]
    shifts = shifts.filter(end__lte=timezone.now())
    tz = local_tz()
    counts: dict[int, dict[str, Any]] = {}
    for shift_id, s_start, s_end, check_in, check_out, late, no_show in (
        counting_assignments()
        .filter(shift__in=shifts.values("pk"))
        .values_list(
            "shift_id", "shift__start", "shift__end", "check_in_at", "check_out_at", "late_minutes", "no_show"
        )
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


SESSION_FIELDS = (
    "helped_on",
    "unit__name",
    "point__name",
    "place_kind",
    "place_ward__name",
    "need",
    "procedure_code",
    "procedure_name",
    "channel",
    "outcome",
    "failure_reason",
    "duration_minutes",
    "age_band",
    "gender",
    "ward__name",
    "first_online",
    "performed_by",
)


def session_records(*, unit: OrgUnit, start: dt.date, end: dt.date) -> Iterator[dict[str, Any]]:
    """Help sessions without personal data (``session_rows``), each as a dict by field."""
    for row in session_rows(unit=unit, start=start, end=end):
        yield dict(zip(SESSION_FIELDS, row, strict=True))


def session_rows(
    *, unit: OrgUnit, start: dt.date, end: dt.date, fields: Sequence[str] = SESSION_FIELDS
) -> Iterator[list[Any]]:
    """Help sessions without personal data: no notes, no dossier code, no phone, no volunteer,
    no ticket; codes turned into the words people read. Rows of ``fields`` (some of
    ``SESSION_FIELDS``), in date order, streamed (server-side cursor, tuples: no model
    instances, no dicts, no query per row)."""
    from xungkich.helpdesk.models import (
        AgeBand,
        Channel,
        FailureReason,
        Gender,
        Outcome,
        PerformedBy,
        PlaceKind,
    )
    from xungkich.tickets.models import Need

    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise ValueError(f"not a field of the session records: {', '.join(sorted(unknown))}")
    choices = {
        "place_kind": PlaceKind,
        "need": Need,
        "channel": Channel,
        "outcome": Outcome,
        "failure_reason": FailureReason,
        "age_band": AgeBand,
        "gender": Gender,
        "performed_by": PerformedBy,
    }
    labels = [
        (index, {str(value): str(label) for value, label in choices[name].choices})
        for index, name in enumerate(fields)
        if name in choices
    ]
    yes, no = _("yes"), _("no")
    flags = [index for index, name in enumerate(fields) if name == "first_online"]
    sessions = SOURCES["help"].sessions(Scope(start=start, end=end, unit_path=unit.path))  # type: ignore[attr-defined]
    for values in sessions.order_by("helped_on", "pk").values_list(*fields).iterator(chunk_size=5000):
        row = list(values)
        for index, mapping in labels:
            value = row[index]
            row[index] = mapping.get(value, value) if value else ""
        for index in flags:
            first = row[index]
            row[index] = "" if first is None else (yes if first else no)
        yield row
