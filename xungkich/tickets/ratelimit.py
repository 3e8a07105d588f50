"""The take-ticket limits, on the fixed-window counters of ``core/ratelimit.py`` (and one Redis script).

Taking a ticket needs no account, so it is limited per client address and per service point.
The limits are settings with defaults here: ``XK_TICKETS_RATE_PER_IP`` and
``XK_TICKETS_RATE_PER_POINT``, each ``(requests, seconds)``.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from xungkich.core.errors import DomainError
from xungkich.core.ratelimit import bucket, client_address, hit

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


# Count the request against the address; only when the address is within its limit, count it
# against the point too, so that requests refused per address never use up the point's budget.
# KEYS: the address counter, the point counter; ARGV: the address limit, the two lifetimes.
_REDIS_SCRIPT = """
local by_address = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[2], 'NX')
if by_address > tonumber(ARGV[1]) then
  return {by_address, 0}
end
local by_point = redis.call('INCR', KEYS[2])
redis.call('EXPIRE', KEYS[2], ARGV[3], 'NX')
return {by_address, by_point}
"""


def _redis_hits(
    *, ip_bucket: str, ip_limit: int, ip_window: int, point_bucket: str, point_window: int
) -> tuple[int, int] | None:
    """Count one request by address and (if the address is within its limit) by point, in one
    Redis round trip; returns (address count, point count or 0), or None if the cache is not Redis.

    INCR makes a missing counter at 1; ``EXPIRE … NX`` gives it its lifetime once (Redis ≥ 7).
    The script is sent by its digest (EVALSHA); Redis keeps it after the first use.
    """
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    keys = [backend.make_and_validate_key(ip_bucket), backend.make_and_validate_key(point_bucket)]
    client = backend._cache.get_client(keys[0], write=True)
    script = client.register_script(_REDIS_SCRIPT)
    by_address, by_point = script(keys=keys, args=[ip_limit, ip_window + 5, point_window + 5])
    return int(by_address), int(by_point)


def check_take_ticket(request: HttpRequest, point_id: int) -> None:
    """Raise RateLimited when this address or this point took too many tickets in the window.

    Only requests within the address limit count towards the point's budget: one client hammering
    the form is refused on its own and cannot stop the point for everyone else.
    """
    ip_limit, ip_window = getattr(settings, "XK_TICKETS_RATE_PER_IP", DEFAULT_PER_IP)
    point_limit, point_window = getattr(settings, "XK_TICKETS_RATE_PER_POINT", DEFAULT_PER_POINT)
    now = time.time()
    counts = _redis_hits(
        ip_bucket=bucket(f"ip:{client_address(request)}", ip_window, now),
        ip_limit=ip_limit,
        ip_window=ip_window,
        point_bucket=bucket(f"point:{point_id}", point_window, now),
        point_window=point_window,
    )
    if counts is not None:
        by_address, by_point = counts
        if by_address > ip_limit or by_point > point_limit:
            raise RateLimited
        return
    # The address first: a request it refuses is not counted against the point.
    if not hit(f"ip:{client_address(request)}", ip_limit, ip_window):
        raise RateLimited
    if not hit(f"point:{point_id}", point_limit, point_window):
        raise RateLimited
