"""Who may read and change roster plans: one helper per model, ``(object, can_edit)`` or an error.

- coordinators plan (periods, service points, shift patterns, closed days) for the units in their
  ``managed_units`` (their unit and below);
- unit leaders read the plans of their scope: the units they may see and the units above their own
  (a ward's roster is also the roster of its branches); writes are 403;
- an object outside the reader's scope is a 404; volunteers and kiosks get 403 on every planning
  page (their own shifts live under "My shifts"), and so do viewers: plans name the volunteers,
  and the viewer role reads figures only (the reports).

The scope checks compare materialised unit paths of objects already loaded with ``select_related``
(the user's unit comes with the user), so they cost no query.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from xungkich.people.models import OrgUnit, Role, User, Volunteer
from xungkich.places.models import ClosedDay, ServicePoint
from xungkich.rosters.models import Assignment, RosterPeriod, Shift, ShiftPattern

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

READER_ROLES = (Role.COORDINATOR, Role.UNIT_LEADER)


def is_planner_reader(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in READER_ROLES))


def require_plan_reader(user: User | AnonymousUser) -> None:
    """Volunteers, kiosks and viewers never see the planning pages."""
    if not is_planner_reader(user):
        raise PermissionDenied


def _ancestor_paths(path: str) -> list[str]:
    parts = [part for part in path.split("/") if part]
    return ["/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1)]


def can_read_unit(user: User, unit: OrgUnit) -> bool:
    """Plans of ``unit`` are readable: the user's scope below, or a unit above the user's own."""
    if user.is_superuser:
        return True
    own = user.unit
    if own is None or user.role not in READER_ROLES:
        return False
    if own.path.startswith(unit.path):  # the user's own unit or a unit above it
        return True
    if user.role == Role.UNIT_LEADER:
        return False
    return unit.path.startswith(own.path)


def can_plan_unit(user: User, unit: OrgUnit) -> bool:
    """Coordinators plan for their unit and every unit below it."""
    if user.is_superuser:
        return True
    own = user.unit
    return bool(user.role == Role.COORDINATOR and own is not None and unit.path.startswith(own.path))


def readable_units(user: User) -> QuerySet[OrgUnit]:
    if user.is_superuser:
        return OrgUnit.objects.all()
    own = user.unit
    if own is None or user.role not in READER_ROLES:
        return OrgUnit.objects.none()
    above = Q(path__in=_ancestor_paths(own.path))
    if user.role == Role.UNIT_LEADER:
        return OrgUnit.objects.filter(above)
    return OrgUnit.objects.filter(above | Q(path__startswith=own.path))


def planned_units(user: User) -> QuerySet[OrgUnit]:
    """Units the user may plan for (a coordinator's managed units)."""
    if user.is_superuser:
        return OrgUnit.objects.all()
    own = user.unit
    if own is None or user.role != Role.COORDINATOR:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(path__startswith=own.path)


def can_plan_anything(user: User) -> bool:
    return bool(user.is_superuser or (user.role == Role.COORDINATOR and user.unit_id))


def _check(user: User, unit: OrgUnit) -> bool:
    """Raise 404 outside the readable scope; return whether the user may change it."""
    if not can_read_unit(user, unit):
        raise Http404
    return can_plan_unit(user, unit)


# --- Periods, shifts, assignments ---------------------------------------------------------------


def periods_for_user(user: User) -> QuerySet[RosterPeriod]:
    return RosterPeriod.objects.filter(unit__in=readable_units(user))


def get_period_for_user(user: User, pk: int) -> tuple[RosterPeriod, bool]:
    require_plan_reader(user)
    period = RosterPeriod.objects.select_related("unit").filter(pk=pk).first()
    if period is None:
        raise Http404
    return period, _check(user, period.unit)


def get_shift_for_user(user: User, pk: int) -> tuple[Shift, bool]:
    require_plan_reader(user)
    shift = Shift.objects.select_related("period__unit", "point__unit", "pattern").filter(pk=pk).first()
    if shift is None:
        raise Http404
    return shift, _check(user, shift.period.unit)


def get_plan_assignment_for_user(user: User, pk: int) -> tuple[Assignment, bool]:
    require_plan_reader(user)
    assignment = (
        Assignment.objects.select_related("shift__period__unit", "shift__point", "volunteer")
        .filter(pk=pk)
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment, _check(user, assignment.shift.period.unit)


def period_volunteers(period: RosterPeriod) -> QuerySet[Volunteer]:
    """The people a period plans: active volunteers of its unit and the units below it."""
    return Volunteer.objects.filter(unit__path__startswith=period.unit.path, is_active=True)


# --- Service points, patterns, closed days --------------------------------------------------------


def points_for_user(user: User) -> QuerySet[ServicePoint]:
    return ServicePoint.objects.filter(unit__in=readable_units(user))


def get_point_for_user(user: User, pk: int) -> tuple[ServicePoint, bool]:
    require_plan_reader(user)
    point = ServicePoint.objects.select_related("unit", "admin_unit").filter(pk=pk).first()
    if point is None:
        raise Http404
    return point, _check(user, point.unit)


def get_pattern_for_user(user: User, pk: int) -> tuple[ShiftPattern, bool]:
    require_plan_reader(user)
    pattern = ShiftPattern.objects.select_related("point__unit").filter(pk=pk).first()
    if pattern is None:
        raise Http404
    return pattern, _check(user, pattern.point.unit)


def closed_days_for_user(user: User) -> QuerySet[ClosedDay]:
    """Closures of the readable points, and the ones that close every point (public holidays)."""
    return ClosedDay.objects.filter(Q(point__isnull=True) | Q(point__unit__in=readable_units(user)))


def get_closed_day_for_user(user: User, pk: int) -> tuple[ClosedDay, bool]:
    require_plan_reader(user)
    closed = ClosedDay.objects.select_related("point__unit").filter(pk=pk).first()
    if closed is None:
        raise Http404
    if closed.point is None:  # every point everywhere: only a superuser changes it
        return closed, user.is_superuser
    return closed, _check(user, closed.point.unit)
