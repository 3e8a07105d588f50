"""Who may see and change help desk records: one helper per model, ``(object, can_edit)`` or an error.

- volunteers record sessions and see and edit their own;
- unit leaders see and edit the sessions of their unit (``managed_units``), coordinators of their
  unit and every unit below it;
- viewers read figures only (the reports): a session of the units they may see is a 403, the
  session list and the sessions API too — session records carry notes, places and helper names;
- kiosks see none (403 on the pages); outside the scope a session is a 404.

Known issues belong to the poster's ward team: everyone on duty whose unit is in that team or above it
sees them; viewers get 403 (an issue names its poster).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from xungkich.campaigns.access import campaigns_for_user
from xungkich.campaigns.models import Activity
from xungkich.helpdesk.models import FollowUp, HelpSession, KnownIssue
from xungkich.people.models import Role, User
from xungkich.places.models import ServicePoint
from xungkich.tickets.access import active_point
from xungkich.tickets.models import Ticket

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

RECORDER_ROLES = (Role.VOLUNTEER, Role.UNIT_LEADER, Role.COORDINATOR)
READER_ROLES = (*RECORDER_ROLES, Role.VIEWER)


def ancestor_paths(path: str) -> list[str]:
    parts = [part for part in path.split("/") if part]
    return ["/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1)]


def can_record(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in RECORDER_ROLES))


def require_recorder(user: User | AnonymousUser) -> None:
    """Recording help (and posting known issues) is for the people on duty, not viewers or kiosks."""
    if not can_record(user):
        raise PermissionDenied


def require_reader(user: User | AnonymousUser) -> None:
    if not (user.is_authenticated and (user.is_superuser or user.role in READER_ROLES)):
        raise PermissionDenied


def require_session_reader(user: User | AnonymousUser) -> None:
    """Help-session records are for the people who record help; viewers (figures only) get 403."""
    require_recorder(user)


def is_leader(user: User) -> bool:
    return bool(user.is_superuser or user.role in (Role.COORDINATOR, Role.UNIT_LEADER))


def require_leader(user: User | AnonymousUser) -> None:
    if not (user.is_authenticated and is_leader(user)):
        raise PermissionDenied


# --- Help sessions -------------------------------------------------------------------------------


def sessions_for_user(user: User) -> QuerySet[HelpSession]:
    qs = HelpSession.objects.all()
    if user.is_superuser:
        return qs
    unit = user.unit
    if user.role == Role.COORDINATOR and unit is not None:
        return qs.filter(unit__path__startswith=unit.path)
    if user.role == Role.UNIT_LEADER and unit is not None:
        return qs.filter(Q(unit_id=unit.pk) | Q(helped_by=user))
    if user.role == Role.VOLUNTEER:
        return qs.filter(helped_by=user)
    return qs.none()


def can_see_session(user: User, session: HelpSession) -> bool:
    if user.is_superuser:
        return True
    if session.helped_by_id == user.pk and user.role in RECORDER_ROLES:
        return True
    unit = user.unit
    if unit is None:
        return False
    if user.role in (Role.COORDINATOR, Role.VIEWER):
        return session.unit.path.startswith(unit.path)
    return user.role == Role.UNIT_LEADER and session.unit_id == unit.pk


def can_edit_session(user: User, session: HelpSession) -> bool:
    return can_see_session(user, session) and user.role != Role.VIEWER


def get_session_for_user(user: User, pk: int) -> tuple[HelpSession, bool]:
    require_reader(user)
    session = (
        HelpSession.objects.select_related(
            "unit", "point", "ticket", "ward", "place_ward", "helped_by", "followup"
        )
        .filter(pk=pk)
        .first()
    )
    if session is None or not can_see_session(user, session):
        raise Http404
    if user.role == Role.VIEWER and not user.is_superuser:
        raise PermissionDenied  # in scope, but records are not for the figures-only role
    return session, can_edit_session(user, session)


# --- Points, tickets --------------------------------------------------------------------------------


def points_for_recorder(user: User) -> QuerySet[ServicePoint]:
    """Points where the user may help: those of their unit, the units above it and (coordinators) below."""
    qs = ServicePoint.objects.filter(is_active=True)
    if user.is_superuser:
        return qs
    unit = user.unit
    if unit is None or user.role not in RECORDER_ROLES:
        return qs.none()
    scope = Q(unit__path__in=ancestor_paths(unit.path))
    if user.role == Role.COORDINATOR:
        scope |= Q(unit__path__startswith=unit.path)
    return qs.filter(scope)


def can_record_at(user: User, point: ServicePoint) -> bool:
    """``point`` (with its unit loaded) is among ``points_for_recorder(user)``: no query."""
    if not point.is_active:
        return False
    if user.is_superuser:
        return True
    unit = user.unit
    if unit is None or user.role not in RECORDER_ROLES:
        return False
    here = point.unit.path
    return unit.path.startswith(here) or (user.role == Role.COORDINATOR and here.startswith(unit.path))


def recording_point(user: User, pk: int) -> ServicePoint | None:
    """The active point ``pk`` if the user may record help there (one query), else None."""
    point = active_point(pk)
    return point if point is not None and can_record_at(user, point) else None


# Help is linked to a campaign activity of these kinds, held from a week ago to tomorrow.
HELP_ACTIVITY_KINDS = ("mobile_desk", "door_to_door", "community")
HELP_ACTIVITY_DAYS = 7


def activities_for_recorder(user: User) -> QuerySet[Activity]:
    """Campaign activities the user may record help at: recent outreach of campaigns they can see."""
    if user.is_superuser or user.role in RECORDER_ROLES:
        today = timezone.localdate()
        return (
            Activity.objects.filter(
                campaign__in=campaigns_for_user(user),
                kind__in=HELP_ACTIVITY_KINDS,
                date__range=(today - dt.timedelta(days=HELP_ACTIVITY_DAYS), today + dt.timedelta(days=1)),
            )
            .select_related("campaign")
            .order_by("-date", "pk")
        )
    return Activity.objects.none()


def get_ticket_for_recording(user: User, pk: int) -> Ticket:
    ticket = Ticket.objects.select_related("point").filter(pk=pk).first()
    if ticket is None or not points_for_recorder(user).filter(pk=ticket.point_id).exists():
        raise Http404
    return ticket


# --- Follow-ups ----------------------------------------------------------------------------------


def followups_for_user(user: User) -> QuerySet[FollowUp]:
    """Calls are for recorders: volunteers their own sessions, leaders those of their scope."""
    if not can_record(user):
        return FollowUp.objects.none()
    return FollowUp.objects.filter(session__in=sessions_for_user(user))


def get_followup_for_user(user: User, pk: int) -> FollowUp:
    require_recorder(user)
    followup = followups_for_user(user).select_related("session").filter(pk=pk).first()
    if followup is None:
        raise Http404
    return followup


# --- Known issues --------------------------------------------------------------------------------


def issue_scope_path(user: User) -> str:
    """The poster's ward team: the first two levels of their unit path (the city for city staff)."""
    assert user.unit is not None
    parts = [part for part in user.unit.path.split("/") if part]
    return "/".join(parts[:2]) + "/"


def require_issue_reader(user: User | AnonymousUser) -> None:
    """The known-issues board is for the people on duty; viewers (figures only) get 403."""
    require_recorder(user)


def issues_for_user(user: User | AnonymousUser) -> QuerySet[KnownIssue]:
    if not user.is_authenticated:
        return KnownIssue.objects.none()
    if user.is_superuser:
        return KnownIssue.objects.all()
    unit = user.unit
    if unit is None or user.role not in RECORDER_ROLES:
        return KnownIssue.objects.none()
    return KnownIssue.objects.filter(
        Q(scope_path__startswith=unit.path) | Q(scope_path__in=ancestor_paths(unit.path))
    )


def get_issue_for_user(user: User, pk: int) -> tuple[KnownIssue, bool]:
    require_issue_reader(user)
    issue = issues_for_user(user).filter(pk=pk).first()
    if issue is None:
        raise Http404
    return issue, can_record(user)
