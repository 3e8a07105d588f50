"""Writes to people and units. Each function owns its transaction and leaves an audit entry."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from xungkich.core.audit import log_action, snapshot
from xungkich.core.errors import DomainError
from xungkich.lib.phones import InvalidPhone, normalize_phone
from xungkich.lib.vietnamese import clean_text, fold
from xungkich.people.adminunits import AdminUnitRow
from xungkich.people.models import AdminUnit, OrgUnit, Skill, User, Volunteer

UNIT_FIELDS = ["name", "kind", "parent", "admin_unit", "is_active"]
VOLUNTEER_FIELDS = [
    "full_name",
    "birth_date",
    "gender",
    "unit",
    "position",
    "phone",
    "email",
    "skills",
    "notes",
    "is_active",
    "joined_on",
]
PATH_STEP = 6  # digits per level: "000012/"


def _path_for(unit: OrgUnit) -> str:
    prefix = unit.parent.path if unit.parent else ""
    return f"{prefix}{unit.pk:0{PATH_STEP}d}/"


# --- Units ------------------------------------------------------------------------------------


def create_unit(
    *,
    by: User | None,
    name: str,
    kind: str,
    parent: OrgUnit | None,
    admin_unit: AdminUnit | None = None,
) -> OrgUnit:
    name = clean_text(name)
    if not name:
        raise DomainError(_("A unit needs a name."), "unit_name_required")
    with transaction.atomic():
        _refuse_sibling_clash(parent=parent, name=name, exclude_pk=None)
        # The path needs the primary key: insert with a unique placeholder, then set it.
        unit = OrgUnit(name=name, kind=kind, parent=parent, admin_unit=admin_unit)
        unit.path = f"new-{uuid.uuid4().hex}"
        unit.depth = parent.depth + 1 if parent else 0
        unit.save()
        unit.path = _path_for(unit)
        unit.save(update_fields=["path"])
        log_action(actor=by, action="unit.create", obj=unit, unit=unit, after=snapshot(unit, UNIT_FIELDS))
    return unit


def _refuse_sibling_clash(*, parent: OrgUnit | None, name: str, exclude_pk: int | None) -> None:
    """Sibling units may not share a name, whatever the case or accents typed."""
    key = fold(name)
    siblings = OrgUnit.objects.filter(parent=parent)
    if exclude_pk is not None:
        siblings = siblings.exclude(pk=exclude_pk)
    if any(fold(sibling) == key for sibling in siblings.values_list("name", flat=True)):
        raise DomainError(
            _("A unit named “%(name)s” already exists there.") % {"name": name}, "unit_duplicate"
        )


def update_unit(
    *,
    by: User | None,
    unit: OrgUnit,
    name: str,
    kind: str,
    parent: OrgUnit | None,
    admin_unit: AdminUnit | None,
    is_active: bool = True,
) -> OrgUnit:
    name = clean_text(name)
    if not name:
        raise DomainError(_("A unit needs a name."), "unit_name_required")
    with transaction.atomic():
        unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
        if parent is not None and parent.is_within(unit):
            raise DomainError(
                _("A unit cannot be moved under itself or one of its own sub-units."),
                "unit_cycle",
            )
        _refuse_sibling_clash(parent=parent, name=name, exclude_pk=unit.pk)
        before = snapshot(unit, UNIT_FIELDS)
        old_path, old_depth = unit.path, unit.depth
        unit.name, unit.kind, unit.parent, unit.admin_unit = name, kind, parent, admin_unit
        unit.is_active = is_active
        unit.path = _path_for(unit)
        unit.depth = parent.depth + 1 if parent else 0
        unit.save(update_fields=["name", "kind", "parent", "admin_unit", "is_active", "path", "depth"])
        if unit.path != old_path:
            _move_descendants(old_path, unit.path, unit.depth - old_depth)
        log_action(
            actor=by,
            action="unit.update",
            obj=unit,
            unit=unit,
            before=before,
            after=snapshot(unit, UNIT_FIELDS),
        )
    return unit


def _move_descendants(old_prefix: str, new_prefix: str, depth_change: int) -> None:
    descendants = list(
        OrgUnit.objects.select_for_update()
        .filter(path__startswith=old_prefix)
        .exclude(path=old_prefix)
        .order_by("path")
    )
    for child in descendants:
        child.path = new_prefix + child.path[len(old_prefix) :]
        child.depth += depth_change
    OrgUnit.objects.bulk_update(descendants, ["path", "depth"])


# --- Volunteers -------------------------------------------------------------------------------


def _clean_volunteer_data(data: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(data)
    for key in ("full_name", "position", "notes"):
        if key in cleaned:
            cleaned[key] = clean_text(cleaned[key]) if key != "notes" else (cleaned[key] or "").strip()
    if not cleaned.get("full_name"):
        raise DomainError(_("The full name is required."), "volunteer_name_required")
    phone = cleaned.get("phone") or ""
    if phone:
        try:
            cleaned["phone"] = normalize_phone(phone)
        except InvalidPhone as exc:
            raise DomainError(
                _("“%(phone)s” is not a valid phone number.") % {"phone": phone}, "phone_invalid"
            ) from exc
    cleaned["email"] = (cleaned.get("email") or "").strip().lower()
    return cleaned


def _save_volunteer(volunteer: Volunteer, data: dict[str, Any], skills: Iterable[Skill] | None) -> None:
    for key, value in data.items():
        setattr(volunteer, key, value)
    volunteer.refresh_keys()
    try:
        with transaction.atomic():
            volunteer.save()
    except IntegrityError as exc:
        raise DomainError(
            _("Another volunteer already has the phone number %(phone)s.") % {"phone": volunteer.phone},
            "phone_taken",
        ) from exc
    if skills is not None:
        volunteer.skills.set(skills)


def create_volunteer(*, by: User | None, data: dict[str, Any], skills: Iterable[Skill] = ()) -> Volunteer:
    cleaned = _clean_volunteer_data(data)
    with transaction.atomic():
        volunteer = Volunteer()
        _save_volunteer(volunteer, cleaned, skills)
        log_action(
            actor=by,
            action="volunteer.create",
            obj=volunteer,
            unit=volunteer.unit,
            after=snapshot(volunteer, VOLUNTEER_FIELDS),
        )
    return volunteer


def update_volunteer(
    *,
    by: User | None,
    volunteer: Volunteer,
    data: dict[str, Any],
    skills: Iterable[Skill] | None = None,
) -> Volunteer:
    cleaned = _clean_volunteer_data({**_current(volunteer), **data})
    with transaction.atomic():
        volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        before = snapshot(volunteer, VOLUNTEER_FIELDS)
        _save_volunteer(volunteer, cleaned, skills)
        after = snapshot(volunteer, VOLUNTEER_FIELDS)
        if after != before:
            log_action(
                actor=by,
                action="volunteer.update",
                obj=volunteer,
                unit=volunteer.unit,
                before=before,
                after=after,
            )
    return volunteer


def _current(volunteer: Volunteer) -> dict[str, Any]:
    return {name: getattr(volunteer, name) for name in VOLUNTEER_FIELDS if name != "skills"}


def set_volunteer_active(*, by: User | None, volunteer: Volunteer, active: bool) -> Volunteer:
    return update_volunteer(by=by, volunteer=volunteer, data={"is_active": active})


# --- Administrative units ---------------------------------------------------------------------


def upsert_admin_units(*, by: User | None, rows: Iterable[AdminUnitRow]) -> tuple[int, int]:
    """Create or rename provinces and communes from the official list, in one transaction.

    Returns (created, updated). Units are matched by official code; none is deleted, because
    Youth Union units and records may still point at a unit that left the list.
    """
    rows = list(rows)
    created = updated = 0
    with transaction.atomic():
        existing = {unit.code: unit for unit in AdminUnit.objects.select_for_update()}
        provinces: dict[str, AdminUnit] = {}
        for row in rows:
            province = provinces.get(row.province_code) or existing.get(row.province_code)
            if province is None:
                province = AdminUnit.objects.create(
                    code=row.province_code, name=row.province_name, kind=AdminUnit.Kind.PROVINCE
                )
                existing[province.code] = province
                created += 1
            elif province.name != row.province_name and row.province_code not in provinces:
                province.name = row.province_name
                province.save(update_fields=["name"])
                updated += 1
            provinces[row.province_code] = province
            unit = existing.get(row.code)
            if unit is None:
                existing[row.code] = AdminUnit.objects.create(
                    code=row.code, name=row.name, kind=row.kind, province=province
                )
                created += 1
            elif (unit.name, unit.kind, unit.province_id) != (row.name, row.kind, province.pk):
                unit.name, unit.kind, unit.province = row.name, row.kind, province
                unit.save(update_fields=["name", "kind", "province"])
                updated += 1
        if created or updated:
            summary = AdminUnit.objects.filter(code__in=list(provinces)).first()
            if summary is not None:
                log_action(
                    actor=by,
                    action="adminunit.import",
                    obj=summary,
                    after={"provinces": sorted(provinces), "created": created, "updated": updated},
                )
    return created, updated
