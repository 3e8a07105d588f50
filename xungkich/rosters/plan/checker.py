"""An independent check of every hard rule of a roster (instance + assignments).

Used by the tests and the benchmark to judge the solver and the greedy baseline by what they
produce, not by what they claim. It does not import either of them and recomputes days and weeks
from the instance's start and time zone itself.

Rules: known shift and volunteer, no duplicate assignment, a point the volunteer can reach, not
while unavailable, no overlapping shifts, at most ``max_shifts_per_day`` a day, at least
``min_rest_hours`` between two shifts, the weekly cap, never above a shift's headcount, and a
trainee only on a shift that also has a senior.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from xungkich.rosters.plan.instance import Instance, ShiftSpec

RULES = (
    "unknown_shift",
    "unknown_volunteer",
    "duplicate",
    "unreachable_point",
    "unavailable",
    "overlap",
    "min_rest",
    "max_per_day",
    "max_per_week",
    "headcount",
    "trainee_without_senior",
)


@dataclass(frozen=True)
class Violation:
    rule: str
    shift: str
    volunteer: str
    detail: str = ""


def check(instance: Instance, assignments: Iterable[tuple[str, str]]) -> list[Violation]:
    """Every hard-rule violation of the roster; an empty list means the roster is valid."""
    shifts = {s.id: s for s in instance.shifts}
    volunteers = {v.id: v for v in instance.volunteers}
    tz = instance.timezone
    rest = dt.timedelta(hours=instance.rules.min_rest_hours)
    out: list[Violation] = []

    def local_day(shift: ShiftSpec) -> int:
        return (shift.start.astimezone(tz).date() - instance.start).days

    seen: set[tuple[str, str]] = set()
    by_volunteer: dict[str, list[ShiftSpec]] = defaultdict(list)
    by_shift: dict[str, list[str]] = defaultdict(list)
    for shift_id, volunteer_id in assignments:
        shift, volunteer = shifts.get(shift_id), volunteers.get(volunteer_id)
        if shift is None:
            out.append(Violation("unknown_shift", shift_id, volunteer_id))
            continue
        if volunteer is None:
            out.append(Violation("unknown_volunteer", shift_id, volunteer_id))
            continue
        if (shift_id, volunteer_id) in seen:
            out.append(Violation("duplicate", shift_id, volunteer_id))
            continue
        seen.add((shift_id, volunteer_id))
        by_volunteer[volunteer_id].append(shift)
        by_shift[shift_id].append(volunteer_id)
        if shift.point not in volunteer.points:
            out.append(Violation("unreachable_point", shift_id, volunteer_id, shift.point))
        for block in volunteer.unavailable:
            if block.start < shift.end and shift.start < block.end:
                out.append(
                    Violation(
                        "unavailable",
                        shift_id,
                        volunteer_id,
                        f"{block.start.isoformat()}/{block.end.isoformat()}",
                    )
                )
                break

    for volunteer_id, items in by_volunteer.items():
        volunteer = volunteers[volunteer_id]
        items.sort(key=lambda s: (s.start, s.end, s.id))
        for i, first in enumerate(items):
            for second in items[i + 1 :]:
                if second.start >= first.end + rest and second.start >= first.end:
                    break  # sorted by start: every later shift is far enough from this one
                if second.start < first.end:
                    out.append(Violation("overlap", second.id, volunteer_id, first.id))
                else:
                    out.append(Violation("min_rest", second.id, volunteer_id, first.id))
        per_day = Counter(local_day(s) for s in items)
        for day, count in sorted(per_day.items()):
            if count > instance.rules.max_shifts_per_day:
                shift_id = next(s.id for s in items if local_day(s) == day)
                out.append(Violation("max_per_day", shift_id, volunteer_id, f"day {day}: {count}"))
        if volunteer.max_shifts_per_week is not None:
            per_week = Counter(local_day(s) // 7 for s in items)
            for week, count in sorted(per_week.items()):
                if count > volunteer.max_shifts_per_week:
                    shift_id = next(s.id for s in items if local_day(s) // 7 == week)
                    out.append(Violation("max_per_week", shift_id, volunteer_id, f"week {week}: {count}"))

    for shift_id, people in by_shift.items():
        shift = shifts[shift_id]
        if len(people) > shift.demand:
            out.append(Violation("headcount", shift_id, "", f"{len(people)} > {shift.demand}"))
        has_senior = any("senior" in volunteers[v].skills for v in people)
        if not has_senior:
            for v in people:
                if "trainee" in volunteers[v].skills:
                    out.append(Violation("trainee_without_senior", shift_id, v))
    return out
