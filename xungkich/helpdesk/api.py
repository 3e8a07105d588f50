"""The helpdesk endpoints of JSON API v1: record and list help sessions.

``POST /api/v1/help-sessions`` answers 201 with the session as stored (free text after masking) or 400
``{"code", "message"}`` (``secret_in_notes`` when the notes, the place or the procedure hold a
password or code: nothing is stored; ``invalid`` when a text is longer than its limit). With an
``Idempotency-Key`` header a retry returns the first answer; the same key with a different body is a
409 ``idempotency_key_reused``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from xungkich.api import idempotency
from xungkich.api.auth import TOKEN_OR_SESSION
from xungkich.api.errors import errors
from xungkich.api.fields import ApiDate, BodyId, CleanText, QueryId
from xungkich.core.errors import DomainError
from xungkich.helpdesk import access, services
from xungkich.helpdesk.models import (
    AgeBand,
    Channel,
    FailureReason,
    Gender,
    HelpSession,
    Outcome,
    PerformedBy,
    PlaceKind,
)
from xungkich.people.models import AdminUnit, User
from xungkich.tickets.models import Need

router = Router(tags=["helpdesk"])

MAX_LIMIT = 200
MAX_OFFSET = 10**9


def _max_length(field: str, default: int) -> int:
    """The model's limit where it has one (a TextField may not): the schema follows the model."""
    limit: int | None = getattr(HelpSession._meta.get_field(field), "max_length", None)
    return limit or default


NOTES_MAX = _max_length("notes", 2000)
Code = Annotated[CleanText, Field(max_length=10, description="Official code of a ward or commune")]


class HelpSessionIn(Schema):
    service_point: BodyId | None = None
    ticket: BodyId | None = None
    need: Need
    outcome: Outcome = Outcome.DONE
    channel: Channel = Channel.VNEID
    failure_reason: FailureReason | None = None
    duration_minutes: Annotated[int, Field(ge=0, le=600)] | None = None
    age_band: AgeBand = AgeBand.UNKNOWN
    gender: Gender = Gender.UNKNOWN
    ward: Code | None = None  # official code of the ward / commune of residence
    first_online: bool | None = None
    performed_by: PerformedBy = PerformedBy.GUIDED
    # Free text: screened like the form (a password or code is a 400 ``secret_in_notes``, identifiers
    # are masked) and capped by the model's limits (xungkich/core/free_text.py).
    notes: Annotated[CleanText, Field(max_length=NOTES_MAX)] = ""
    procedure_code: Annotated[CleanText, Field(max_length=_max_length("procedure_code", 30))] = ""
    procedure_name: Annotated[CleanText, Field(max_length=_max_length("procedure_name", 255))] = ""
    place_kind: PlaceKind = PlaceKind.POINT
    place_text: Annotated[CleanText, Field(max_length=_max_length("place_text", 150))] = ""
    place_ward: Code | None = None
    activity: BodyId | None = None
    # The phone's position, only when the volunteer chose to share it: both or neither; stored rounded
    # to 3 decimals (about 110 m).
    latitude: Annotated[Decimal, Field(ge=-90, le=90, max_digits=12, decimal_places=9)] | None = None
    longitude: Annotated[Decimal, Field(ge=-180, le=180, max_digits=12, decimal_places=9)] | None = None
    helped_on: ApiDate | None = None
    # When the record was saved on the phone (the offline desk); the day defaults to its local date.
    recorded_at: dt.datetime | None = None


class HelpSessionOut(Schema):
    id: int
    service_point: int | None
    ticket: int | None
    unit: int
    helped_by: str | None
    helped_on: dt.date
    created_at: dt.datetime
    place_kind: str
    place_text: str
    place_ward: str | None
    activity: int | None
    latitude: float | None
    longitude: float | None
    recorded_at: dt.datetime | None
    need: str
    procedure_code: str
    procedure_name: str
    channel: str
    outcome: str
    failure_reason: str
    duration_minutes: int | None
    age_band: str
    gender: str
    ward: str | None
    first_online: bool | None
    performed_by: str
    notes: str
    tracking_state: str


class HelpSessionPage(Schema):
    count: int
    limit: int
    offset: int
    results: list[HelpSessionOut]


class ListFilters(Schema):
    date_from: ApiDate | None = None
    date_to: ApiDate | None = None
    service_point: QueryId | None = None
    limit: int = Field(50, description="Rows per page, 1 to 200 (a value outside is brought within)")
    offset: int = Field(0, le=MAX_OFFSET)


def session_json(session: HelpSession) -> dict[str, Any]:
    """The session as the API shows it (JSON-safe, also what an idempotency key replays)."""
    return {
        "id": session.pk,
        "service_point": session.point_id,
        "ticket": session.ticket_id,
        "unit": session.unit_id,
        "helped_by": session.helped_by.username if session.helped_by else None,
        "helped_on": session.helped_on.isoformat(),
        "created_at": session.created_at.isoformat(),
        "place_kind": session.place_kind,
        "place_text": session.place_text,
        "place_ward": session.place_ward.code if session.place_ward else None,
        "activity": session.activity_id,
        "latitude": float(session.latitude) if session.latitude is not None else None,
        "longitude": float(session.longitude) if session.longitude is not None else None,
        "recorded_at": session.device_recorded_at.isoformat() if session.device_recorded_at else None,
        "need": session.need,
        "procedure_code": session.procedure_code,
        "procedure_name": session.procedure_name,
        "channel": session.channel,
        "outcome": session.outcome,
        "failure_reason": session.failure_reason,
        "duration_minutes": session.duration_minutes,
        "age_band": session.age_band,
        "gender": session.gender,
        "ward": session.ward.code if session.ward else None,
        "first_online": session.first_online,
        "performed_by": session.performed_by,
        "notes": session.notes,
        "tracking_state": session.tracking_state,
    }


def _admin_unit(code: str | None, field: str) -> AdminUnit | None:
    if not code:
        return None
    unit = AdminUnit.objects.filter(code=code).exclude(kind=AdminUnit.Kind.PROVINCE).first()
    if unit is None:
        raise DomainError(_("Unknown ward code: %(code)s") % {"code": code}, code=f"unknown_{field}")
    return unit


def _create(user: User, payload: HelpSessionIn) -> tuple[int, dict[str, Any]]:
    point = None
    if payload.service_point is not None:
        point = access.recording_point(user, payload.service_point)
        if point is None:
            raise DomainError(_("Unknown service point."), code="unknown_service_point")
    ticket = access.get_ticket_for_recording(user, payload.ticket) if payload.ticket is not None else None
    activity = None
    if payload.activity is not None:
        activity = access.activities_for_recorder(user).filter(pk=payload.activity).first()
        if activity is None:
            raise DomainError(_("Unknown campaign activity."), code="unknown_activity")
    recorded_at = payload.recorded_at
    if recorded_at is not None and timezone.is_naive(recorded_at):
        recorded_at = timezone.make_aware(recorded_at)  # a time without offset is local time
    data = services.SessionInput(
        need=payload.need.value,
        outcome=payload.outcome.value,
        channel=payload.channel.value,
        failure_reason=payload.failure_reason.value if payload.failure_reason else "",
        duration_minutes=payload.duration_minutes,
        age_band=payload.age_band.value,
        gender=payload.gender.value,
        ward=_admin_unit(payload.ward, "ward"),
        first_online=payload.first_online,
        performed_by=payload.performed_by.value,
        notes=payload.notes,
        procedure_code=payload.procedure_code,
        procedure_name=payload.procedure_name,
        place_kind=payload.place_kind.value,
        place_text=payload.place_text,
        place_ward=_admin_unit(payload.place_ward, "place_ward"),
        activity=activity,
        latitude=payload.latitude,
        longitude=payload.longitude,
        device_recorded_at=recorded_at,
        point=point,
        ticket=ticket,
        helped_on=payload.helped_on,
    )
    session = services.create_help_session(by=user, data=data)
    return 201, session_json(session)


@router.post(
    "/help-sessions",
    response={201: HelpSessionOut, **errors(400, 401, 403, 404, 409)},
    summary="Record a help session",
    auth=TOKEN_OR_SESSION,
)
def create_help_session(request: HttpRequest, payload: HelpSessionIn) -> HttpResponse:
    user: User = request.auth  # type: ignore[attr-defined]
    access.require_recorder(user)
    return idempotency.respond(request, lambda: _create(user, payload))


@router.get(
    "/help-sessions",
    response={200: HelpSessionPage, **errors(400, 401, 403)},
    summary="List help sessions",
    auth=TOKEN_OR_SESSION,
)
def list_help_sessions(request: HttpRequest, filters: Query[ListFilters]) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    access.require_session_reader(user)
    qs = access.sessions_for_user(user)
    if filters.date_from:
        qs = qs.filter(helped_on__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(helped_on__lte=filters.date_to)
    if filters.service_point is not None:
        qs = qs.filter(point_id=filters.service_point)
    limit = max(1, min(filters.limit, MAX_LIMIT))
    offset = max(0, filters.offset)
    rows = qs.select_related("helped_by", "ward", "place_ward").order_by("-helped_on", "-pk")[
        offset : offset + limit
    ]
    return {
        "count": qs.count(),
        "limit": limit,
        "offset": offset,
        "results": [session_json(s) for s in rows],
    }
