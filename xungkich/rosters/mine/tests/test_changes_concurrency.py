"""Two people never take the last place at once: N threads, each with its own connection, race."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from xungkich.core.errors import DomainError
from xungkich.people.models import Volunteer
from xungkich.rosters.mine import changes
from xungkich.rosters.models import Assignment
from xungkich.rosters.tests.mine_data import assign, make_roster, make_volunteer

THREADS = 8


def _race(
    volunteers: list[Volunteer], call: Callable[[Volunteer], Assignment]
) -> tuple[list[Assignment], list[str], list[Exception]]:
    """Start every call at the same moment; return (successes, error codes, other exceptions)."""
    barrier = threading.Barrier(len(volunteers))
    results: list[object] = []
    lock = threading.Lock()

    def worker(volunteer: Volunteer) -> None:
        try:
            barrier.wait(timeout=10)
            outcome: object = call(volunteer)
        except DomainError as exc:
            outcome = exc.code
        except Exception as exc:  # a database error would be a failure of the locking
            outcome = exc
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=worker, args=(v,)) for v in volunteers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    taken = [r for r in results if isinstance(r, Assignment)]
    codes = [r for r in results if isinstance(r, str)]
    crashes = [r for r in results if isinstance(r, Exception)]
    return taken, codes, crashes


def _skip_if_shared_memory_sqlite():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "SQLite in-memory test database: threads share one cache with table locks "
            "(SQLITE_LOCKED is not retried); use a file database or PostgreSQL for this test"
        )


@pytest.mark.django_db(transaction=True)
def test_only_one_of_many_takes_the_last_place(units):
    _skip_if_shared_memory_sqlite()
    roster = make_roster(units["hoian"], demand=2)
    shift = roster.shifts()[0]
    assign(shift, make_volunteer(units["branch"]))
    racers = [make_volunteer(units["branch"]) for _ in range(THREADS)]

    taken, codes, crashes = _race(
        racers, lambda v: changes.take_open_place(by=None, volunteer=v, shift=shift)
    )

    assert crashes == []
    assert len(taken) == 1
    assert codes == ["full"] * (THREADS - 1)
    assert Assignment.objects.filter(shift=shift, status__in=["planned", "confirmed", "offered"]).count() == 2


@pytest.mark.django_db(transaction=True)
def test_only_one_takes_over_an_offer(units):
    _skip_if_shared_memory_sqlite()
    roster = make_roster(units["hoian"], demand=1)
    shift = roster.shifts()[0]
    offered = assign(shift, make_volunteer(units["branch"]), "offered")
    racers = [make_volunteer(units["branch"]) for _ in range(THREADS)]

    taken, codes, crashes = _race(racers, lambda v: changes.take_shift(by=None, volunteer=v, shift=shift))

    assert crashes == []
    assert len(taken) == 1
    assert codes == ["full"] * (THREADS - 1)
    offered.refresh_from_db()
    assert offered.status == "cant_come"
    assert Assignment.objects.filter(shift=shift, status__in=["planned", "confirmed", "offered"]).count() == 1
