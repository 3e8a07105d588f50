"""The queue endpoints of JSON API v1.

- ``POST /tickets`` (public, rate-limited): take a ticket; 201 with the number and the expected wait;
- ``POST /desk/call-next`` (token): the next waiting ticket to a desk; 404 ``queue_empty``;
  both honour ``Idempotency-Key``: a retry gets the first answer, not a second number or call;
- ``GET /board/{point_id}`` (public): what the TV board shows (no personal data).
"""

from __future__ import annotations

from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema
from pydantic import BaseModel, Field

from xungkich.api import idempotency
from xungkich.api.errors import errors
from xungkich.api.fields import MAX_ID, BodyId, CleanText
from xungkich.core.errors import DomainError
from xungkich.tickets import ratelimit, selectors, services
from xungkich.tickets.access import active_point, get_point_for_desk
from xungkich.tickets.models import Need, Ticket

router = Router(tags=["queue"])

# Responses are plain pydantic models (not ninja ``Schema``, whose per-field Django getter costs
# about 20 µs a field): the board is read every few seconds by every TV.


class TakeIn(Schema):
    service_point: BodyId
    need: Need


class Taken(BaseModel):
    id: int
    number: int
    label: str
    day: str
    need: str
    status: str
    ahead: int
    ahead_at_least: bool = Field(description="true: `ahead` is a floor (long queues are counted up to it)")
    estimated_wait_minutes: int
    estimate_measured: bool
    url: str


class CallIn(Schema):
    service_point: BodyId
    desk: Annotated[CleanText, Field(max_length=Ticket._meta.get_field("desk").max_length)]


class Called(BaseModel):
    id: int
    number: int
    label: str
    need: str
    status: str
    desk: str
    called_at: str
    help_session_url: str


class Serving(BaseModel):
    desk: str
    number: int
    label: str
    calls: int
    key: str
    called_at: str | None


class BoardPoint(BaseModel):
    id: int
    name: str


class Board(BaseModel):
    point: BoardPoint
    day: str
    serving: list[Serving]
    waiting: int
    next: list[str]
    estimated_wait_minutes: int
    estimate_measured: bool
    service_minutes: float
    updated_at: str


def _error(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    from xungkich.api.api import error

    return error(request, status, code, message)


@router.post("/tickets", auth=None, response={201: Taken, **errors(400, 404, 409, 429)})
def take_ticket(request: HttpRequest, payload: TakeIn) -> Any:
    """Take a ticket at a service point (no account; limited per address and per point).

    With an ``Idempotency-Key`` header a retry answers the first ticket again (the key belongs to
    the client's address)."""
    point = active_point(payload.service_point)
    if point is None:
        return _error(request, 404, "not_found", _("No such service point."))

    def take() -> tuple[int, dict[str, Any]]:
        ratelimit.check_take_ticket(request, point.pk)
        taken = services.take_ticket(point=point, need=payload.need.value, source=Ticket.Source.API)
        ticket = taken.ticket
        return 201, Taken(
            id=ticket.pk,
            number=ticket.number,
            label=str(ticket),
            day=ticket.day.isoformat(),
            need=ticket.need,
            status=ticket.status,
            ahead=taken.ahead,
            ahead_at_least=taken.ahead >= services.AHEAD_LIMIT,
            estimated_wait_minutes=taken.estimate.minutes,
            estimate_measured=taken.estimate.measured,
            url=request.build_absolute_uri(reverse("tickets:ticket", args=[ticket.public_token])),
        ).model_dump(mode="json")

    try:
        return idempotency.respond(request, take)
    except ratelimit.RateLimited as exc:
        return _error(request, 429, exc.code, str(exc))


@router.post("/desk/call-next", response={200: Called, **errors(400, 401, 403, 404, 409)})
def call_next(request: HttpRequest, payload: CallIn) -> Any:
    """Call the next waiting ticket of today to a desk (volunteers, unit leaders, coordinators).

    With an ``Idempotency-Key`` header a retry answers the ticket called first (no second call)."""
    point, can_serve = get_point_for_desk(request.auth, payload.service_point)  # type: ignore[attr-defined]
    if not can_serve:
        raise PermissionDenied

    def call() -> tuple[int, dict[str, Any]]:
        ticket = services.call_next_ticket(point=point, desk=payload.desk, by=request.auth)  # type: ignore[attr-defined]
        assert ticket.called_at is not None
        return 200, Called(
            id=ticket.pk,
            number=ticket.number,
            label=str(ticket),
            need=ticket.need,
            status=ticket.status,
            desk=ticket.desk,
            called_at=ticket.called_at.isoformat(),
            help_session_url=f"/desk/session/new/?ticket={ticket.pk}",
        ).model_dump(mode="json")

    try:
        return idempotency.respond(request, call)
    except DomainError as exc:
        if exc.code == "queue_empty":
            return _error(request, 404, exc.code, str(exc))
        raise


@router.get("/board/{point_id}", auth=None, response={200: Board, **errors(400, 404)})
def board(request: HttpRequest, point_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> Any:
    """What the TV board of a point shows now: numbers at desks, the waiting count, the next numbers."""
    return selectors.board_state(point_id)
