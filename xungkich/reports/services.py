"""Actions of the reports app: asking for an export, recomputing a scope's figures.

Building the file is ``export_files.build_export``, run by ``tasks.build_export``.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from xungkich.core.audit import log_action
from xungkich.core.errors import DomainError
from xungkich.people.models import OrgUnit, User
from xungkich.places.models import ServicePoint
from xungkich.reports import rollups, tasks
from xungkich.reports.models import ReportExport

CONTENT_TYPES = {
    ReportExport.Kind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ReportExport.Kind.CSV: "text/csv; charset=utf-8",
    ReportExport.Kind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ReportExport.Kind.PDF: "application/pdf",
}


def start_export(*, kind: str, unit: OrgUnit, start: dt.date, end: dt.date, by: User | None) -> ReportExport:
    """Record the request and queue ``tasks.build_export`` (with the immediate backend it is done here)."""
    if kind not in ReportExport.Kind.values:
        raise DomainError(_("Unknown export format."), "bad_kind")
    if end < start:
        raise DomainError(_("The end date must not be before the start date."), "bad_range")
    with transaction.atomic():
        export = ReportExport.objects.create(kind=kind, unit=unit, start=start, end=end, requested_by=by)
        log_action(
            actor=by,
            action="reports.export_requested",
            obj=export,
            unit=unit,
            after={"kind": kind, "from": start.isoformat(), "to": end.isoformat()},
        )
    try:
        tasks.build_export.enqueue(export.pk)
    except Exception as exc:  # the queue is down: say so instead of waiting forever
        ReportExport.objects.filter(pk=export.pk).update(
            status=ReportExport.Status.FAILED, error=str(exc)[:255]
        )
        raise DomainError(
            _("The export could not be started. Try again later."), "export_unavailable"
        ) from exc
    export.refresh_from_db()
    return export


def refresh_scope(*, unit: OrgUnit, start: dt.date, end: dt.date, by: User | None) -> int:
    """Recompute the figures of a unit subtree's points (and point-less records) for some days."""
    units = list(unit.subtree().values_list("pk", flat=True))
    points = list(ServicePoint.objects.filter(unit_id__in=units).values_list("pk", flat=True))
    written = 0
    with transaction.atomic():
        for source in rollups.SOURCES:
            written += rollups.refresh(
                source=source, start=start, end=end, point_ids=points, unit_ids=units, sums=False
            )
        # The sums of the scope's months are derived afresh (a repair, not a difference).
        rollups.derive(start=start, end=end, unit_ids=units)
        log_action(
            actor=by,
            action="reports.figures_refreshed",
            obj=unit,
            unit=unit,
            after={"from": start.isoformat(), "to": end.isoformat(), "rows": written},
        )
    return written
