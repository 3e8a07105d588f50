"""The take-ticket limits behave the same on the database cache and on Redis (one round trip)."""

from __future__ import annotations

import os
import uuid

import pytest
from django.core.cache import caches
from django.test import RequestFactory

from xungkich.tickets import ratelimit

REDIS_URL = os.environ.get("XK_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def _use(kind: str, settings) -> None:
    if kind == "redis":
        if not _redis_available():
            pytest.skip(f"no Redis server at {REDIS_URL} (set XK_TEST_REDIS_URL)")
        settings.CACHES = {
            "default": {
                "BACKEND": "xungkich.core.cache.RedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": f"xk-test-{uuid.uuid4().hex[:8]}",  # no clash with another run
            }
        }
    caches["default"].clear()


@pytest.fixture(params=["database", "redis"])
def limited_cache(request, settings, db):
    _use(request.param, settings)
    yield request.param
    caches["default"].clear()


@pytest.fixture
def redis_cache(settings, db):
    _use("redis", settings)
    yield caches["default"]
    caches["default"].clear()


def _request(address: str):
    return RequestFactory().post("/", REMOTE_ADDR=address)


def _outcomes(calls: list[tuple[str, int]]) -> list[str]:
    results = []
    for address, point_id in calls:
        try:
            ratelimit.check_take_ticket(_request(address), point_id)
            results.append("ok")
        except ratelimit.RateLimited as exc:
            results.append(exc.code)
    return results


def test_the_address_limit(limited_cache, settings):
    settings.XK_TICKETS_RATE_PER_IP = (2, 600)
    calls = [("10.0.0.1", 1)] * 3 + [("10.0.0.2", 1)]
    assert _outcomes(calls) == ["ok", "ok", "rate_limited", "ok"]


def test_the_point_limit_across_addresses(limited_cache, settings):
    settings.XK_TICKETS_RATE_PER_POINT = (2, 600)
    calls = [(f"10.0.0.{i}", 7) for i in range(3)] + [("10.0.0.9", 8)]
    assert _outcomes(calls) == ["ok", "ok", "rate_limited", "ok"]


def test_redis_counters_expire_with_their_window(redis_cache, settings):
    settings.XK_TICKETS_RATE_PER_IP = (5, 600)
    _outcomes([("10.0.0.1", 3)] * 2)
    backend = redis_cache
    client = backend._cache.get_client(write=False)
    keys = client.keys(f"{backend.key_prefix}*")
    assert len(keys) == 2  # one per address, one per point
    for key in keys:
        assert 0 < client.ttl(key) <= 605
        assert int(client.get(key)) == 2


def test_both_limits_cost_one_redis_round_trip(redis_cache, monkeypatch):
    from redis.connection import Connection

    sent = []
    original = Connection.send_packed_command

    def counting(self, command, check_health=True):
        sent.append(command)
        return original(self, command, check_health)

    _outcomes([("10.0.0.1", 3)])  # connect first: the handshake is not the limiter's cost
    monkeypatch.setattr(Connection, "send_packed_command", counting)
    assert _outcomes([("10.0.0.1", 3)]) == ["ok"]
    assert len(sent) == 1


def test_refused_requests_do_not_use_up_the_point_budget(limited_cache, settings):
    """One address hammering past its own limit must not stop the point for everyone else."""
    settings.XK_TICKETS_RATE_PER_IP = (2, 600)
    settings.XK_TICKETS_RATE_PER_POINT = (5, 600)
    hammering = _outcomes([("10.0.0.66", 4)] * 50)
    assert hammering == ["ok", "ok"] + ["rate_limited"] * 48
    others = _outcomes([(f"10.0.1.{i}", 4) for i in range(4)])
    assert others == ["ok", "ok", "ok", "rate_limited"]  # 2 + 3 = the point's 5


def test_a_refused_request_costs_one_redis_round_trip(redis_cache, monkeypatch, settings):
    from redis.connection import Connection

    settings.XK_TICKETS_RATE_PER_IP = (1, 600)
    sent = []
    original = Connection.send_packed_command

    def counting(self, command, check_health=True):
        sent.append(command)
        return original(self, command, check_health)

    _outcomes([("10.0.0.1", 3)])  # connect first, and use up the address's one request
    monkeypatch.setattr(Connection, "send_packed_command", counting)
    assert _outcomes([("10.0.0.1", 3)]) == ["rate_limited"]
    assert len(sent) == 1
