"""Who reads which reports.

- coordinators and viewers: their unit and every unit below it; unit leaders: their own unit (and
  what hangs below it); superusers: everything;
- volunteers and kiosks: 403 on every report page (``require_report_reader``);
- a unit or an export outside the reader's scope: 404;
- read-only: viewers read the dashboard and download the figures report (Word, PDF) of their scope;
  they do not recompute figures (``can_refresh`` is False: 403) and never get records: the CSV of
  sessions and the Excel workbook (it has records sheets) are 403 for them (``export_kinds``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from xungkich.people.models import OrgUnit, Role, User
from xungkich.reports.models import ReportExport

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

READER_ROLES = (Role.COORDINATOR, Role.UNIT_LEADER, Role.VIEWER)


def is_report_reader(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or (user.role in READER_ROLES and user.unit_id)))


def require_report_reader(user: User | AnonymousUser) -> None:
    if not is_report_reader(user):
        raise PermissionDenied


def report_units(user: User) -> QuerySet[OrgUnit]:
    """Units whose reports the user reads (each with its own subtree)."""
    if user.is_superuser:
        return OrgUnit.objects.all()
    own = user.unit
    if own is None or user.role not in READER_ROLES:
        return OrgUnit.objects.none()
    if user.role == Role.UNIT_LEADER:
        return OrgUnit.objects.filter(pk=own.pk)
    return OrgUnit.objects.filter(path__startswith=own.path)


def can_read_unit(user: User, unit: OrgUnit) -> bool:
    if user.is_superuser:
        return True
    own = user.unit
    if own is None or user.role not in READER_ROLES:
        return False
    if user.role == Role.UNIT_LEADER:
        return unit.pk == own.pk
    return unit.path.startswith(own.path)


def can_refresh(user: User) -> bool:
    """Recomputing figures is for those who run the work (coordinators, unit leaders)."""
    return bool(user.is_superuser or user.role in (Role.COORDINATOR, Role.UNIT_LEADER))


# Exports that hold figures only; the others (CSV, Excel) carry records sheets.
FIGURES_KINDS = (ReportExport.Kind.DOCX, ReportExport.Kind.PDF)


def can_read_records(user: User) -> bool:
    """Record-level exports are for those who run the work; the viewer role reads figures only."""
    return bool(user.is_superuser or user.role in (Role.COORDINATOR, Role.UNIT_LEADER))


def export_kinds(user: User) -> list[str]:
    """The export formats ``user`` may ask for and download."""
    if can_read_records(user):
        return list(ReportExport.Kind.values)
    return [str(kind) for kind in FIGURES_KINDS]


def default_unit(user: User) -> OrgUnit | None:
    if user.unit is not None:
        return user.unit
    if user.is_superuser:
        return OrgUnit.objects.order_by("depth", "path").first()
    return None


def get_unit_for_user(user: User, pk: int | None) -> tuple[OrgUnit, bool]:
    """(unit, can_refresh) for the report of unit ``pk`` (None: the user's own); 404 outside scope."""
    require_report_reader(user)
    unit = default_unit(user) if pk is None else OrgUnit.objects.filter(pk=pk).first()
    if unit is None or not can_read_unit(user, unit):
        raise Http404
    return unit, can_refresh(user)


def get_export_for_user(user: User, pk: int) -> tuple[ReportExport, bool]:
    """(export, can_edit): readers of the export's unit see and download it; 404 outside scope."""
    require_report_reader(user)
    export = ReportExport.objects.select_related("unit").filter(pk=pk).first()
    if export is None or not can_read_unit(user, export.unit):
        raise Http404
    if export.kind not in export_kinds(user):
        raise PermissionDenied  # a records export, in scope, for a figures-only reader
    return export, bool(user.is_superuser or export.requested_by_id == user.pk)
