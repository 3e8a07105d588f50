"""Change announcements (core/changes.py): listeners get the keys, in order; none means nothing happens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest

from xungkich.core import changes
from xungkich.reports import announcements

DAY = dt.date(2026, 12, 1)


@pytest.fixture
def no_listeners(monkeypatch: pytest.MonkeyPatch) -> list[changes.Listener]:
    """The announcements without the reports' listener (as if reports were not installed)."""
    listeners: list[changes.Listener] = []
    monkeypatch.setattr(changes, "_listeners", listeners)
    return listeners


def test_the_reports_listen_once_the_apps_are_ready():
    assert changes._listeners.count(announcements.record) == 1


def test_an_announcement_without_listeners_does_nothing_and_reads_nothing(no_listeners):
    def keys():
        raise AssertionError("the keys are not read when nobody listens")
        yield  # pragma: no cover

    changes.announce(source=changes.HELP, keys=keys())
    changes.announce_one(source=changes.HELP, day=DAY, point_id=1)


def test_a_listener_receives_the_keys(no_listeners):
    heard: list[tuple[str, list[changes.Key]]] = []

    def listener(*, source: str, keys: Sequence[changes.Key]) -> None:
        heard.append((source, list(keys)))

    changes.listen(listener)
    changes.listen(listener)  # registering twice still calls it once
    changes.announce(source=changes.ROSTER, keys=iter([(DAY, 7, None), (DAY, 8, None)]))
    changes.announce_one(source=changes.CAMPAIGNS, day=DAY, unit_id=3)
    changes.announce(source=changes.HELP, keys=[])  # nothing changed: not announced
    assert heard == [
        (changes.ROSTER, [(DAY, 7, None), (DAY, 8, None)]),
        (changes.CAMPAIGNS, [(DAY, None, 3)]),
    ]
