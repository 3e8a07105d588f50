"""Racing ticket takers and desks: threads with their own connections, and two app processes.

Run on PostgreSQL (DATABASE_URL=postgres://…) and on SQLite (a file database, IMMEDIATE
transactions): both must give distinct consecutive numbers and never serve a ticket twice.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection, connections

from xungkich.core.errors import DomainError
from xungkich.tickets import services
from xungkich.tickets.models import Need, Ticket
from xungkich.tickets.tests.helpers import make_point

ROOT = Path(__file__).resolve().parents[3]


def _skip_if_shared_memory_sqlite() -> None:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
        pytest.skip(
            "SQLite in-memory test database: threads share one connection cache; use a file or PostgreSQL"
        )


def _race(count: int, call: Callable[[int], object]) -> list[object]:
    barrier = threading.Barrier(count)
    results: list[object] = []
    lock = threading.Lock()

    def worker(index: int) -> None:
        try:
            barrier.wait(timeout=20)
            outcome: object = call(index)
        except DomainError as exc:
            outcome = exc.code
        except Exception as exc:  # a database error would be a failure of the locking
            outcome = exc
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_takers_get_fifty_consecutive_numbers(units):
    _skip_if_shared_memory_sqlite()
    point = make_point(units["hoian"])
    results = _race(50, lambda i: services.take_ticket(point=point, need=Need.ACCOUNT).ticket.number)
    assert [r for r in results if not isinstance(r, int)] == []
    assert sorted(results) == list(range(1, 51))
    assert Ticket.objects.count() == 50
    assert sorted(Ticket.objects.values_list("number", flat=True)) == list(range(1, 51))


@pytest.mark.django_db(transaction=True)
def test_ten_desks_calling_at_once_never_share_a_ticket(units):
    _skip_if_shared_memory_sqlite()
    point = make_point(units["hoian"])
    for _ in range(12):
        services.take_ticket(point=point, need=Need.OTHER)
    results = _race(10, lambda i: services.call_next_ticket(point=point, desk=f"Bàn {i + 1}", by=None).pk)
    assert [r for r in results if not isinstance(r, int)] == []
    assert len(set(results)) == 10
    called = Ticket.objects.filter(status=Ticket.Status.CALLED)
    assert called.count() == 10
    assert len(set(called.values_list("desk", flat=True))) == 10
    # The first ten numbers went out, the last two still wait.
    assert sorted(Ticket.objects.filter(status=Ticket.Status.WAITING).values_list("number", flat=True)) == [
        11,
        12,
    ]


@pytest.mark.django_db(transaction=True)
def test_more_desks_than_tickets_some_find_the_queue_empty(units):
    _skip_if_shared_memory_sqlite()
    point = make_point(units["hoian"])
    for _ in range(3):
        services.take_ticket(point=point, need=Need.OTHER)
    results = _race(8, lambda i: services.call_next_ticket(point=point, desk=f"Bàn {i + 1}", by=None).pk)
    assert [r for r in results if isinstance(r, Exception)] == []
    assert len({r for r in results if isinstance(r, int)}) == 3
    assert sorted(r for r in results if isinstance(r, str)) == ["queue_empty"] * 5


def _database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings.get("USER") or "postgres"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{settings['HOST']}:{settings['PORT'] or 5432}/{settings['NAME']}"


def _processes(point_id: int, runs: list[list[str]]) -> list[dict[str, list[int]]]:
    env = {**os.environ, "DATABASE_URL": _database_url(), "TASKS_BACKEND": "immediate"}
    # Both start at the same moment, once their interpreters and Django are loaded.
    start_at = str(time.time() + 4)
    command = [sys.executable, "manage.py", "queue_load", "--point", str(point_id), "--start-at", start_at]
    procs = [
        subprocess.Popen(
            command + args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for args in runs
    ]
    outputs = []
    for proc in procs:
        out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err
        outputs.append(json.loads(out.strip().splitlines()[-1]))
    return outputs


@pytest.mark.django_db(transaction=True)
def test_two_app_processes_take_and_call_without_duplicates(units):
    point = make_point(units["hoian"])
    connections.close_all()  # the subprocesses write; this process only reads afterwards
    taken = _processes(point.pk, [["--take", "60"], ["--take", "60"]])
    numbers = taken[0]["taken"] + taken[1]["taken"]
    assert sorted(numbers) == list(range(1, 121))
    assert all(a < b for a, b in zip(taken[0]["taken"], taken[0]["taken"][1:], strict=False))
    called = _processes(
        point.pk, [["--call", "120", "--desk", "Bàn 1"], ["--call", "120", "--desk", "Bàn 2"]]
    )
    ids = called[0]["called"] + called[1]["called"]
    assert len(ids) == len(set(ids)) == 120
    assert Ticket.objects.filter(status=Ticket.Status.DONE).count() == 120
    by_desk = {desk: len(called[i]["called"]) for i, desk in enumerate(("Bàn 1", "Bàn 2"))}
    print("calls per process:", by_desk, "first numbers of process 1:", taken[0]["taken"][:8])
    for desk, count in by_desk.items():
        assert Ticket.objects.filter(desk=desk).count() == count
