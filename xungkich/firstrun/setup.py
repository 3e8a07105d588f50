"""Set up a fresh install for one province in one step (the first-run page).

A province starts with its Youth Union tree — the city/provincial Youth Union and one ward/commune
Youth Union for each of its communes, wards and special zones from the shipped official list — plus
its first coordinator and its first service point. Everything is written in one transaction, so a
failure leaves the install as fresh as before; once any Youth Union unit exists the install counts
as set up and the step refuses to run again (the tree would otherwise be duplicated).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from xungkich.core.audit import log_action
from xungkich.core.errors import DomainError
from xungkich.lib.vietnamese import clean_text
from xungkich.people import services as people_services
from xungkich.people.adminunits import PREFIXES, AdminListError, parse_official_list, shipped_list
from xungkich.people.models import AdminUnit, OrgUnit, Role, User
from xungkich.places import services as places_services
from xungkich.places.models import ServicePoint

# "Thành phố Huế" → "Thành đoàn Huế"; "Tỉnh Nghệ An" → "Tỉnh đoàn Nghệ An".
_CITY_PREFIXES = {"Thành phố": "Thành đoàn", "Tỉnh": "Tỉnh đoàn"}


@dataclass(frozen=True)
class SetUpProvince:
    city: OrgUnit
    communes: int  # ward/commune Youth Unions created
    coordinator: User
    point: ServicePoint


def is_set_up() -> bool:
    """True once any Youth Union unit exists (made here, by the demo loader or in the admin)."""
    return OrgUnit.objects.exists()


def city_union_name(province_name: str) -> str:
    for prefix, union in _CITY_PREFIXES.items():
        if province_name.startswith(prefix + " "):
            return f"{union}{province_name[len(prefix) :]}"
    return f"Tỉnh đoàn {province_name}"


def base_union_name(commune_name: str) -> str:
    """ "Phường Hội An" → "Đoàn phường Hội An", "Xã Tam Mỹ" → "Đoàn xã Tam Mỹ", "Đặc khu …" likewise."""
    for prefix in PREFIXES.values():
        if commune_name.startswith(prefix + " "):
            return f"Đoàn {prefix.lower()}{commune_name[len(prefix) :]}"
    return f"Đoàn {commune_name}"


def set_up_province(
    *,
    by: User,
    province_code: str,
    username: str,
    full_name: str,
    password: str,
    point_name: str,
    point_address: str = "",
) -> SetUpProvince:
    """Load the province's official list, build its Youth Union tree, its coordinator and first point.

    Raises DomainError (nothing written) when the install is already set up, the province has no
    shipped list, or the account cannot be made.
    """
    username = clean_text(username)
    if not username:
        raise DomainError(_("The coordinator needs a username."), "setup_username_required")
    try:
        rows = parse_official_list(shipped_list(province_code))
    except AdminListError as exc:
        raise DomainError(exc.message, "setup_unknown_province") from exc
    with transaction.atomic():
        # Two submits of the same form queue here; the second then finds the tree and refuses.
        User.objects.select_for_update().filter(pk=by.pk).first()
        if is_set_up():
            raise DomainError(_("This installation is already set up."), "setup_done")
        if User.objects.filter(username__iexact=username).exists():
            raise DomainError(
                _("The username “%(username)s” is taken.") % {"username": username}, "setup_username_taken"
            )
        people_services.upsert_admin_units(by=by, rows=rows)
        province = AdminUnit.objects.get(code=rows[0].province_code)
        city = people_services.create_unit(
            by=by,
            name=city_union_name(province.name),
            kind=OrgUnit.Kind.CITY,
            parent=None,
            admin_unit=province,
        )
        # The units of the list just loaded (not any older unit still kept for the records).
        communes = list(AdminUnit.objects.filter(code__in=[row.code for row in rows]).order_by("code"))
        for commune in communes:
            people_services.create_unit(
                by=by,
                name=base_union_name(commune.name),
                kind=OrgUnit.Kind.BASE,
                parent=city,
                admin_unit=commune,
            )
        coordinator = User(
            username=username, full_name=clean_text(full_name), role=Role.COORDINATOR, unit=city
        )
        try:
            validate_password(password, coordinator)
        except ValidationError as exc:
            raise DomainError(" ".join(exc.messages), "setup_weak_password") from exc
        coordinator.set_password(password)
        coordinator.save()
        point = places_services.create_service_point(
            by=by, name=point_name, unit=city, kind=ServicePoint.Kind.CENTRE, address=point_address
        )
        log_action(
            actor=by,
            action="setup.province",
            obj=city,
            unit=city,
            after={
                "province": province.name,
                "units": len(communes) + 1,
                "coordinator": coordinator.username,
                "point": point.name,
            },
        )
    return SetUpProvince(city=city, communes=len(communes), coordinator=coordinator, point=point)
