"""The reports' listener to the domain's change announcements (``core.changes``).

Registered in ``ReportsConfig.ready``. It writes the pending-change marks that ``rollups.drain``
refreshes, in the announcing service's transaction: one key (a help session, a check-in — the
busiest path) through ``rollups.mark_changed``'s single INSERT, several in one bulk INSERT.
"""

from __future__ import annotations

from collections.abc import Sequence

from xungkich.core.changes import Key
from xungkich.reports import marks, rollups


def record(*, source: str, keys: Sequence[Key]) -> None:
    if len(keys) == 1:
        ((day, point_id, unit_id),) = keys
        rollups.mark_changed(source=source, day=day, point_id=point_id, unit_id=unit_id)
    else:
        marks.mark_many(source=source, keys=keys)
