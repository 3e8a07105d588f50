"""Two organisers scanning the same ticket at the same instant: it counts once.

Each thread has its own database connection. Runs on PostgreSQL and on SQLite's file database
(the test settings use a file, so SQLite's locking is real); skipped only on an in-memory SQLite.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from xungkich.campaigns import services
from xungkich.campaigns.models import Registration
from xungkich.campaigns.tests.conftest import register
from xungkich.core.errors import DomainError
from xungkich.core.models import AuditEntry

THREADS = 6


def _race(count: int, call: Callable[[], object]) -> list[object]:
    barrier = threading.Barrier(count)
    results: list[object] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            barrier.wait(timeout=10)
            outcome: object = call()
        except DomainError as exc:
            outcome = exc.code
        except Exception as exc:  # a database error would be a failure of the locking
            outcome = exc
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_simultaneous_scans_count_once(event, coordinator):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("in-memory SQLite shares one connection cache between threads; use the file database")
    ticket = register(event, "Nguyễn Văn An", "+84905000001")
    results = _race(
        THREADS,
        lambda: services.check_in(
            event=event, registration=services.find_ticket(event=event, scanned=ticket.token), by=coordinator
        ),
    )
    assert [r for r in results if isinstance(r, Exception)] == []
    outcomes = sorted(r.already for r in results if isinstance(r, services.CheckInResult))
    assert outcomes == [False] + [True] * (THREADS - 1)
    assert AuditEntry.objects.filter(action="registration.check_in").count() == 1
    assert Registration.objects.get(pk=ticket.pk).checked_in_at is not None


@pytest.mark.django_db(transaction=True)
def test_simultaneous_sign_ups_never_overfill(event):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("in-memory SQLite shares one connection cache between threads; use the file database")
    numbers = iter(range(THREADS))
    lock = threading.Lock()

    def sign_up() -> object:
        with lock:
            number = next(numbers)
        return register(event, f"Người {number}", f"+8490500000{number}")

    results = _race(THREADS, sign_up)
    assert [r for r in results if isinstance(r, Exception)] == []
    statuses = sorted(r.status for r in results if isinstance(r, Registration))
    assert statuses == ["confirmed"] * event.capacity + ["waitlisted"] * (THREADS - event.capacity)
