"""Pending figure changes: recording help writes one row; readers and the schedule drain them.

The drain must never lose a change, even when sessions are recorded while it runs (threads with
their own connections, on PostgreSQL and on the SQLite file database).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from xungkich.core import changes
from xungkich.helpdesk import services as helpdesk
from xungkich.helpdesk.models import PlaceKind
from xungkich.people.models import OrgUnit, User
from xungkich.places.models import ServicePoint
from xungkich.reports import figures as f
from xungkich.reports import rollups
from xungkich.reports.models import DailyFigure, PendingChange


def _record(by: User, point: ServicePoint | None, need: str = "account") -> None:
    data = helpdesk.SessionInput(need=need, outcome="done", point=point)
    if point is None:
        data = dataclasses.replace(data, place_kind=PlaceKind.DOOR, place_text="Tổ 3, khối Sơn Phong")
    helpdesk.create_help_session(by=by, data=data)


@pytest.fixture
def point(units: dict[str, OrgUnit]) -> ServicePoint:
    return ServicePoint.objects.create(name="Trung tâm Hành chính công Hội An", unit=units["hoian"])


@pytest.mark.django_db
def test_recording_help_marks_a_change_instead_of_refreshing(units, coordinator, point):
    today = timezone.localdate()
    for need in ("account", "app", "account"):
        _record(coordinator, point, need)
    _record(coordinator, None)  # away from a point: the change is the coordinator's unit's
    assert list(PendingChange.objects.values_list("source", "day", "point_id", "unit_id")) == [
        ("help", today, point.pk, None),
        ("help", today, point.pk, None),
        ("help", today, point.pk, None),
        ("help", today, None, units["hoian"].pk),
    ]
    assert not DailyFigure.objects.filter(source="help").exists()

    assert rollups.drain() == 2  # two keys: the point's day and the unit's day, each once
    assert not PendingChange.objects.exists()
    sessions = DailyFigure.objects.filter(source="help", metric=f.SESSIONS, key="")
    assert set(sessions.values_list("point_id", "value")) == {(point.pk, 3), (None, 1)}
    assert rollups.drain() == 0


@pytest.mark.django_db
def test_reading_figures_drains_first(units, coordinator, point, django_assert_num_queries):
    today = timezone.localdate()
    before = rollups.figures(unit=units["city"], start=today, end=today)
    _record(coordinator, point)
    after = rollups.figures(unit=units["city"], start=today, end=today)
    assert after.total(f.SESSIONS) == before.total(f.SESSIONS) + 1
    assert after == rollups.raw_figures(unit=units["city"], start=today, end=today)
    # Nothing pending: one look for shifts ended since the last read, one at the pending table,
    # then the rollup queries.
    with django_assert_num_queries(5):
        rollups.figures(unit=units["city"], start=today, end=today)


@pytest.mark.django_db
def test_a_rejected_session_leaves_no_pending_change(units, coordinator, point):
    from xungkich.core.errors import DomainError

    with pytest.raises(DomainError):
        helpdesk.create_help_session(
            by=coordinator,
            data=helpdesk.SessionInput(need="account", outcome="done", point=point, notes="mk: hoa1975"),
        )
    assert not PendingChange.objects.exists()


@pytest.mark.django_db
def test_the_scheduled_refresh_drains_pending_changes(units, coordinator, point):
    _record(coordinator, point)
    call_command("refresh_rollups", stdout=io.StringIO())
    assert not PendingChange.objects.exists()
    assert DailyFigure.objects.filter(source="help", metric=f.SESSIONS, point=point).get().value == 1


@pytest.mark.django_db
def test_a_change_of_a_source_that_no_longer_exists_is_dropped(units):
    PendingChange.objects.create(source="retired", day=dt.date(2026, 12, 1), unit_id=units["city"].pk)
    assert rollups.drain() == 0
    assert not PendingChange.objects.exists()


def test_mark_changed_needs_a_point_or_a_unit():
    with pytest.raises(ValueError, match="point or a unit"):
        rollups.mark_changed(source="help", day=dt.date(2026, 12, 1))


@pytest.mark.django_db(transaction=True)
def test_no_change_is_lost_while_drains_run_beside_the_writers(units, coordinator, point):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("SQLite in-memory test database: threads share one connection; use a file or PostgreSQL")
    today = timezone.localdate()
    writers, per_writer = 4, 10
    stop = threading.Event()
    errors: list[BaseException] = []

    def write(index: int) -> None:
        try:
            for number in range(per_writer):
                _record(coordinator, point, "app" if (index + number) % 2 else "account")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    def drain_until_stopped() -> None:
        try:
            while not stop.is_set():
                rollups.drain()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    drainer = threading.Thread(target=drain_until_stopped)
    drainer.start()
    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    stop.set()
    drainer.join(timeout=120)
    assert errors == []

    rollups.drain()
    figures = rollups.figures(unit=units["city"], start=today, end=today)
    assert figures.total(f.SESSIONS) == writers * per_writer
    assert figures == rollups.raw_figures(unit=units["city"], start=today, end=today)


@pytest.mark.django_db
def test_announcements_of_each_source_become_pending_changes(units, point, django_assert_num_queries):
    """The reports' listener writes what the domain announces: one key in one INSERT, several in one."""
    day = dt.date(2026, 12, 1)
    with django_assert_num_queries(1):
        changes.announce_one(source=changes.RATINGS, day=day, point_id=point.pk, unit_id=units["hoian"].pk)
    with django_assert_num_queries(1):
        changes.announce(
            source=changes.CAMPAIGNS,
            keys=[
                (day, None, units["hoian"].pk),
                (day, None, units["hoian"].pk),
                (day, None, units["other"].pk),
            ],
        )
    changes.announce_one(source=changes.ROSTER, day=day, point_id=point.pk)
    changes.announce(source=changes.HELP, keys=[(day, point.pk, None), (day, None, units["hoian"].pk)])
    assert set(PendingChange.objects.values_list("source", "day", "point_id", "unit_id")) == {
        ("ratings", day, point.pk, None),
        ("campaigns", day, None, units["hoian"].pk),
        ("campaigns", day, None, units["other"].pk),
        ("roster", day, point.pk, None),
        ("help", day, point.pk, None),
        ("help", day, None, units["hoian"].pk),
    }
