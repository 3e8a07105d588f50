"""Racing check-ins and sweeps: each thread has its own connection (run on PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections
from freezegun import freeze_time

from xungkich.core.errors import DomainError
from xungkich.core.models import AuditEntry
from xungkich.people import services as people_services
from xungkich.people.models import Volunteer
from xungkich.rosters.attendance import services as attendance
from xungkich.rosters.models import Assignment
from xungkich.rosters.tests.test_attendance_data import DAY, assign, local, make_point, make_shift

THREADS = 6


def _skip_if_shared_memory_sqlite() -> None:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
        pytest.skip(
            "SQLite in-memory test database: threads share one cache with table locks; "
            "run this on PostgreSQL (DATABASE_URL=postgres://…)"
        )


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
def test_only_one_of_many_simultaneous_check_ins_counts(units, volunteer):
    _skip_if_shared_memory_sqlite()
    item = assign(make_shift(make_point(units["hoian"])), volunteer)
    with freeze_time(local(DAY, 7, 45)):
        results = _race(THREADS, lambda: attendance.check_in(assignment=item, by=None))
    assert [r for r in results if isinstance(r, Exception)] == []
    assert len([r for r in results if isinstance(r, Assignment)]) == 1
    assert sorted(r for r in results if isinstance(r, str)) == ["checkin_already"] * (THREADS - 1)
    item.refresh_from_db()
    assert item.check_in_at == local(DAY, 7, 45)
    assert item.late_minutes == 15
    assert AuditEntry.objects.filter(action="assignment.check_in").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_mark_each_no_show_once(units):
    _skip_if_shared_memory_sqlite()
    shift = make_shift(make_point(units["hoian"]))
    for number in range(3):
        people_services.create_volunteer(
            by=None,
            data={"full_name": f"Người {number}", "unit": units["branch"], "phone": f"090500000{number}"},
        )
    for person in Volunteer.objects.all():
        assign(shift, person)
    results = _race(2, lambda: attendance.mark_no_shows(now=local(DAY, 12, 0)))
    assert [r for r in results if isinstance(r, Exception)] == []
    sweeps = [r for r in results if isinstance(r, attendance.SweepResult)]
    assert sum(s.no_shows for s in sweeps) == 3
    assert Assignment.objects.filter(no_show=True).count() == 3
    assert AuditEntry.objects.filter(action="assignment.no_show").count() == 3
