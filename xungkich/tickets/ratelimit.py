"""Fixed-window counters in the cache framework (Redis in production, the database cache else).

Taking a ticket needs no account, so it is limited per client address and per service point.
The limits are settings with defaults here: ``XK_TICKETS_RATE_PER_IP`` and
``XK_TICKETS_RATE_PER_POINT``, each ``(requests, seconds)``.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
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


def _hit(key: str, limit: int, window: int) -> bool:
    """Count one request in the current window; True while within the limit."""
    bucket = f"xk:tickets:rl:{key}:{int(time.time() // window)}"
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
    if not _hit(f"ip:{client_address(request)}", ip_limit, ip_window):
        raise RateLimited
    if not _hit(f"point:{point_id}", point_limit, point_window):
        raise RateLimited
