"""Help desk services: each owns its transaction and writes an audit entry.

The rules that do not need the database (consent, failure reasons, the place) are checked by
:func:`check_session_input`, a pure function the form, the API and the tests share.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xungkich.campaigns.models import Activity
from xungkich.core import changes, free_text
from xungkich.core.audit import log_action, snapshot
from xungkich.core.errors import DomainError
from xungkich.core.privacy import clean_free_text
from xungkich.helpdesk import consent
from xungkich.helpdesk.models import (
    FollowUp,
    HelpSession,
    KnownIssue,
    Outcome,
    PlaceKind,
    Rating,
    TrackingState,
)
from xungkich.lib.phones import InvalidPhone, normalize_phone
from xungkich.people.models import AdminUnit, User
from xungkich.places.models import ServicePoint
from xungkich.tickets.models import Need, Ticket

if TYPE_CHECKING:
    from xungkich.people.models import OrgUnit

#: What the audit log keeps of a session: never the phone number.
AUDIT_FIELDS = (
    "point",
    "ticket",
    "helped_on",
    "place_kind",
    "activity",
    "need",
    "procedure_code",
    "channel",
    "outcome",
    "failure_reason",
    "duration_minutes",
    "performed_by",
    "tracking_state",
)
EDITABLE_FIELDS = (
    "place_kind",
    "place_text",
    "place_ward",
    "activity",
    "need",
    "procedure_code",
    "procedure_name",
    "channel",
    "outcome",
    "failure_reason",
    "duration_minutes",
    "age_band",
    "gender",
    "ward",
    "first_online",
    "performed_by",
    "notes",
)


def followup_days() -> int:
    """Days between the help and the follow-up call (setting ``XK_FOLLOWUP_DAYS``, default 30)."""
    return int(getattr(settings, "XK_FOLLOWUP_DAYS", 30))


def retention_days() -> int:
    """Days after the help when a follow-up phone number is deleted whatever happened (default 60)."""
    return max(int(getattr(settings, "XK_FOLLOWUP_RETENTION_DAYS", 60)), followup_days() + 7)


@dataclass
class SessionInput:
    need: str
    outcome: str = Outcome.DONE
    channel: str = "vneid"
    failure_reason: str = ""
    duration_minutes: int | None = None
    age_band: str = ""
    gender: str = ""
    ward: AdminUnit | None = None
    first_online: bool | None = None
    performed_by: str = "guided"
    notes: str = ""
    procedure_code: str = ""
    procedure_name: str = ""
    place_kind: str = PlaceKind.POINT
    place_text: str = ""
    place_ward: AdminUnit | None = None
    activity: Activity | None = None
    point: ServicePoint | None = None
    ticket: Ticket | None = None
    helped_on: dt.date | None = None
    followup_consent: bool = False
    followup_phone: str = ""
    tracking_consent: bool = False
    dossier_code: str = ""
    expected_result_on: dt.date | None = None
    # From the offline desk: the phone's position (only when shared) and when the phone saved the record.
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    device_recorded_at: dt.datetime | None = None
    extra: dict[str, object] = field(default_factory=dict)


#: The session's free-text fields and their limits (xungkich/core/free_text.py).
SCREENED_FIELDS = free_text.SCREENED["helpdesk.HelpSession"]


def screened(value: str, *, limit: int, field: str) -> str:
    """``value`` stripped, capped, with identifiers masked and invisible characters removed.

    Raises DomainError ``text_too_long`` (checked first, so an oversized text is never screened) or
    ``secret_in_notes`` (details: the kinds found and the field).
    """
    value = value.strip()
    if not value:
        return ""
    if len(value) > limit:
        raise DomainError(
            _("This text is too long: at most %(limit)s characters.") % {"limit": limit},
            code="text_too_long",
            details={"field": field, "limit": limit},
        )
    try:
        return clean_free_text(value)
    except DomainError as exc:
        details = dict(exc.details) if isinstance(exc.details, dict) else {}
        raise DomainError(exc.message, code=exc.code, details={**details, "field": field}) from exc


def check_session_input(data: SessionInput) -> SessionInput:
    """The input with its free text screened and the phone normalised, or a DomainError (pure: no
    queries). Every free-text field is screened: notes, place, procedure code and name."""
    text = {
        name: screened(getattr(data, name), limit=limit, field=name)
        for name, limit in SCREENED_FIELDS.items()
    }
    notes = text["notes"]
    if data.outcome == Outcome.FAILED and not data.failure_reason:
        raise DomainError(_("Choose why it could not be done."), code="reason_required")
    reason = data.failure_reason if data.outcome == Outcome.FAILED else ""
    if data.place_kind == PlaceKind.POINT:
        if data.point is None and data.ticket is None:
            raise DomainError(_("Choose the service point."), code="point_required")
    elif not (text["place_text"] or data.place_ward is not None):
        raise DomainError(_("Say where the help was given."), code="place_required")
    phone = ""
    if data.followup_phone.strip():
        if not data.followup_consent:
            raise DomainError(
                _("A phone number is kept only when the person agrees to the follow-up call."),
                code="consent_required",
            )
        try:
            phone = normalize_phone(data.followup_phone)
        except InvalidPhone as exc:
            raise DomainError(_("This is not a valid phone number."), code="invalid_phone") from exc
    elif data.followup_consent:
        raise DomainError(_("Enter the phone number for the follow-up call."), code="phone_required")
    dossier_code = data.dossier_code.strip()
    if (dossier_code or data.expected_result_on) and not data.tracking_consent:
        raise DomainError(
            _("The dossier code is kept only when the person agrees to the follow-up of the dossier."),
            code="consent_required",
        )
    if data.tracking_consent and not dossier_code:
        raise DomainError(_("Enter the dossier code to follow."), code="dossier_code_required")
    if data.duration_minutes is not None and not 0 <= data.duration_minutes <= 600:
        raise DomainError(_("Enter a duration between 0 and 600 minutes."), code="invalid_duration")
    latitude, longitude = checked_position(data.latitude, data.longitude)
    if data.device_recorded_at is not None:
        now = timezone.now()
        if data.device_recorded_at > now + CLOCK_SKEW:
            raise DomainError(
                _("The record's time is in the future: check the phone's date and time."),
                code="recorded_in_future",
            )
        if data.device_recorded_at < now - OLDEST_PHONE_RECORD:  # a phone whose clock was reset
            raise DomainError(
                _("The record's time is more than a year ago: check the phone's date and time."),
                code="recorded_too_old",
            )
    return dataclasses.replace(
        data,
        latitude=latitude,
        longitude=longitude,
        notes=notes,
        failure_reason=reason,
        followup_phone=phone,
        dossier_code=dossier_code,
        place_text=text["place_text"],
        procedure_code=text["procedure_code"],
        procedure_name=text["procedure_name"],
    )


#: How far ahead of the server's clock a phone's clock may be before its record time is refused.
CLOCK_SKEW = dt.timedelta(minutes=10)
#: A record kept on a phone longer than this is a wrong clock, not a long trip without a network.
OLDEST_PHONE_RECORD = dt.timedelta(days=366)
#: Three decimals of a degree: about 110 m, the street block or hamlet rather than the house.
POSITION_STEP = Decimal("0.001")


def checked_position(
    latitude: Decimal | None, longitude: Decimal | None
) -> tuple[Decimal | None, Decimal | None]:
    """Both coordinates rounded to :data:`POSITION_STEP`, or neither (DomainError ``invalid_position``)."""
    if latitude is None and longitude is None:
        return None, None
    if latitude is None or longitude is None or not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise DomainError(_("The position is not valid."), code="invalid_position")
    return (
        latitude.quantize(POSITION_STEP, rounding=ROUND_HALF_UP),
        longitude.quantize(POSITION_STEP, rounding=ROUND_HALF_UP),
    )


def with_catalogue_name(data: SessionInput) -> SessionInput:
    """A procedure code typed without its name gets the catalogue's official name (one query)."""
    if not data.procedure_code or data.procedure_name:
        return data
    from xungkich.catalogue.models import Procedure

    name = Procedure.objects.filter(code=data.procedure_code).values_list("name", flat=True).first()
    return dataclasses.replace(data, procedure_name=name[: free_text.PROCEDURE_NAME]) if name else data


def ticket_minutes(ticket: Ticket, now: dt.datetime | None = None) -> int | None:
    """Minutes from the call to the finish (or to now while it is still being served)."""
    if ticket.called_at is None:
        return None
    end = ticket.finished_at or now or timezone.now()
    return max(0, round((end - ticket.called_at).total_seconds() / 60))


def _refresh_rollups(session: HelpSession, *, activity_ids: tuple[int | None, ...] = ()) -> None:
    """Mark the report figures of the session's day and place as changed, in the same transaction.

    A session recorded at a campaign activity also changes what that activity adds to the citizens
    helped (``reports.campaign_progress.activity_extras``): its campaign figures are marked too.
    """
    changes.announce_one(
        source=changes.HELP, day=session.helped_on, point_id=session.point_id, unit_id=session.unit_id
    )
    linked = {pk for pk in (session.activity_id, *activity_ids) if pk is not None}
    if linked:
        keys = (
            Activity.objects.filter(pk__in=linked)
            .exclude(citizens_helped=0, accounts_created=0)  # only typed counts have extras
            .values_list("date", "campaign__unit_id")
        )
        changes.announce(source=changes.CAMPAIGNS, keys=[(day, None, unit_id) for day, unit_id in keys])


@transaction.atomic
def create_help_session(*, by: User, data: SessionInput) -> HelpSession:
    data = with_catalogue_name(check_session_input(data))
    point = data.point
    ticket = data.ticket
    duration = data.duration_minutes
    if ticket is not None:
        ticket = Ticket.objects.select_for_update().select_related("point").get(pk=ticket.pk)
        if point is not None and point.pk != ticket.point_id:
            raise DomainError(_("This ticket belongs to another service point."), code="ticket_point")
        point = ticket.point
        if HelpSession.objects.filter(ticket=ticket).exists():
            raise DomainError(_("Help for this ticket is already recorded."), code="ticket_already_recorded")
        if duration is None:
            duration = ticket_minutes(ticket)
    unit: OrgUnit | None = by.unit if by.unit_id else (point.unit if point is not None else None)
    if unit is None:
        raise DomainError(_("Your account belongs to no unit."), code="no_unit")
    today = timezone.localdate()
    if data.helped_on:
        helped_on = data.helped_on
    elif ticket is not None:
        helped_on = timezone.localdate(ticket.created_at)
    elif data.device_recorded_at is not None:  # a record kept on the phone counts on the day it was made
        helped_on = timezone.localdate(data.device_recorded_at)
    else:
        helped_on = today
    has_tracking = data.tracking_consent
    session = HelpSession(
        unit=unit,
        point=point,
        ticket=ticket,
        helped_by=by,
        helped_on=helped_on,
        place_kind=data.place_kind,
        place_text=data.place_text,
        place_ward=data.place_ward,
        activity=data.activity,
        latitude=data.latitude,
        longitude=data.longitude,
        device_recorded_at=data.device_recorded_at,
        need=data.need,
        procedure_code=data.procedure_code,
        procedure_name=data.procedure_name,
        channel=data.channel,
        outcome=data.outcome,
        failure_reason=data.failure_reason,
        duration_minutes=duration,
        age_band=data.age_band,
        gender=data.gender,
        ward=data.ward,
        first_online=data.first_online,
        performed_by=data.performed_by,
        notes=data.notes,
        tracking_consent_version=consent.CURRENT[consent.TRACKING_PURPOSE] if has_tracking else "",
        dossier_code=data.dossier_code if has_tracking else "",
        expected_result_on=data.expected_result_on if has_tracking else None,
        tracking_state=TrackingState.WAITING if has_tracking else TrackingState.NOT_TRACKED,
    )
    if ticket is None:
        session.save()
    else:
        try:
            with transaction.atomic():
                session.save()
        except IntegrityError as exc:  # a second desk recorded the same ticket at the same moment
            raise DomainError(
                _("Help for this ticket is already recorded."), code="ticket_already_recorded"
            ) from exc
    if data.followup_phone:
        FollowUp.objects.create(
            session=session,
            phone=data.followup_phone,
            consent_version=consent.CURRENT[consent.FOLLOWUP_PURPOSE],
            consented_at=timezone.now(),
            due_on=helped_on + dt.timedelta(days=followup_days()),
            delete_by=helped_on + dt.timedelta(days=retention_days()),
        )
    _refresh_rollups(session)
    after = snapshot(session, AUDIT_FIELDS) | {"followup_consent": bool(data.followup_phone)}
    log_action(actor=by, action="helpdesk.session.create", obj=session, unit=unit, after=after)
    return session


@transaction.atomic
def update_help_session(*, by: User, session: HelpSession, data: SessionInput) -> HelpSession:
    data = with_catalogue_name(
        check_session_input(
            dataclasses.replace(data, point=session.point, ticket=session.ticket, followup_phone="")
        )
    )
    session = HelpSession.objects.select_for_update().get(pk=session.pk)
    before = snapshot(session, AUDIT_FIELDS)
    old_activity = session.activity_id
    for name in EDITABLE_FIELDS:
        setattr(session, name, getattr(data, name))
    session.save(update_fields=[*EDITABLE_FIELDS, "updated_at"])
    _refresh_rollups(session, activity_ids=(old_activity,))
    log_action(
        actor=by,
        action="helpdesk.session.update",
        obj=session,
        unit=session.unit,
        before=before,
        after=snapshot(session, AUDIT_FIELDS),
    )
    return session


@transaction.atomic
def set_tracking_state(*, by: User, session: HelpSession, state: str) -> HelpSession:
    """Record what the follow-up of a consented dossier found (result received, rejected…)."""
    session = HelpSession.objects.select_for_update().get(pk=session.pk)
    if not session.tracking_consent_version:
        raise DomainError(_("This dossier is not followed."), code="not_tracked")
    if state not in TrackingState.values or state == TrackingState.NOT_TRACKED:
        raise DomainError(_("Choose a valid state."), code="invalid_state")
    before = {"tracking_state": session.tracking_state}
    session.tracking_state = state
    session.tracking_checked_at = timezone.now()
    session.save(update_fields=["tracking_state", "tracking_checked_at", "updated_at"])
    log_action(
        actor=by,
        action="helpdesk.session.tracking",
        obj=session,
        unit=session.unit,
        before=before,
        after={"tracking_state": state},
    )
    return session


# --- Follow-up calls -----------------------------------------------------------------------------

ANSWERS = {"yes": True, "no": False, "unreachable": None}


@transaction.atomic
def record_followup_answer(*, by: User, followup: FollowUp, answer: str) -> FollowUp:
    """The one call was made: keep the answer, delete the number at once."""
    if answer not in ANSWERS:
        raise DomainError(_("Choose an answer."), code="invalid_answer")
    followup = FollowUp.objects.select_for_update().select_related("session__unit").get(pk=followup.pk)
    if followup.status != FollowUp.Status.DUE:
        raise DomainError(_("This follow-up call is already closed."), code="followup_closed")
    now = timezone.now()
    followup.did_online_alone = ANSWERS[answer]
    followup.status = FollowUp.Status.UNREACHABLE if answer == "unreachable" else FollowUp.Status.ANSWERED
    followup.answered_at = now
    followup.answered_by = by
    followup.phone = ""
    followup.purged_at = now
    followup.save(
        update_fields=["did_online_alone", "status", "answered_at", "answered_by", "phone", "purged_at"]
    )
    _refresh_rollups(followup.session)
    log_action(
        actor=by,
        action="helpdesk.followup.answer",
        obj=followup,
        unit=followup.session.unit,
        after={"status": followup.status, "did_online_alone": followup.did_online_alone},
    )
    return followup


@dataclass(frozen=True)
class PurgeResult:
    expired: int  # due calls never made within the retention period
    cleared: int  # closed follow-ups that still held a number (none in normal operation)


@transaction.atomic
def purge_followups(*, today: dt.date | None = None) -> PurgeResult:
    """Delete every phone number past its retention or whose call is over. Idempotent."""
    today = today or timezone.localdate()
    now = timezone.now()
    with_phone = FollowUp.objects.exclude(phone="")
    purged = with_phone.filter(~Q(status=FollowUp.Status.DUE) | Q(delete_by__lte=today))
    keys = purged.values_list("session__helped_on", "session__point_id", "session__unit_id").distinct()
    changes.announce(source=changes.HELP, keys=keys)
    expired = with_phone.filter(status=FollowUp.Status.DUE, delete_by__lte=today).update(
        phone="", status=FollowUp.Status.EXPIRED, purged_at=now
    )
    cleared = with_phone.exclude(status=FollowUp.Status.DUE).update(phone="", purged_at=now)
    return PurgeResult(expired=expired, cleared=cleared)


@dataclass(frozen=True)
class Habit:
    answered: int
    did_alone: int

    @property
    def share(self) -> float | None:
        return self.did_alone / self.answered if self.answered else None


def habit_figure(followups: QuerySet[FollowUp]) -> Habit:
    """Share of answered follow-ups whose person did an online procedure on their own since."""
    row = followups.filter(status=FollowUp.Status.ANSWERED).aggregate(
        answered=Count("pk"), did=Count("pk", filter=Q(did_online_alone=True))
    )
    return Habit(answered=row["answered"], did_alone=row["did"])


# --- A person's own data -------------------------------------------------------------------------


def find_personal_data(*, by: User, phone: str, followups: QuerySet[FollowUp]) -> list[FollowUp]:
    """The consented records holding ``phone`` (already normalised), among ``followups``. Audited."""
    found = list(followups.filter(phone=phone).select_related("session__unit", "session__point"))
    for followup in found:
        log_action(actor=by, action="helpdesk.personal_data.show", obj=followup, unit=followup.session.unit)
    return found


@transaction.atomic
def erase_personal_data(*, by: User, phone: str, followups: QuerySet[FollowUp]) -> int:
    """Delete the number and the dossier details linked to it, on the person's request. Audited."""
    found = list(followups.select_for_update().filter(phone=phone).select_related("session__unit"))
    now = timezone.now()
    for followup in found:
        followup.phone = ""
        followup.status = FollowUp.Status.ERASED
        followup.did_online_alone = None
        followup.purged_at = now
        followup.save(update_fields=["phone", "status", "did_online_alone", "purged_at"])
        session = followup.session
        session.dossier_code = ""
        session.expected_result_on = None
        session.save(update_fields=["dossier_code", "expected_result_on", "updated_at"])
        _refresh_rollups(session)
        log_action(actor=by, action="helpdesk.personal_data.erase", obj=followup, unit=session.unit)
    return len(found)


# --- Ratings and known issues --------------------------------------------------------------------


@transaction.atomic
def rate_ticket(*, ticket: Ticket, score: int, comment: str = "") -> Rating:
    if not 1 <= score <= 5:
        raise DomainError(_("Choose a score from 1 to 5."), code="invalid_score")
    comment = screened(comment, limit=free_text.COMMENT, field="comment")
    try:
        with transaction.atomic():
            rating = Rating.objects.create(ticket=ticket, score=score, comment=comment)
            changes.announce_one(source=changes.RATINGS, day=ticket.day, point_id=ticket.point_id)
    except IntegrityError as exc:
        raise DomainError(_("This ticket has already been rated. Thank you!"), code="already_rated") from exc
    log_action(actor=None, action="helpdesk.rating.create", obj=rating, after={"score": score})
    return rating


@transaction.atomic
def post_known_issue(*, by: User, title: str, channel: str = "", workaround: str = "") -> KnownIssue:
    from xungkich.helpdesk.access import issue_scope_path

    if by.unit is None:
        raise DomainError(_("Your account belongs to no unit."), code="no_unit")
    issue = KnownIssue.objects.create(
        unit=by.unit,
        scope_path=issue_scope_path(by),
        title=screened(title, limit=free_text.SCREENED["helpdesk.KnownIssue"]["title"], field="title"),
        channel=channel,
        workaround=screened(workaround, limit=free_text.NOTES, field="workaround"),
        posted_by=by,
    )
    log_action(actor=by, action="helpdesk.issue.post", obj=issue, unit=by.unit, after={"title": issue.title})
    return issue


@transaction.atomic
def close_known_issue(*, by: User, issue: KnownIssue) -> KnownIssue:
    updated = KnownIssue.objects.filter(pk=issue.pk, closed_at=None).update(
        closed_at=timezone.now(), closed_by=by
    )
    if not updated:
        raise DomainError(_("This issue is already closed."), code="issue_closed")
    issue.refresh_from_db()
    log_action(actor=by, action="helpdesk.issue.close", obj=issue, unit=issue.unit)
    return issue


def count_help_by_activity(activity_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per activity: (help sessions recorded there, of which account help done), one query."""
    rows = (
        HelpSession.objects.filter(activity_id__in=activity_ids)
        .order_by()
        .values("activity_id")
        .annotate(n=Count("pk"), done=Count("pk", filter=Q(need=Need.ACCOUNT, outcome=Outcome.DONE)))
        .values_list("activity_id", "n", "done")
    )
    return {activity_id: (n, done) for activity_id, n, done in rows}
