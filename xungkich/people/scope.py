"""Who may see and change what, by role and place in the unit tree.

The rule of thumb for views: an object outside the user's scope is a 404 (we do not reveal it
exists); an object in scope that the user may only read is a 403 on write.

- coordinator: their unit and every unit below it (read and write);
- unit leader: their own unit (read and write of its people);
- viewer: read-only reports for their unit and below; no personal data;
- volunteer: their own profile, read-only;
- kiosk: the queue pages only.

The rules live with the unit tree and the roles they read (``people.models``), not in ``core``:
``core`` knows no domain, and every domain app already depends on ``people``. They stay apart from
``people/access.py``, which holds this app's per-object helpers like every other app's ``access.py``,
because these rules are the organisation's, used by every app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest

from xungkich.people.models import OrgUnit, Role, User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def _unit_tree(unit: OrgUnit | None) -> QuerySet[OrgUnit]:
    if unit is None:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(path__startswith=unit.path)


def managed_units(user: User | AnonymousUser) -> QuerySet[OrgUnit]:
    """Units whose people and settings the user may change."""
    if not user.is_authenticated:
        return OrgUnit.objects.none()
    if user.is_superuser:
        return OrgUnit.objects.all()
    if user.role == Role.COORDINATOR:
        return _unit_tree(user.unit)
    if user.role == Role.UNIT_LEADER and user.unit_id:
        return OrgUnit.objects.filter(pk=user.unit_id)
    return OrgUnit.objects.none()


def visible_units(user: User | AnonymousUser) -> QuerySet[OrgUnit]:
    """Units the user may see (names, structure, reports)."""
    if not user.is_authenticated:
        return OrgUnit.objects.none()
    if user.is_superuser:
        return OrgUnit.objects.all()
    if user.role in (Role.COORDINATOR, Role.VIEWER):
        return _unit_tree(user.unit)
    if user.unit_id:
        return OrgUnit.objects.filter(pk=user.unit_id)
    return OrgUnit.objects.none()


def can_manage_people(user: User | AnonymousUser) -> bool:
    return bool(
        user.is_authenticated and (user.is_superuser or user.role in (Role.COORDINATOR, Role.UNIT_LEADER))
    )


def require_people_manager(user: User | AnonymousUser) -> None:
    """Lists of people are personal data: only coordinators and unit leaders see them."""
    if not can_manage_people(user):
        raise PermissionDenied


def require_coordinator(user: User | AnonymousUser) -> None:
    if not (user.is_authenticated and (user.is_superuser or user.role == Role.COORDINATOR)):
        raise PermissionDenied


class AuthedHttpRequest(HttpRequest):
    """A request behind @login_required: ``user`` is a real account (for type checking)."""

    user: User
