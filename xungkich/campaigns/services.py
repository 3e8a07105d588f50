"""Campaign services: each owns its transaction, locks what it changes and writes an audit entry.

Registration rules:
- one active registration (confirmed or waiting) per phone number and event (``registration_duplicate``);
- places are given in order of arrival under a row lock on the event; once ``capacity`` people are
  confirmed, new registrations go on the waiting list;
- when a confirmed person cancels, the first person on the waiting list is confirmed at once;
- a ticket is checked in once: a conditional UPDATE (``checked_in_at IS NULL``) decides, so two
  organisers scanning the same code at the same moment count it once (``checkin_already``).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from xungkich.campaigns.models import Activity, ActivityPhoto, Campaign, Event, Registration
from xungkich.campaigns.photos import PhotoError, clean_photo
from xungkich.core import changes
from xungkich.core.audit import log_action, snapshot
from xungkich.core.days import local_day
from xungkich.core.errors import DomainError
from xungkich.lib.vietnamese import clean_text, fold
from xungkich.people.models import OrgUnit, User

logger = logging.getLogger(__name__)

CAMPAIGN_FIELDS = [
    "name",
    "description",
    "unit",
    "units",
    "start_date",
    "end_date",
    "target_citizens_helped",
    "target_accounts_created",
    "target_materials",
    "target_participants",
]
ACTIVITY_FIELDS = [
    "campaign",
    "kind",
    "title",
    "date",
    "ward",
    "address",
    "latitude",
    "longitude",
    "units",
    "materials_count",
    "participants_count",
    "people_reached",
    "citizens_helped",
    "accounts_created",
    "notes",
]
EVENT_FIELDS = [
    "campaign",
    "title",
    "description",
    "starts_at",
    "place",
    "ward",
    "capacity",
    "registration_open",
    "audience",
]
REGISTRATION_FIELDS = ["status", "checked_in_at"]

# The consent text shown on the sign-up page; a registration records the version it agreed to.
# Members of the Youth Union give their unit; citizens give only their name and phone number.
CONSENT_VERSION = "2026-11-v1"
CITIZEN_CONSENT_VERSION = "2026-12-citizens-v1"
CODE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"  # no 0/O, 1/I, 2/Z, 5/S, 8/B
DUPLICATE_MESSAGE = gettext_noop(
    "This phone number is already registered for this event. Lost your ticket? Press “I lost my "
    "ticket” below and we send it to this number again."
)


def consent_text(audience: str = Event.Audience.MEMBERS) -> str:
    """The consent text for an event's audience in the current language: ``CONSENT_VERSION`` for
    members, ``CITIZEN_CONSENT_VERSION`` for citizens (change a text and its version together)."""
    if audience == Event.Audience.CITIZENS:
        return _(
            "I agree that the organising Youth Union unit keeps my name and phone number to manage my "
            "place at this event and to contact me about it. They are deleted 90 days after the event "
            "and are not shared. I may ask to see or delete them at any time."
        )
    return _(
        "I agree that the organising Youth Union unit keeps my name, unit and phone number to manage "
        "my place at this event and to contact me about it. They are deleted 90 days after the event "
        "and are not shared. I may ask to see or delete them at any time."
    )


def consent_version_for(event: Event) -> str:
    """The version of the consent text that the sign-up page of ``event`` shows."""
    return CITIZEN_CONSENT_VERSION if event.audience == Event.Audience.CITIZENS else CONSENT_VERSION


def _mark(day: dt.date, unit_id: int) -> None:
    """The campaign figures of (day, organising unit) changed: they have no point."""
    changes.announce_one(source=changes.CAMPAIGNS, day=day, unit_id=unit_id)


def _check_period(data: dict[str, Any]) -> None:
    if data["end_date"] < data["start_date"]:
        raise DomainError(_("The end date is before the start date."), "campaign_bad_period")


# --- Campaigns ------------------------------------------------------------------------------------


def create_campaign(*, by: User, data: dict[str, Any], units: Iterable[OrgUnit]) -> Campaign:
    _check_period(data)
    with transaction.atomic():
        campaign = Campaign.objects.create(created_by=by, **data)
        campaign.units.set(list(units))
        log_action(
            actor=by,
            action="campaign.create",
            obj=campaign,
            unit=campaign.unit,
            after=snapshot(campaign, CAMPAIGN_FIELDS),
        )
    return campaign


def update_campaign(
    *, campaign: Campaign, by: User, data: dict[str, Any], units: Iterable[OrgUnit]
) -> Campaign:
    _check_period(data)
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        before = snapshot(campaign, CAMPAIGN_FIELDS)
        old_unit_id = campaign.unit_id
        for key, value in data.items():
            setattr(campaign, key, value)
        campaign.save(update_fields=list(data))
        campaign.units.set(list(units))
        if campaign.unit_id != old_unit_id:  # its activities and events move to the other unit's figures
            days = {*campaign.activities.values_list("date", flat=True)}
            days |= {local_day(at) for at in campaign.events.values_list("starts_at", flat=True)}
            keys = [(day, None, unit_id) for day in days for unit_id in (old_unit_id, campaign.unit_id)]
            changes.announce(source=changes.CAMPAIGNS, keys=keys)
        log_action(
            actor=by,
            action="campaign.update",
            obj=campaign,
            unit=campaign.unit,
            before=before,
            after=snapshot(campaign, CAMPAIGN_FIELDS),
        )
    return campaign


# --- Activities and photos ------------------------------------------------------------------------


def _check_activity(campaign: Campaign, data: dict[str, Any]) -> None:
    if not (campaign.start_date <= data["date"] <= campaign.end_date):
        raise DomainError(
            _("The date must be within the campaign (%(start)s – %(end)s).")
            % {
                "start": campaign.start_date.strftime("%d/%m/%Y"),
                "end": campaign.end_date.strftime("%d/%m/%Y"),
            },
            "activity_outside_campaign",
        )
    if (data.get("latitude") is None) != (data.get("longitude") is None):
        raise DomainError(_("Give both latitude and longitude, or neither."), "activity_half_coordinates")


def record_activity(
    *,
    campaign: Campaign,
    by: User,
    data: dict[str, Any],
    units: Iterable[OrgUnit],
    photos: Iterable[bytes] = (),
) -> Activity:
    """Record an activity with its photos, all or nothing (a bad photo records nothing)."""
    _check_activity(campaign, data)
    cleaned = [clean_photo_or_error(content) for content in photos]
    with transaction.atomic():
        activity = Activity.objects.create(campaign=campaign, created_by=by, **data)
        activity.units.set(list(units))
        _mark(activity.date, campaign.unit_id)
        for photo in cleaned:
            _save_photo(activity, photo.content, photo.width, photo.height, by)
        log_action(
            actor=by,
            action="activity.create",
            obj=activity,
            unit=campaign.unit,
            after={**snapshot(activity, ACTIVITY_FIELDS), "photos": len(cleaned)},
        )
    return activity


def update_activity(
    *, activity: Activity, by: User, data: dict[str, Any], units: Iterable[OrgUnit]
) -> Activity:
    _check_activity(activity.campaign, data)
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        before = snapshot(locked, ACTIVITY_FIELDS)
        _mark(locked.date, activity.campaign.unit_id)  # the old date, and the new one below
        for key, value in data.items():
            setattr(locked, key, value)
        locked.save(update_fields=list(data))
        locked.units.set(list(units))
        _mark(locked.date, activity.campaign.unit_id)
        log_action(
            actor=by,
            action="activity.update",
            obj=locked,
            unit=activity.campaign.unit,
            before=before,
            after=snapshot(locked, ACTIVITY_FIELDS),
        )
    return locked


def clean_photo_or_error(content: bytes) -> Any:
    try:
        return clean_photo(content)
    except PhotoError as exc:
        raise DomainError(exc.message, exc.code) from exc


def _save_photo(
    activity: Activity, content: bytes, width: int, height: int, by: User | None
) -> ActivityPhoto:
    photo = ActivityPhoto(activity=activity, width=width, height=height, uploaded_by=by)
    photo.image.save(f"{secrets.token_hex(8)}.jpg", ContentFile(content), save=False)
    photo.save()
    return photo


def add_activity_photo(*, activity: Activity, by: User, content: bytes) -> ActivityPhoto:
    cleaned = clean_photo_or_error(content)
    with transaction.atomic():
        photo = _save_photo(activity, cleaned.content, cleaned.width, cleaned.height, by)
        log_action(
            actor=by,
            action="activity.photo_add",
            obj=activity,
            unit=activity.campaign.unit,
            after={"photo": photo.image.name, "width": photo.width, "height": photo.height},
        )
    return photo


# --- Events and registration ----------------------------------------------------------------------


def create_event(*, campaign: Campaign, by: User, data: dict[str, Any]) -> Event:
    with transaction.atomic():
        event = Event.objects.create(campaign=campaign, created_by=by, code=secrets.token_urlsafe(9), **data)
        _mark(local_day(event.starts_at), campaign.unit_id)
        log_action(
            actor=by,
            action="event.create",
            obj=event,
            unit=campaign.unit,
            after=snapshot(event, EVENT_FIELDS),
        )
    return event


def update_event(*, event: Event, by: User, data: dict[str, Any]) -> Event:
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        before = snapshot(locked, EVENT_FIELDS)
        confirmed = locked.registrations.filter(status=Registration.Status.CONFIRMED).count()
        if data.get("capacity", locked.capacity) < confirmed:
            raise DomainError(
                _("%(count)s people already hold a place; the capacity cannot be lower.")
                % {"count": confirmed},
                "event_capacity_below_confirmed",
            )
        _mark(local_day(locked.starts_at), event.campaign.unit_id)  # the old day, and the new one below
        for key, value in data.items():
            setattr(locked, key, value)
        locked.save(update_fields=list(data))
        _promote(locked, by=by, limit=locked.capacity - confirmed)
        _mark(local_day(locked.starts_at), event.campaign.unit_id)
        log_action(
            actor=by,
            action="event.update",
            obj=locked,
            unit=event.campaign.unit,
            before=before,
            after=snapshot(locked, EVENT_FIELDS),
        )
    return locked


def _new_code(event: Event) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(6))
        if not Registration.objects.filter(event=event, code=code).exists():
            return code


def register(
    *, event: Event, full_name: str, phone: str, unit: OrgUnit | None, unit_text: str, consent_version: str
) -> Registration:
    """A public sign-up; ``phone`` is already E.164. Confirmed while places last, else waiting list.

    At an event for members the unit is required (picked or written); at an event for citizens no
    unit is asked, and none is kept even if one is sent.
    """
    if consent_version != consent_version_for(event):
        raise DomainError(_("Please tick the consent box to register."), "registration_no_consent")
    full_name = clean_text(full_name)
    unit_text = clean_text(unit_text)
    if event.audience == Event.Audience.CITIZENS:
        unit, unit_text = None, ""
    elif unit is None and not unit_text:
        raise DomainError(_("Choose your unit from the list or write its name."), "registration_no_unit")
    with transaction.atomic():
        event = Event.objects.select_for_update().select_related("campaign").get(pk=event.pk)
        if not event.registration_open:
            raise DomainError(_("Registration for this event is closed."), "registration_closed")
        if event.starts_at <= timezone.now():
            raise DomainError(_("This event has already started."), "registration_closed")
        if event.registrations.filter(phone=phone).exclude(status=Registration.Status.CANCELLED).exists():
            raise DomainError(
                _(DUPLICATE_MESSAGE),
                "registration_duplicate",
            )
        confirmed = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
        status = (
            Registration.Status.CONFIRMED if confirmed < event.capacity else Registration.Status.WAITLISTED
        )
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    event=event,
                    full_name=full_name,
                    phone=phone,
                    unit=unit,
                    unit_text="" if unit else unit_text,
                    status=status,
                    token=secrets.token_urlsafe(24),
                    code=_new_code(event),
                    consent_version=consent_version,
                    consent_text=consent_text(event.audience),
                    consent_at=timezone.now(),
                    search_key=fold(full_name),
                )
        except IntegrityError as exc:
            raise DomainError(
                _(DUPLICATE_MESSAGE),
                "registration_duplicate",
            ) from exc
        _mark(local_day(event.starts_at), event.campaign.unit_id)
        log_action(
            actor=None,
            action="registration.create",
            obj=registration,
            unit=event.campaign.unit,
            after={"status": status, "consent_version": consent_version},
        )
    return registration


def _promote(event: Event, *, by: User | None, limit: int) -> list[Registration]:
    promoted: list[Registration] = []
    if limit <= 0:
        return promoted
    waiting = list(
        event.registrations.select_for_update()
        .filter(status=Registration.Status.WAITLISTED)
        .order_by("created_at", "pk")[:limit]
    )
    for registration in waiting:
        registration.status = Registration.Status.CONFIRMED
        registration.save(update_fields=["status"])
        log_action(
            actor=by,
            action="registration.promote",
            obj=registration,
            unit=event.campaign.unit,
            before={"status": Registration.Status.WAITLISTED},
            after={"status": Registration.Status.CONFIRMED},
        )
        promoted.append(registration)
    return promoted


def cancel_registration(*, registration: Registration, by: User | None) -> Registration:
    """Cancel (self-service by ticket link, or by an organiser); the first one waiting moves up."""
    with transaction.atomic():
        event = Event.objects.select_for_update().select_related("campaign").get(pk=registration.event_id)
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if locked.status == Registration.Status.CANCELLED:
            raise DomainError(_("This registration is already cancelled."), "registration_already_cancelled")
        if locked.checked_in_at is not None:
            raise DomainError(_("This person has already checked in."), "registration_checked_in")
        was = locked.status
        locked.status = Registration.Status.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["status", "cancelled_at"])
        _mark(local_day(event.starts_at), event.campaign.unit_id)
        log_action(
            actor=by,
            action="registration.cancel",
            obj=locked,
            unit=event.campaign.unit,
            before={"status": was},
            after={"status": locked.status},
        )
        if was == Registration.Status.CONFIRMED:
            _promote(event, by=by, limit=1)
    return locked


# --- A lost ticket, sent again -----------------------------------------------------------------


def active_registration(*, event: Event, phone: str) -> Registration | None:
    """The confirmed or waiting registration of ``phone`` (E.164) at ``event``, if any."""
    return (
        Registration.objects.select_related("event__campaign__unit")
        .filter(event=event, phone=phone)
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )


def request_ticket_resend(*, event: Event, phone: str) -> None:
    """Someone lost their ticket and typed their phone number: send the ticket link to that number.

    The message goes out in the background (``tasks.send_ticket_link``), so the answer takes the same
    time whether or not the number is registered; the caller tells everyone the same thing. A number
    without an active registration gets nothing and leaves no trace.
    """
    from xungkich.campaigns import tasks

    registration = active_registration(event=event, phone=phone)
    if registration is None:
        return
    try:
        tasks.send_ticket_link.enqueue(registration.pk, translation.get_language() or "")
    except Exception:  # the queue is down: the person asks the organisers; the page says the same
        logger.exception("Queueing the ticket link of registration %s failed", registration.pk)


@dataclass(frozen=True)
class CheckInResult:
    registration: Registration
    already: bool


def parse_scanned(text: str) -> str:
    """What a scanner or a person typed: a ticket address, a token, or the short code."""
    text = (text or "").strip()
    if "/" in text:
        path = urlparse(text).path if "://" in text else text
        parts = [part for part in path.split("/") if part]
        text = parts[-1] if parts else ""
    return text


def find_ticket(*, event: Event, scanned: str) -> Registration:
    key = parse_scanned(scanned)
    if not key:
        raise DomainError(_("Enter a ticket code."), "checkin_empty")
    registration = (
        Registration.objects.select_related("unit")
        .filter(event=event)
        .filter(Q(token=key) | Q(code=key.upper()))
        .first()
    )
    if registration is None:
        raise DomainError(_("No ticket with this code for this event."), "checkin_unknown")
    return registration


def check_in(*, event: Event, registration: Registration, by: User | None) -> CheckInResult:
    """Count the person once. A second scan (even at the same instant) reports "already checked in"."""
    if registration.event_id != event.pk:
        raise DomainError(_("No ticket with this code for this event."), "checkin_unknown")
    if registration.status == Registration.Status.CANCELLED:
        raise DomainError(_("This registration was cancelled."), "checkin_cancelled")
    if registration.status == Registration.Status.WAITLISTED:
        raise DomainError(_("This person is on the waiting list and has no place."), "checkin_waitlisted")
    now = timezone.now()
    with transaction.atomic():
        updated = Registration.objects.filter(
            pk=registration.pk, checked_in_at__isnull=True, status=Registration.Status.CONFIRMED
        ).update(checked_in_at=now, checked_in_by=by)
        if updated:
            _mark(local_day(event.starts_at), event.campaign.unit_id)
            log_action(
                actor=by,
                action="registration.check_in",
                obj=registration,
                unit=event.campaign.unit,
                before={"checked_in_at": None},
                after={"checked_in_at": now.isoformat()},
            )
    registration.refresh_from_db(fields=["checked_in_at", "checked_in_by", "status"])
    if not updated and registration.checked_in_at is None:  # cancelled between the lookup and the scan
        raise DomainError(_("This registration was cancelled."), "checkin_cancelled")
    return CheckInResult(registration=registration, already=not updated)


# --- Progress -------------------------------------------------------------------------------------


# --- Retention ------------------------------------------------------------------------------------

RETENTION_DAYS = 90  # stated in the consent text


def purge_old_registrations(*, now: dt.datetime | None = None) -> int:
    """Erase names and phone numbers of registrations for events that started more than
    ``RETENTION_DAYS`` ago. Status and check-in time stay, so the campaign's figures do not change."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=RETENTION_DAYS)
    purged = 0
    with transaction.atomic():
        rows = list(
            Registration.objects.select_for_update()
            .filter(event__starts_at__lt=cutoff)
            .exclude(full_name="")
            .select_related("event__campaign__unit")
        )
        for registration in rows:
            registration.full_name = ""
            registration.unit_text = ""
            registration.search_key = ""
            registration.phone = f"erased-{registration.pk}"
            registration.save(update_fields=["full_name", "unit_text", "search_key", "phone"])
            purged += 1
        if rows:
            log_action(
                actor=None,
                action="registration.purge",
                obj=rows[0].event,
                unit=rows[0].event.campaign.unit,
                after={"registrations": purged, "cutoff": cutoff.isoformat()},
            )
    return purged
