"""One access helper per model: (object, can_edit), Http404 outside the scope, 403 for read-only roles.

A viewer's scope holds the volunteers of its units, but the viewer role reads figures only: a
volunteer's page is a 403 for it, not a 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from xungkich.people.models import OrgUnit, Role, User, Volunteer
from xungkich.people.scope import managed_units, visible_units


def volunteers_for_user(user: User) -> QuerySet[Volunteer]:
    """Volunteers whose records the user may list (managed units only)."""
    return Volunteer.objects.filter(unit__in=managed_units(user))


def get_volunteer_for_user(user: User, pk: int) -> tuple[Volunteer, bool]:
    volunteer = Volunteer.objects.select_related("unit", "user").filter(pk=pk).first()
    if volunteer is None:
        raise Http404
    if managed_units(user).filter(pk=volunteer.unit_id).exists():
        return volunteer, True
    if volunteer.user_id is not None and volunteer.user_id == user.pk:
        return volunteer, False
    if user.role == Role.VIEWER and visible_units(user).filter(pk=volunteer.unit_id).exists():
        raise PermissionDenied  # in scope, but people are not figures
    raise Http404


def get_unit_for_user(user: User, pk: int) -> tuple[OrgUnit, bool]:
    unit = OrgUnit.objects.select_related("parent", "admin_unit").filter(pk=pk).first()
    if unit is None or not visible_units(user).filter(pk=unit.pk).exists():
        raise Http404
    # Changing a unit (its name, its place in the tree) is a coordinator's job, and only strictly
    # below their own unit: a coordinator cannot move or rename the unit that defines their scope.
    can_edit = bool(
        user.is_superuser
        or (
            user.role == "coordinator"
            and user.unit is not None
            and unit.pk != user.unit_id
            and unit.is_within(user.unit)
        )
    )
    return unit, can_edit
