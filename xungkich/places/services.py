"""Writes to service points. Each owns its transaction and audits.

Closing a day stays with the rosters (``rosters.services.close_day``): it also removes the draft
shifts of that day, which is the rotation's business, not the point's.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from xungkich.core.audit import log_action, snapshot
from xungkich.core.errors import DomainError
from xungkich.lib.vietnamese import clean_text
from xungkich.people.models import AdminUnit, OrgUnit, User
from xungkich.places.models import ServicePoint

POINT_FIELDS = ["name", "kind", "address", "unit", "admin_unit", "opening_hours", "is_active"]


def create_service_point(
    *,
    by: User | None,
    name: str,
    unit: OrgUnit,
    kind: str = ServicePoint.Kind.CENTRE,
    address: str = "",
    admin_unit: AdminUnit | None = None,
    opening_hours: str = "",
) -> ServicePoint:
    name = clean_text(name)
    if not name:
        raise DomainError(_("A service point needs a name."), "point_name_required")
    with transaction.atomic():
        if ServicePoint.objects.filter(unit=unit, name=name).exists():
            raise DomainError(
                _("A service point named “%(name)s” already exists in this unit.") % {"name": name},
                "point_duplicate",
            )
        point = ServicePoint.objects.create(
            name=name,
            kind=kind,
            address=clean_text(address),
            unit=unit,
            admin_unit=admin_unit,
            opening_hours=clean_text(opening_hours),
        )
        log_action(actor=by, action="point.create", obj=point, unit=unit, after=snapshot(point, POINT_FIELDS))
    return point


def update_service_point(
    *,
    by: User | None,
    point: ServicePoint,
    name: str,
    kind: str,
    address: str = "",
    admin_unit: AdminUnit | None = None,
    opening_hours: str = "",
    is_active: bool = True,
) -> ServicePoint:
    """Change a point's details (its unit stays: the shifts and rosters that use it belong there)."""
    name = clean_text(name)
    if not name:
        raise DomainError(_("A service point needs a name."), "point_name_required")
    with transaction.atomic():
        point = ServicePoint.objects.select_for_update().get(pk=point.pk)
        if ServicePoint.objects.filter(unit_id=point.unit_id, name=name).exclude(pk=point.pk).exists():
            raise DomainError(
                _("A service point named “%(name)s” already exists in this unit.") % {"name": name},
                "point_duplicate",
            )
        before = snapshot(point, POINT_FIELDS)
        point.name, point.kind, point.address = name, kind, clean_text(address)
        point.admin_unit, point.opening_hours, point.is_active = (
            admin_unit,
            clean_text(opening_hours),
            is_active,
        )
        point.save(update_fields=["name", "kind", "address", "admin_unit", "opening_hours", "is_active"])
        log_action(
            actor=by,
            action="point.update",
            obj=point,
            unit=point.unit,
            before=before,
            after=snapshot(point, POINT_FIELDS),
        )
    return point
