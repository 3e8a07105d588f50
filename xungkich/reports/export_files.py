"""Building an export file (the work of ``tasks.build_export``): its columns, sheets and progress.

``services.start_export`` records the request and queues the task; the task calls ``build_export``
here. The work lives apart from the services so that the import runs one way: services → tasks →
export_files.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.core.files import File
from django.core.files.storage import storages
from django.utils import timezone
from django.utils.translation import gettext as _

from xungkich.core.pdf import render_document
from xungkich.reports import exporters, labels, rollups, selectors
from xungkich.reports import figures as f
from xungkich.reports.docx import render_docx
from xungkich.reports.exporters import Column, Sheet
from xungkich.reports.figures import trend
from xungkich.reports.models import ReportExport
from xungkich.reports.report import report_document, report_filename


def _progress(export: ReportExport, percent: int, **changes: Any) -> None:
    export.percent = max(0, min(100, percent))
    fields = ["percent"]
    for name, value in changes.items():
        setattr(export, name, value)
        fields.append(name)
    export.save(update_fields=fields)


def build_export(export: ReportExport) -> ReportExport:
    """Write the file into the private storage, reporting progress on the export as it goes."""
    _progress(export, 1, status=ReportExport.Status.RUNNING)
    unit = export.unit
    extension = export.kind
    name = report_filename(unit.name, export.start, export.end, extension)
    storage = storages["private"]
    try:
        if export.kind in (ReportExport.Kind.DOCX, ReportExport.Kind.PDF):
            document = report_document(selectors.report_input(unit=unit, start=export.start, end=export.end))
            _progress(export, 50)
            content = (
                render_docx(document) if export.kind == ReportExport.Kind.DOCX else render_document(document)
            )
            saved = storage.save(f"reports/{export.pk}/{name}", File(io.BytesIO(content)))
        else:
            with tempfile.TemporaryFile() as handle:
                if export.kind == ReportExport.Kind.CSV:
                    text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
                    exporters.write_csv(
                        text,
                        columns=session_columns(),
                        records=selectors.session_records(unit=unit, start=export.start, end=export.end),
                    )
                    text.flush()
                    text.detach()
                else:
                    write_workbook(handle, export)
                handle.seek(0)
                saved = storage.save(f"reports/{export.pk}/{name}", File(handle))
    except Exception as exc:
        _progress(
            export,
            export.percent,
            status=ReportExport.Status.FAILED,
            error=(str(exc) or exc.__class__.__name__)[:255],
        )
        raise
    _progress(export, 100, status=ReportExport.Status.DONE, file_name=saved, finished_at=timezone.now())
    return export


def session_columns() -> list[Column]:
    """The columns of the records export: nothing that identifies a person."""
    return [
        Column("helped_on", _("Date")),
        Column("unit__name", _("Unit")),
        Column("point__name", _("Service point")),
        Column("place_kind", _("Place")),
        Column("place_ward__name", _("Ward of the place")),
        Column("need", _("Need")),
        Column("procedure_code", _("Procedure code")),
        Column("procedure_name", _("Procedure")),
        Column("channel", _("Portal or app")),
        Column("outcome", _("Outcome")),
        Column("failure_reason", _("Reason")),
        Column("duration_minutes", _("Minutes")),
        Column("age_band", _("Age band")),
        Column("gender", _("Gender")),
        Column("ward__name", _("Ward of residence")),
        Column("first_online", _("First online procedure")),
        Column("performed_by", _("Who did the steps")),
    ]


def shift_columns() -> list[Column]:
    return [
        Column("date", _("Date")),
        Column("point", _("Service point")),
        Column("unit", _("Unit")),
        Column("shift", _("Shift")),
        Column("start", _("Start")),
        Column("end", _("End")),
        Column("places", _("Places")),
        Column("check_ins", _("Check-ins")),
        Column("no_shows", _("No-shows")),
        Column("hours", _("Volunteer hours")),
    ]


TREND_METRICS = (
    f.CITIZENS_HELPED,
    f.ACCOUNTS_TOTAL,
    f.ONLINE_SUBMISSIONS,
    f.APPS_INSTALLED,
    f.FIRST_ONLINE,
    f.FAILED,
    f.VOLUNTEER_QUARTERS,
    f.SHIFTS,
    f.SHIFTS_COVERED,
    f.NO_SHOWS,
    f.PEOPLE_REACHED,
)


def _value(metric: str, value: int) -> int | Any:
    return f.quarters_to_hours(value) if metric == f.VOLUNTEER_QUARTERS else value


def _of(values: dict[str, int], metric: str) -> int:
    """A stored metric, or a defined figure (citizens helped …) computed as ``figures`` defines it."""
    return f.defined(values, metric) if metric in f.DEFINITIONS else values.get(metric, 0)


def workbook_sheets(export: ReportExport) -> list[Sheet]:
    unit, start, end = export.unit, export.start, export.end
    data = selectors.report_input(unit=unit, start=start, end=end)
    figures = data.figures
    names = labels.metric_labels()
    totals = figures.totals
    headings = [names[m] for m in TREND_METRICS]

    def trend_rows(by: str) -> list[list[Any]]:
        series = {metric: trend(figures, metric, by=by, start=start, end=end) for metric in TREND_METRICS}
        first = series[TREND_METRICS[0]]
        return [
            [first[i][0], *(_value(m, series[m][i][1]) for m in TREND_METRICS)] for i in range(len(first))
        ]

    summary_rows: list[Sequence[Any]] = [[names[m], _value(m, _of(totals, m))] for m in names]
    summary_rows.append([_("Average rating (out of 5)"), figures.average_rating])
    summary_rows.append(
        [
            _("Went on alone (per cent of follow-up calls answered)"),
            figures.share(f.FOLLOWUPS_ALONE, f.FOLLOWUPS_ANSWERED),
        ]
    )
    summary_rows.append([_("Average minutes per session"), figures.average_minutes])
    wide = (14,) + (14,) * len(TREND_METRICS)
    sheets = [
        Sheet(_("Summary"), [_("Figure"), _("Value")], summary_rows, (52, 16)),
        Sheet(_("By week"), [_("Week of"), *headings], trend_rows("week"), wide),
        Sheet(_("By month"), [_("Month"), *headings], trend_rows("month"), wide),
        Sheet(
            _("By service point"),
            [_("Service point"), *headings],
            [
                [data.point_names.get(point_id, ""), *(_value(m, _of(values, m)) for m in TREND_METRICS)]
                for point_id, values in sorted(
                    figures.points.items(), key=lambda item: data.point_names.get(item[0], "")
                )
            ],
            (44,) + (14,) * len(TREND_METRICS),
        ),
    ]
    titles = labels.breakdown_titles()
    for metric in titles:
        if metric in figures.breakdowns:
            key_names = data.key_names.get(metric, {})
            rows: list[Sequence[Any]] = [
                [key_names.get(key, key), value] for key, value in figures.breakdown(metric)
            ]
            sheets.append(Sheet(titles[metric], [_("Group"), _("Value")], rows, (52, 14)))
    columns = session_columns()
    sheets.append(
        Sheet(
            _("Help sessions"),
            [c.heading for c in columns],
            selectors.session_rows(unit=unit, start=start, end=end, fields=[c.name for c in columns]),
            (12, 28, 30, 16, 22, 22, 14, 36, 20, 16, 22, 10, 12, 10, 22, 12, 22),
        )
    )
    columns = shift_columns()
    sheets.append(
        Sheet(
            # Like the staffing figures, only shifts that have ended (so the sheet adds up to them).
            _("Ended shifts"),
            [c.heading for c in columns],
            record_rows(columns, selectors.shift_records(unit=unit, start=start, end=end)),
            (12, 40, 30, 14, 8, 8, 10, 12, 12, 14),
        )
    )
    return sheets


def record_rows(columns: Sequence[Column], records: Iterable[dict[str, Any]]) -> Iterator[list[Any]]:
    """Records as rows of ``columns``, lazily. The columns are bound here, when the sheet is made:
    a generator expression over a name rebound later (``columns = shift_columns()``) would read
    every help session with the shift columns and write empty rows."""
    names = [column.name for column in columns]
    for record in records:
        yield [record.get(name) for name in names]


def write_workbook(handle: Any, export: ReportExport) -> int:
    """The workbook, streamed; progress from the number of records the rollups announce."""
    period = f"{export.start:%d/%m/%Y} – {export.end:%d/%m/%Y}"
    sheets = workbook_sheets(export)
    totals = rollups.figures(unit=export.unit, start=export.start, end=export.end).totals
    expected = max(1, totals.get(f.SESSIONS, 0) + totals.get(f.SHIFTS, 0))

    def on_row(count: int) -> None:
        _progress(export, 5 + int(90 * min(1.0, count / expected)))

    return exporters.write_xlsx(
        handle,
        title=_("Results of %(unit)s") % {"unit": export.unit.name},
        subtitle=period,
        sheets=sheets,
        on_row=on_row,
    )
