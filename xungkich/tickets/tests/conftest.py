"""The queue tests run with an in-process cache, so that query counts are of the database only."""

from typing import Any

import pytest
from django.core.cache import cache

LOCAL_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "xk-tickets"}
}


@pytest.fixture(autouse=True)
def local_cache(settings: Any) -> Any:
    settings.CACHES = LOCAL_CACHE
    cache.clear()
    yield
    cache.clear()
