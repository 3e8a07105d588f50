"""The helpdesk endpoints of JSON API v1: record and list help sessions.

``POST /api/v1/help-sessions`` answers 201 with the session as stored (free text after masking) or 400
``{"code", "message"}`` (``secret_in_notes`` when the notes, the place or the procedure hold a
password or code: nothing is stored; ``invalid`` when a text is longer than its limit). With an
``Idempotency-Key`` header a retry returns the first answer; the same key with a different body is a
409 ``idempotency_key_reused``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from xungkich.core import free_text
from xungkich.core.errors import DomainError
from xungkich.helpdesk import access, idempotency, services
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


class ErrorOut(Schema):
    code: str
    message: str


_LIMITS = free_text.SCREENED["helpdesk.HelpSession"]


class HelpSessionIn(Schema):
    service_point: int | None = None
    ticket: int | None = None
    need: Need
    outcome: Outcome = Outcome.DONE
    channel: Channel = Channel.VNEID
    failure_reason: FailureReason | None = None
    duration_minutes: int | None = None
    age_band: AgeBand = AgeBand.UNKNOWN
    gender: Gender = Gender.UNKNOWN
    ward: str | None = None  # official code of the ward / commune of residence
    first_online: bool | None = None
    performed_by: PerformedBy = PerformedBy.GUIDED
    # Free text: screened like the form (a password or code is a 400 ``secret_in_notes``, identifiers
    # are masked) and capped (a longer text is a 400 ``invalid`` naming the field).
    notes: str = Field("", max_length=_LIMITS["notes"])
    procedure_code: str = Field("", max_length=_LIMITS["procedure_code"])
    procedure_name: str = Field("", max_length=_LIMITS["procedure_name"])
    place_kind: PlaceKind = PlaceKind.POINT
    place_text: str = Field("", max_length=_LIMITS["place_text"])
    place_ward: str | None = None
    helped_on: dt.date | None = None


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
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    service_point: int | None = None
    limit: int = 50
    offset: int = 0


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
        point=point,
        ticket=ticket,
        helped_on=payload.helped_on,
    )
    session = services.create_help_session(by=user, data=data)
    return 201, session_json(session)


@router.post(
    "/help-sessions",
    response={201: HelpSessionOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut},
    summary="Record a help session",
)
def create_help_session(request: HttpRequest, payload: HelpSessionIn) -> HttpResponse:
    from xungkich.api.api import api

    user: User = request.auth  # type: ignore[attr-defined]
    access.require_recorder(user)
    key = request.headers.get("Idempotency-Key")
    if key is None:
        status, body = _create(user, payload)
    else:
        status, body = idempotency.run_once(
            user=user,
            key=key,
            digest=idempotency.request_hash(request.body),
            action=lambda: _create(user, payload),
        )
    return api.create_response(request, body, status=status)


@router.get(
    "/help-sessions",
    response={200: HelpSessionPage, 401: ErrorOut, 403: ErrorOut},
    summary="List help sessions",
)
def list_help_sessions(request: HttpRequest, filters: Query[ListFilters]) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    access.require_reader(user)
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
