"""Fixed-window counters in the cache framework (Redis in production, the database cache else).

Taking a ticket needs no account, so it is limited per client address and per service point.
The limits are settings with defaults here: ``XK_TICKETS_RATE_PER_IP`` and
``XK_TICKETS_RATE_PER_POINT``, each ``(requests, seconds)``.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from xungkich.core.errors import DomainError

# Many citizens behind one carrier NAT share an address: the per-address limit allows a family
# or a few neighbours, not a script. A busy centre serves about a hundred people an hour.
DEFAULT_PER_IP = (10, 600)
DEFAULT_PER_POINT = (150, 600)


class RateLimited(DomainError):
    def __init__(self) -> None:
        super().__init__(
            _("Too many numbers were taken from here just now. Wait a few minutes or ask a volunteer."),
            "rate_limited",
        )


def client_address(request: HttpRequest) -> str:
    """The client's address; behind PROXY_COUNT proxies, the one they saw (X-Forwarded-For)."""
    proxies = int(getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0) or 0)
    if proxies:
        chain = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(chain) >= proxies:
            return chain[-proxies]
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def _bucket(key: str, window: int, now: float) -> str:
    return f"xk:tickets:rl:{key}:{int(now // window)}"


def _redis_hits(buckets: list[tuple[str, int]]) -> list[int] | None:
    """Count one request in each (bucket, window) in one Redis round trip; None if not Redis.

    INCR makes a missing counter at 1; ``EXPIRE … NX`` gives it its lifetime once (Redis ≥ 7).
    """
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    keys = [backend.make_and_validate_key(bucket) for bucket, _window in buckets]
    client = backend._cache.get_client(keys[0], write=True)
    pipeline = client.pipeline(transaction=False)
    for key, (_bucket, window) in zip(keys, buckets, strict=True):
        pipeline.incr(key)
        pipeline.expire(key, window + 5, nx=True)
    replies = pipeline.execute()
    return [int(count) for count in replies[::2]]


def _hit(key: str, limit: int, window: int) -> bool:
    """Count one request in the current window; True while within the limit."""
    bucket = _bucket(key, window, time.time())
    try:
        count = cache.incr(bucket)
    except ValueError:  # the first request of the window
        if cache.add(bucket, 1, timeout=window + 5):
            return limit >= 1
        count = cache.incr(bucket)  # another request made the counter just now
    return count <= limit


def check_take_ticket(request: HttpRequest, point_id: int) -> None:
    """Raise RateLimited when this address or this point took too many tickets in the window."""
    ip_limit, ip_window = getattr(settings, "XK_TICKETS_RATE_PER_IP", DEFAULT_PER_IP)
    point_limit, point_window = getattr(settings, "XK_TICKETS_RATE_PER_POINT", DEFAULT_PER_POINT)
    now = time.time()
    counts = _redis_hits(
        [
            (_bucket(f"ip:{client_address(request)}", ip_window, now), ip_window),
            (_bucket(f"point:{point_id}", point_window, now), point_window),
        ]
    )
    if counts is not None:
        if counts[0] > ip_limit or counts[1] > point_limit:
            raise RateLimited
        return
    if not _hit(f"ip:{client_address(request)}", ip_limit, ip_window):
        raise RateLimited
    if not _hit(f"point:{point_id}", point_limit, point_window):
        raise RateLimited


def allow(key: str, *, limit: int, window: int) -> bool:
    """Count one request under ``key`` in the current fixed window of ``window`` seconds; True while
    within ``limit``. For other public forms that need the same limit (e.g. resending an event ticket)."""
    return _hit(key, limit, window)
