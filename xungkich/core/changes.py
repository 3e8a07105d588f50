"""Change announcements: a service that records something says which figures it changed.

The domain apps (rosters, help desk, campaigns) record; the reports keep daily figures of those
records. A service announces, inside the transaction that writes its record, the keys of the
figures it changed — (local day, service point, unit when there is no point) — and the listeners
registered here act on them in the same transaction (reports writes its pending-change marks, so
a mark commits with its record or not at all). The domain thus never imports reports: the
dependency runs from reports, which listens, to core.

Deliberately small and synchronous: a plain list of listeners, called in order, in the caller's
transaction, their exceptions propagating to the caller. Not Django signals: a listener here is a
typed keyword call (checked by mypy), held by a strong reference (a signal's weak reference lets a
closure vanish unnoticed), and there is no sender to dispatch on. With no listener registered (the
reports app not installed) an announcement does nothing, and reads nothing: ``keys`` given as a
query is not evaluated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Protocol

#: The sources of figures, as the domain names what it changed (``reports/sources.py`` maps each
#: to the class that recomputes its figures).
ROSTER = "roster"  # shifts of published periods, and attendance at them
HELP = "help"  # help sessions and their follow-up calls
RATINGS = "ratings"  # citizens' ratings of their tickets
CAMPAIGNS = "campaigns"  # campaign activities and events

#: (local day, service point id or None, unit id — needed when there is no point).
Key = tuple[dt.date, int | None, int | None]


class Listener(Protocol):
    def __call__(self, *, source: str, keys: Sequence[Key]) -> None: ...


_listeners: list[Listener] = []


def listen(listener: Listener) -> None:
    """Call ``listener`` on every announcement from now on (once, however often registered)."""
    if listener not in _listeners:
        _listeners.append(listener)


def announce(*, source: str, keys: Iterable[Key]) -> None:
    """Records of ``source`` changed the figures of ``keys``; call it inside the record's transaction."""
    if not _listeners:
        return
    keys = list(keys)
    if not keys:
        return
    for listener in _listeners:
        listener(source=source, keys=keys)


def announce_one(
    *, source: str, day: dt.date, point_id: int | None = None, unit_id: int | None = None
) -> None:
    """``announce`` for one record: at (day, point), or (day, unit) when it has no point."""
    announce(source=source, keys=[(day, point_id, unit_id)])
