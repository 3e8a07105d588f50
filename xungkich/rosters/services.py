from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from xungkich.core.audit import log_action, snapshot
from xungkich.core.errors import DomainError
from xungkich.lib.vietnamese import clean_text
from xungkich.people.models import AdminUnit, OrgUnit, User
from xungkich.rosters.models import ServicePoint

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
        log_action(
            actor=by, action="point.create", obj=point, unit=unit, after=snapshot(point, POINT_FIELDS)
        )
    return point
