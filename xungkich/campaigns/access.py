"""Who may read and change campaigns, activities and events.

- coordinators read and manage the campaigns organised by a unit in their subtree (create, edit,
  activities, events, check-in); they also read campaigns a unit of their subtree takes part in;
- unit leaders read the campaigns their own unit organises or takes part in, and manage the
  activities and events of those campaigns (not the campaign itself);
- viewers read the campaigns of their subtree; volunteers read the campaigns their own unit takes part
  in. Both are read-only (403 on writes). Viewers read figures only: the campaign page and the
  counts of an event, never an activity's notes and photos (403: ``can_read_records``).
  Volunteers do not record activities: their unit leader does, so every figure in a report has an
  accountable author (docs/campaigns.md);
- kiosks get 403 on every page; the public sees only the event sign-up and ticket pages;
- anything outside the reader's scope is a 404.

Checks compare materialised paths of units loaded with the object, so they cost one query for the
participating units at most.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from xungkich.campaigns.models import Activity, Campaign, Event, Registration
from xungkich.people.models import Role, User

READERS = (Role.COORDINATOR, Role.UNIT_LEADER, Role.VIEWER, Role.VOLUNTEER)


def require_reader(user: User) -> None:
    if not (user.is_superuser or (user.role in READERS and user.unit_id)):
        raise PermissionDenied


def can_read_records(user: User) -> bool:
    """Activity notes and photos show who did what; the figures-only viewer role does not read them."""
    return bool(user.is_superuser or user.role != Role.VIEWER)


def can_create_campaigns(user: User) -> bool:
    return bool(user.is_superuser or (user.role == Role.COORDINATOR and user.unit_id))


def campaigns_for_user(user: User) -> QuerySet[Campaign]:
    if user.is_superuser:
        return Campaign.objects.all()
    own = user.unit
    if own is None or user.role not in READERS:
        return Campaign.objects.none()
    if user.role in (Role.COORDINATOR, Role.VIEWER):
        scope = Q(unit__path__startswith=own.path) | Q(units__path__startswith=own.path)
    else:
        scope = Q(unit=own) | Q(units=own)
    ids = Campaign.objects.filter(scope).values("pk")
    return Campaign.objects.filter(pk__in=ids)


def campaign_rights(user: User, campaign: Campaign, unit_paths: list[str]) -> tuple[bool, bool, bool]:
    """(can_read, can_manage_campaign, can_manage_activities) from the participating units' paths."""
    if user.is_superuser:
        return True, True, True
    own = user.unit
    if own is None or user.role not in READERS:
        return False, False, False
    all_paths = [campaign.unit.path, *unit_paths]
    if user.role in (Role.COORDINATOR, Role.VIEWER):
        can_read = any(path.startswith(own.path) for path in all_paths)
    else:
        can_read = own.path in all_paths
    manage = user.role == Role.COORDINATOR and campaign.unit.path.startswith(own.path)
    activities = manage or (user.role == Role.UNIT_LEADER and own.path in all_paths)
    return can_read, manage, activities


def _rights(user: User, campaign: Campaign) -> tuple[bool, bool]:
    require_reader(user)
    paths = [unit.path for unit in campaign.units.all()]
    can_read, manage, activities = campaign_rights(user, campaign, paths)
    if not can_read:
        raise Http404
    return manage, activities


def get_campaign_for_user(user: User, pk: int) -> tuple[Campaign, bool]:
    """(campaign, can_edit the campaign itself)."""
    campaign = Campaign.objects.select_related("unit").prefetch_related("units").filter(pk=pk).first()
    if campaign is None:
        require_reader(user)
        raise Http404
    manage, _activities = _rights(user, campaign)
    return campaign, manage


def get_campaign_for_work(user: User, pk: int) -> tuple[Campaign, bool]:
    """(campaign, can record activities and manage events in it)."""
    campaign = Campaign.objects.select_related("unit").prefetch_related("units").filter(pk=pk).first()
    if campaign is None:
        require_reader(user)
        raise Http404
    _manage, activities = _rights(user, campaign)
    return campaign, activities


def get_activity_for_user(user: User, pk: int) -> tuple[Activity, bool]:
    activity = (
        Activity.objects.select_related("campaign__unit", "ward")
        .prefetch_related("campaign__units", "units", "photos")
        .filter(pk=pk)
        .first()
    )
    if activity is None:
        require_reader(user)
        raise Http404
    _manage, can_edit = _rights(user, activity.campaign)
    if not can_read_records(user):
        raise PermissionDenied  # in scope, but notes and photos are records, not figures
    return activity, can_edit


def get_event_for_user(user: User, pk: int) -> tuple[Event, bool]:
    event = (
        Event.objects.select_related("campaign__unit", "ward")
        .prefetch_related("campaign__units")
        .filter(pk=pk)
        .first()
    )
    if event is None:
        require_reader(user)
        raise Http404
    _manage, can_edit = _rights(user, event.campaign)
    return event, can_edit


def get_registration_for_user(user: User, pk: int) -> tuple[Registration, bool]:
    registration = (
        Registration.objects.select_related("event__campaign__unit", "unit")
        .prefetch_related("event__campaign__units")
        .filter(pk=pk)
        .first()
    )
    if registration is None:
        require_reader(user)
        raise Http404
    _manage, can_edit = _rights(user, registration.event.campaign)
    return registration, can_edit


def editable(pair: tuple[object, bool]) -> object:
    obj, can_edit = pair
    if not can_edit:
        raise PermissionDenied
    return obj
