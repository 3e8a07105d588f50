"""The Redis cache backend keeps one client per connection pool (Django's makes one per call)."""

from __future__ import annotations

import os
import uuid

import pytest
import redis

from xungkich.core.cache import RedisCache

REDIS_URL = os.environ.get("XK_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def backend():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip(f"no Redis server at {REDIS_URL} (set XK_TEST_REDIS_URL)")
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": f"xk-test-{uuid.uuid4().hex[:8]}"})
    yield cache
    cache.clear()


def test_one_client_object_serves_every_call(backend, monkeypatch):
    made = []
    original = redis.Redis.__init__

    def counting(self, *args, **kwargs):
        made.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counting)
    backend.set("a", 1)
    assert backend.get("a") == 1
    assert backend.incr("a") == 2
    backend.delete_many(["a"])
    assert backend.get("a") is None
    assert len(made) == 1
    assert backend._cache.get_client() is backend._cache.get_client(write=True)


def test_the_settings_use_it_when_redis_is_configured(tmp_path):
    from xungkich.core.tests.test_settings import run_django

    result = run_django(
        "from django.core.cache import caches; print(type(caches['default']).__module__)",
        REDIS_URL=REDIS_URL,
        XK_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "xungkich.core.cache"
