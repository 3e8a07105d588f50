"""What the TV board and the citizen's ticket page show: plain dicts, a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.http import Http404
from django.utils import timezone

from xungkich.places.models import ServicePoint
from xungkich.tickets import services
from xungkich.tickets.models import Ticket

NEXT_SHOWN = 6  # the waiting numbers listed on the board
DESKS_SHOWN = 12  # the most recent calls still at a desk (a TV shows about this many)


def label(number: int) -> str:
    return f"{number:03d}"


def board_state(point_id: int) -> dict[str, Any]:
    """The board of a point today. No personal data: numbers, desks and counts only.

    Cached until the queue of the point changes (services drop the key on commit) and at most
    ``BOARD_CACHE_SECONDS``: the TV boards of a point, the desks' pages and the API share one copy.
    ``serving[].key`` changes at each call and recall of a number: the board announces it then.
    """
    key = services.board_cache_key(point_id, services.local_today())
    state = cache.get(key)
    if state is None:
        state = _compute_board_state(point_id)
        cache.set(key, state, services.BOARD_CACHE_SECONDS)
    return state


def _compute_board_state(point_id: int) -> dict[str, Any]:
    """5 queries (4 when the help times are cached)."""
    point = ServicePoint.objects.filter(pk=point_id, is_active=True).values("id", "name").first()
    if point is None:
        raise Http404
    day = services.local_today()
    today = Ticket.objects.filter(point_id=point_id, day=day)
    serving = [
        {
            "desk": desk,
            "number": number,
            "label": label(number),
            "calls": calls,
            "key": f"{pk}:{calls}",
            "called_at": called_at.isoformat() if called_at else None,
        }
        for pk, desk, number, calls, called_at in today.filter(status__in=services.ACTIVE)
        .order_by("-called_at")
        .values_list("pk", "desk", "number", "calls", "called_at")[:DESKS_SHOWN]
    ]
    waiting = today.filter(status=Ticket.Status.WAITING)
    waiting_count = waiting.count()
    upcoming = list(waiting.order_by("number").values_list("number", flat=True)[:NEXT_SHOWN])
    estimate = services.wait_estimate(point=point_id, day=day, ahead=waiting_count)
    return {
        "point": {"id": point["id"], "name": point["name"]},
        "day": day.isoformat(),
        "serving": serving,
        "waiting": waiting_count,
        "next": [label(n) for n in upcoming],
        "estimated_wait_minutes": estimate.minutes,
        "estimate_measured": estimate.measured,
        "service_minutes": estimate.service_minutes,
        "updated_at": timezone.now().isoformat(),
    }
