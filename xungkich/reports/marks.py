"""Marking many keys at once, besides ``rollups.mark_changed`` for one (publishing a roster period
marks every day and point of its shifts). The local day of a moment is ``core.days.local_day``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from xungkich.reports.models import PendingChange
from xungkich.reports.sources import SOURCES

Mark = tuple[dt.date, int | None, int | None]  # (day, point_id or None, unit_id when no point)


def mark_many(*, source: str, keys: Iterable[Mark]) -> int:
    """``rollups.mark_changed`` for each distinct key, in one INSERT; returns the rows written."""
    name = SOURCES[source].name
    rows = {(day, point_id, None if point_id else unit_id) for day, point_id, unit_id in keys}
    if any(point_id is None and unit_id is None for _day, point_id, unit_id in rows):
        raise ValueError("mark_many needs a point or a unit for every key")
    PendingChange.objects.bulk_create(
        [PendingChange(source=name, day=day, point_id=p, unit_id=u) for day, p, u in rows]
    )
    return len(rows)
