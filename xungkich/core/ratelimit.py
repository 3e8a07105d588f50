"""The client's address and fixed-window request counters in the cache framework.

Public forms that need no account (taking a ticket, resending an event ticket) and the API's
idempotency keys tell clients apart by address; the forms count requests per address (or per
point, per phone) in fixed windows. The counters live in the default cache: Redis in production,
the database cache else. ``tickets/ratelimit.py`` adds the take-ticket limits on top.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


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


def bucket(key: str, window: int, now: float) -> str:
    """The cache key counting ``key`` in the window holding ``now``.

    The prefix is the one the counters had when they were the tickets' own: counters of a window
    in progress at a deploy keep counting.
    """
    return f"xk:tickets:rl:{key}:{int(now // window)}"


def hit(key: str, limit: int, window: int) -> bool:
    """Count one request in the current window; True while within the limit."""
    name = bucket(key, window, time.time())
    try:
        count = cache.incr(name)
    except ValueError:  # the first request of the window
        if cache.add(name, 1, timeout=window + 5):
            return limit >= 1
        count = cache.incr(name)  # another request made the counter just now
    return count <= limit


def allow(key: str, *, limit: int, window: int) -> bool:
    """Count one request under ``key`` in the current fixed window of ``window`` seconds; True while
    within ``limit``. For public forms that need a limit (e.g. resending an event ticket)."""
    return hit(key, limit, window)
