"""Publishing the same guide from several places at once: consecutive version numbers, no error."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from xungkich.guides import services
from xungkich.guides.models import Guide, GuideVersion
from xungkich.guides.tests.guide_data import make_guide

THREADS = 5


@pytest.mark.django_db(transaction=True)
def test_simultaneous_publishes_get_consecutive_versions(coordinator):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("SQLite in-memory test database: threads share one cache; run on PostgreSQL")
    guide = make_guide(by=coordinator)
    barrier = threading.Barrier(THREADS)
    errors: list[Exception] = []

    def worker() -> None:
        try:
            barrier.wait(timeout=10)
            services.publish_guide(guide=Guide.objects.get(pk=guide.pk), by=coordinator)
        except Exception as error:  # a database error would mean the lock does not hold
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    numbers = sorted(GuideVersion.objects.filter(guide=guide).values_list("number", flat=True))
    assert numbers == list(range(1, THREADS + 2))
    guide.refresh_from_db()
    assert guide.published_version is not None and guide.published_version.number == THREADS + 1
