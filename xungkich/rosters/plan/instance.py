"""The roster instance and solution formats (``xungkich-roster/1``), as plain data.

Pure: no ORM, no settings read. ``load_instance`` turns a parsed JSON document into typed,
validated dataclasses and raises ``InstanceError`` naming the offending field; ``dump_solution``
turns a ``Solution`` back into JSON-ready data. The solver, the greedy baseline, the checker and
the ``solve_roster`` command share these types.

Instance::

    {"format": "xungkich-roster/1", "name": "...", "start": "2026-12-07", "days": 28,
     "timezone": "Asia/Ho_Chi_Minh", "rules": {"max_shifts_per_day": 1, "min_rest_hours": 10},
     "service_points": [{"id": "P01", "name": "..."}],
     "shifts": [{"id": "...", "point": "P01", "start": ISO, "end": ISO, "demand": 3,
                 "skills": {"senior": 1}}],
     "volunteers": [{"id": "V0001", "name": "...", "unit": "U01", "points": ["P01"],
                     "skills": ["senior"], "max_shifts_per_week": 3,
                     "unavailable": [{"start": ISO, "end": ISO}]}],
     "current": [{"shift": "...", "volunteer": "..."}]}            # optional: the published roster

Weeks are the 7-day blocks counted from ``start`` in the instance's time zone; a shift belongs to
the day (and so the week) on which it starts, local time. ``rules`` may leave out either rule:
``max_shifts_per_day`` defaults to 1 and ``min_rest_hours`` to 0. A volunteer without
``max_shifts_per_week`` (or with null) has no weekly cap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils.translation import gettext as _

FORMAT = "xungkich-roster/1"
SENIOR, TRAINEE = "senior", "trainee"


class InstanceError(ValueError):
    """A roster instance that does not follow the format; the message names the field."""

    def __init__(self, field_name: str, message: str) -> None:
        self.field = field_name
        self.detail = message
        super().__init__(f"{field_name}: {message}")


@dataclass(frozen=True)
class Interval:
    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True)
class Rules:
    max_shifts_per_day: int = 1
    min_rest_hours: float = 0.0


@dataclass(frozen=True)
class ServicePoint:
    id: str
    name: str


@dataclass(frozen=True)
class ShiftSpec:
    id: str
    point: str
    start: dt.datetime
    end: dt.datetime
    demand: int
    skills: Mapping[str, int]
    day: int  # days after the instance start, local date of the shift's start
    week: int  # day // 7


@dataclass(frozen=True)
class VolunteerSpec:
    id: str
    name: str
    unit: str
    points: frozenset[str]
    skills: frozenset[str]
    max_shifts_per_week: int | None
    unavailable: tuple[Interval, ...]

    @property
    def is_senior(self) -> bool:
        return SENIOR in self.skills

    @property
    def is_trainee(self) -> bool:
        return TRAINEE in self.skills


@dataclass(frozen=True)
class Instance:
    name: str
    start: dt.date
    days: int
    timezone: ZoneInfo
    rules: Rules
    service_points: tuple[ServicePoint, ...]
    shifts: tuple[ShiftSpec, ...]
    volunteers: tuple[VolunteerSpec, ...]
    current: tuple[tuple[str, str], ...] = ()  # (shift id, volunteer id) of the published roster

    @property
    def weeks(self) -> int:
        return (self.days + 6) // 7


@dataclass(frozen=True)
class Unfilled:
    shift: str
    missing: int
    code: str
    reason: str


@dataclass(frozen=True)
class UnmetSkill:
    shift: str
    skill: str
    missing: int
    code: str
    reason: str


@dataclass
class Solution:
    assignments: list[tuple[str, str]]  # (shift id, volunteer id)
    unfilled: list[Unfilled] = field(default_factory=list)
    unmet_skills: list[UnmetSkill] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)


# --- loading ------------------------------------------------------------------------------------


def _require(data: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in data or data[key] is None:
        raise InstanceError(f"{where}{key}", _("this field is required"))
    return data[key]


def _text(data: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = _require(data, key, where) if required else data.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise InstanceError(f"{where}{key}", _("expected a non-empty text"))
    return value.strip()


def _int(data: Mapping[str, Any], key: str, where: str, *, minimum: int = 0) -> int:
    value = _require(data, key, where)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InstanceError(f"{where}{key}", _("expected a whole number"))
    if value < minimum:
        raise InstanceError(f"{where}{key}", _("must be at least %(minimum)s") % {"minimum": minimum})
    return value


def _list(data: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> list[Any]:
    value = _require(data, key, where) if required else data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise InstanceError(f"{where}{key}", _("expected a list"))
    return value


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InstanceError(where, _("expected an object"))
    return value


def _datetime(data: Mapping[str, Any], key: str, where: str) -> dt.datetime:
    value = _require(data, key, where)
    try:
        parsed = dt.datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise InstanceError(f"{where}{key}", _("expected an ISO 8601 date and time"))
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise InstanceError(f"{where}{key}", _("the time needs a UTC offset, e.g. +07:00"))
    return parsed


def _interval(data: Mapping[str, Any], where: str) -> tuple[dt.datetime, dt.datetime]:
    start = _datetime(data, "start", where)
    end = _datetime(data, "end", where)
    if end <= start:
        raise InstanceError(f"{where}end", _("must be after the start"))
    return start, end


def _unique(ids: Sequence[str], where: str) -> None:
    seen: set[str] = set()
    for index, item in enumerate(ids):
        if item in seen:
            raise InstanceError(f"{where}[{index}].id", _("duplicate id %(id)s") % {"id": item})
        seen.add(item)


def load_instance(data: Any) -> Instance:
    """Validate a parsed ``xungkich-roster/1`` document and return it as an ``Instance``."""
    doc = _mapping(data, "instance")
    fmt = doc.get("format")
    if fmt != FORMAT:
        raise InstanceError("format", _("expected %(format)s") % {"format": FORMAT})
    name = _text(doc, "name", "")
    try:
        start = dt.date.fromisoformat(_text(doc, "start", ""))
    except ValueError as exc:
        raise InstanceError("start", _("expected a date as YYYY-MM-DD")) from exc
    days = _int(doc, "days", "", minimum=1)
    tz_name = _text(doc, "timezone", "")
    try:
        tz = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InstanceError("timezone", _("unknown time zone %(tz)s") % {"tz": tz_name}) from exc

    rules_doc = _mapping(doc.get("rules") or {}, "rules")
    max_per_day = (
        _int(rules_doc, "max_shifts_per_day", "rules.", minimum=1)
        if (rules_doc.get("max_shifts_per_day") is not None)
        else 1
    )
    rest_value = rules_doc.get("min_rest_hours", 0) or 0
    if isinstance(rest_value, bool) or not isinstance(rest_value, int | float) or rest_value < 0:
        raise InstanceError("rules.min_rest_hours", _("expected a number of hours, 0 or more"))
    rules = Rules(max_shifts_per_day=max_per_day, min_rest_hours=float(rest_value))

    points: list[ServicePoint] = []
    for index, raw in enumerate(_list(doc, "service_points", "")):
        where = f"service_points[{index}]."
        item = _mapping(raw, where[:-1])
        points.append(
            ServicePoint(id=_text(item, "id", where), name=_text(item, "name", where, required=False))
        )
    _unique([p.id for p in points], "service_points")
    point_ids = {p.id for p in points}

    shifts: list[ShiftSpec] = []
    for index, raw in enumerate(_list(doc, "shifts", "")):
        where = f"shifts[{index}]."
        item = _mapping(raw, where[:-1])
        shift_id = _text(item, "id", where)
        point = _text(item, "point", where)
        if point not in point_ids:
            raise InstanceError(f"{where}point", _("unknown service point %(id)s") % {"id": point})
        s_start, s_end = _interval(item, where)
        demand = _int(item, "demand", where, minimum=0)
        skills_doc = _mapping(item.get("skills") or {}, f"{where}skills")
        skills: dict[str, int] = {}
        for skill, need in skills_doc.items():
            if isinstance(need, bool) or not isinstance(need, int) or need < 0:
                raise InstanceError(f"{where}skills.{skill}", _("expected a whole number, 0 or more"))
            if need > demand:
                raise InstanceError(f"{where}skills.{skill}", _("needs more people than the shift's demand"))
            if need:
                skills[str(skill)] = need
        day = (s_start.astimezone(tz).date() - start).days
        if not 0 <= day < days:
            raise InstanceError(f"{where}start", _("the shift starts outside the roster period"))
        shifts.append(
            ShiftSpec(
                id=shift_id,
                point=point,
                start=s_start,
                end=s_end,
                demand=demand,
                skills=skills,
                day=day,
                week=day // 7,
            )
        )
    _unique([s.id for s in shifts], "shifts")

    volunteers: list[VolunteerSpec] = []
    for index, raw in enumerate(_list(doc, "volunteers", "")):
        where = f"volunteers[{index}]."
        item = _mapping(raw, where[:-1])
        vol_points = _list(item, "points", where)
        for p_index, point in enumerate(vol_points):
            if point not in point_ids:
                raise InstanceError(
                    f"{where}points[{p_index}]", _("unknown service point %(id)s") % {"id": point}
                )
        vol_skills = _list(item, "skills", where, required=False)
        if not all(isinstance(s, str) for s in vol_skills):
            raise InstanceError(f"{where}skills", _("expected a list of texts"))
        if SENIOR in vol_skills and TRAINEE in vol_skills:
            raise InstanceError(f"{where}skills", _("a volunteer cannot be both senior and trainee"))
        cap: int | None = None
        if item.get("max_shifts_per_week") is not None:
            cap = _int(item, "max_shifts_per_week", where, minimum=0)
        unavailable: list[Interval] = []
        for u_index, u_raw in enumerate(_list(item, "unavailable", where, required=False)):
            u_where = f"{where}unavailable[{u_index}]."
            u_start, u_end = _interval(_mapping(u_raw, u_where[:-1]), u_where)
            unavailable.append(Interval(u_start, u_end))
        volunteers.append(
            VolunteerSpec(
                id=_text(item, "id", where),
                name=_text(item, "name", where, required=False),
                unit=_text(item, "unit", where, required=False),
                points=frozenset(vol_points),
                skills=frozenset(vol_skills),
                max_shifts_per_week=cap,
                unavailable=tuple(unavailable),
            )
        )
    _unique([v.id for v in volunteers], "volunteers")

    shift_ids = {s.id for s in shifts}
    volunteer_ids = {v.id for v in volunteers}
    current: list[tuple[str, str]] = []
    for index, raw in enumerate(_list(doc, "current", "", required=False)):
        where = f"current[{index}]."
        item = _mapping(raw, where[:-1])
        shift_id, volunteer_id = _text(item, "shift", where), _text(item, "volunteer", where)
        if shift_id not in shift_ids:
            raise InstanceError(f"{where}shift", _("unknown shift %(id)s") % {"id": shift_id})
        if volunteer_id not in volunteer_ids:
            raise InstanceError(f"{where}volunteer", _("unknown volunteer %(id)s") % {"id": volunteer_id})
        if (shift_id, volunteer_id) not in current:
            current.append((shift_id, volunteer_id))

    return Instance(
        name=name,
        start=start,
        days=days,
        timezone=tz,
        rules=rules,
        service_points=tuple(points),
        shifts=tuple(shifts),
        volunteers=tuple(volunteers),
        current=tuple(current),
    )


# --- dumping ------------------------------------------------------------------------------------


def dump_solution(solution: Solution) -> dict[str, Any]:
    """The solution as JSON-ready data (assignments sorted by shift, then volunteer)."""
    return {
        "format": "xungkich-roster-solution/1",
        "assignments": [{"shift": s, "volunteer": v} for s, v in sorted(solution.assignments)],
        "unfilled": [
            {"shift": u.shift, "missing": u.missing, "code": u.code, "reason": u.reason}
            for u in solution.unfilled
        ],
        "unmet_skills": [
            {"shift": u.shift, "skill": u.skill, "missing": u.missing, "code": u.code, "reason": u.reason}
            for u in solution.unmet_skills
        ],
        "stats": solution.stats,
    }


def load_assignments(data: Any) -> list[tuple[str, str]]:
    """The (shift, volunteer) pairs of a solution document (for the checker and tests)."""
    doc = _mapping(data, "solution")
    pairs: list[tuple[str, str]] = []
    for index, raw in enumerate(_list(doc, "assignments", "")):
        where = f"assignments[{index}]."
        item = _mapping(raw, where[:-1])
        pairs.append((_text(item, "shift", where), _text(item, "volunteer", where)))
    return pairs


# --- derived data shared by the greedy baseline and the solver ------------------------------------


def reachable(instance: Instance) -> list[list[int]]:
    """For each shift (by index), the volunteers (by index) who can reach its point and are not
    unavailable during it, in volunteer order. Caps and other shifts are not looked at."""
    by_point: dict[str, list[int]] = {}
    for s_index, shift in enumerate(instance.shifts):
        by_point.setdefault(shift.point, []).append(s_index)
    out: list[list[int]] = [[] for _ in instance.shifts]
    for v_index, volunteer in enumerate(instance.volunteers):
        blocks = volunteer.unavailable
        for point in volunteer.points:
            for s_index in by_point.get(point, ()):
                shift = instance.shifts[s_index]
                if any(b.start < shift.end and shift.start < b.end for b in blocks):
                    continue
                out[s_index].append(v_index)
    for people in out:
        people.sort()
    return out
