"""Who may do what with the queue of a service point.

- serve (call, recall, no-show, transfer, finish): superusers; coordinators for points of their
  unit and every unit below it; unit leaders and volunteers for points of their own unit or of a
  unit above it (a branch's volunteers serve at their ward's centre), unit leaders also for points
  below their unit;
- viewers (figures only) get 403 on the desk queue and its actions in their scope; they may look at
  the kiosk page read-only, and the TV board is public;
- kiosk: kiosk accounts of the point's unit or a unit above it hand out tickets at the kiosk page;
  serving users may open the kiosk page too;
- anyone else: 404, the point is not revealed.

Taking a ticket on one's own phone, following it and the TV board need no account (see docs/tickets.md).
The checks compare materialised unit paths of objects loaded with ``select_related``: no query.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from xungkich.people.models import OrgUnit, Role, User
from xungkich.places.models import ServicePoint
from xungkich.tickets.models import Ticket

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


class Scope(Enum):
    NONE = 0
    KIOSK = 1
    READ = 2
    SERVE = 3


SERVING_ROLES = (Role.COORDINATOR, Role.UNIT_LEADER, Role.VOLUNTEER)


def _ancestor_paths(path: str) -> list[str]:
    parts = [part for part in path.split("/") if part]
    return ["/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1)]


def scope_for(user: User | AnonymousUser, point: ServicePoint) -> Scope:
    if not user.is_authenticated:
        return Scope.NONE
    if user.is_superuser:
        return Scope.SERVE
    own = user.unit
    if own is None:
        return Scope.NONE
    here = point.unit.path
    below_own = here.startswith(own.path)  # the point's unit is the user's or below it
    above_own = own.path.startswith(here)  # the point's unit is the user's or above it
    if user.role == Role.COORDINATOR:
        return Scope.SERVE if below_own else Scope.NONE
    if user.role == Role.UNIT_LEADER:
        return Scope.SERVE if below_own or above_own else Scope.NONE
    if user.role == Role.VOLUNTEER:
        return Scope.SERVE if above_own else Scope.NONE
    if user.role == Role.VIEWER:
        return Scope.READ if below_own or above_own else Scope.NONE
    if user.role == Role.KIOSK:
        return Scope.KIOSK if above_own else Scope.NONE
    return Scope.NONE


def can_serve_somewhere(user: User | AnonymousUser) -> bool:
    return bool(
        user.is_authenticated and (user.is_superuser or (user.role in SERVING_ROLES and user.unit_id))
    )


def points_for_user(user: User, *, minimum: Scope) -> QuerySet[ServicePoint]:
    """Active points where the user has at least ``minimum`` scope (for the index pages)."""
    points = ServicePoint.objects.filter(is_active=True).select_related("unit").order_by("name")
    if user.is_superuser:
        return points
    own: OrgUnit | None = user.unit
    if own is None:
        return points.none()
    below = Q(unit__path__startswith=own.path)
    above = Q(unit__path__in=_ancestor_paths(own.path))
    if user.role == Role.COORDINATOR:
        return points.filter(below)
    if user.role == Role.UNIT_LEADER or (user.role == Role.VIEWER and minimum.value <= Scope.READ.value):
        return points.filter(below | above)
    if user.role == Role.VOLUNTEER or (user.role == Role.KIOSK and minimum == Scope.KIOSK):
        return points.filter(above)
    return points.none()


def active_point(pk: int) -> ServicePoint | None:
    """The active service point ``pk`` with its unit loaded, or None."""
    return ServicePoint.objects.select_related("unit").filter(pk=pk, is_active=True).first()


def _point(pk: int) -> ServicePoint:
    point = active_point(pk)
    if point is None:
        raise Http404
    return point


def get_point_for_desk(user: User, pk: int) -> tuple[ServicePoint, bool]:
    """The desk queue of a point: (point, can_serve); 404 outside scope, 403 for kiosks and viewers."""
    point = _point(pk)
    scope = scope_for(user, point)
    if scope == Scope.NONE:
        raise Http404
    if scope in (Scope.KIOSK, Scope.READ):
        raise PermissionDenied
    return point, scope == Scope.SERVE


def get_point_for_kiosk(user: User, pk: int) -> tuple[ServicePoint, bool]:
    """The kiosk page of a point: (point, can_hand_out); 404 outside scope, viewers read only."""
    point = _point(pk)
    scope = scope_for(user, point)
    if scope == Scope.NONE:
        raise Http404
    return point, scope in (Scope.KIOSK, Scope.SERVE)


def get_ticket_for_user(user: User, pk: int) -> tuple[Ticket, bool]:
    """(ticket, can_serve) for the desk actions; 404 outside scope, 403 for kiosks and viewers."""
    ticket = Ticket.objects.select_related("point__unit").filter(pk=pk).first()
    if ticket is None:
        raise Http404
    scope = scope_for(user, ticket.point)
    if scope == Scope.NONE:
        raise Http404
    if scope in (Scope.KIOSK, Scope.READ):
        raise PermissionDenied
    return ticket, scope == Scope.SERVE
