"""Between the database and the solver: a period as a ``xungkich-roster/1`` instance, a solution back
into assignments, and the read side of the planning pages (the calendar grid, who can fill a place).

The instance is the part of the period that is still to plan:

- every assignment the solver may replace ("replaceable": made by the solver, still only planned,
  not checked in, and, on a published period, on a shift that has not started) is left out: the
  solver plans those places again. On a published period they are the ``current`` roster, so a
  re-plan keeps as many of them as it can;
- every other assignment holding a place (made by hand, taken by a volunteer, confirmed, offered
  for swap, in the past) is fixed: the shift's ``demand`` and ``skills`` count only the places
  still open, and the person is unavailable for the time of that shift widened by the minimum rest
  (and for the whole day or week when it already has as many shifts as the rules allow). Their
  shifts in other periods count the same way. The weekly cap of a person with fixed shifts is the
  smallest one left in any week, which is safe, if sometimes stricter than needed;
- a "can't come" keeps the person off that shift.

Volunteers are the active volunteers of the period's unit and every unit below it, ``"V<pk>"``;
service points ``"P<pk>"``; shifts keep their ``code``. Unavailability is expanded into concrete
intervals (weekly entries on every matching day of the period, one-off entries clipped to it), in
the time zone of the settings. Loading a period costs a fixed number of queries, whatever its size.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xungkich.core.audit import log_action
from xungkich.core.errors import DomainError
from xungkich.lib.vietnamese import fold
from xungkich.people.models import OrgUnit, User, Volunteer
from xungkich.places.models import ClosedDay, ServicePoint
from xungkich.rosters.models import Assignment, RosterPeriod, RosterProfile, Shift, Unavailability
from xungkich.rosters.plan import checker
from xungkich.rosters.plan.instance import FORMAT, InstanceError, load_assignments, load_instance
from xungkich.rosters.rules import HOLDING, SENIOR, TRAINEE, Problem, unavailable_during

DEFAULT_CAP = RosterProfile._meta.get_field("max_shifts_per_week").default
VOLUNTEER_ID = re.compile(r"^V(\d+)$")


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def volunteer_id(pk: int) -> str:
    return f"V{pk}"


def point_id(pk: int) -> str:
    return f"P{pk}"


def unit_id(pk: int) -> str:
    return f"U{pk}"


# --- Loading a period ---------------------------------------------------------------------------


@dataclass
class PeriodData:
    """Everything the instance needs, loaded with a fixed number of queries."""

    period: RosterPeriod
    now: dt.datetime
    window: tuple[dt.datetime, dt.datetime]  # local midnight of the first day .. after the last
    shifts: list[Shift]
    points: list[ServicePoint]
    volunteers: list[Volunteer]
    skills: dict[int, set[str]]
    listed_points: dict[int, set[int]]  # volunteer pk -> points listed in the roster profile
    caps: dict[int, int]
    unavailable: dict[int, list[Unavailability]]
    assignments: list[Assignment]  # of this period, every status
    elsewhere: list[Assignment]  # holding places on shifts of other periods near the window

    @property
    def published(self) -> bool:
        return self.period.status == RosterPeriod.Status.PUBLISHED or (
            self.period.status == RosterPeriod.Status.SOLVING
            and self.period.solver_progress.get("previous_status") == RosterPeriod.Status.PUBLISHED
        )

    def frozen(self, shift: Shift) -> bool:
        """A published shift that has started is history: it is not planned again."""
        return self.published and shift.start <= self.now

    def replaceable(self, assignment: Assignment) -> bool:
        return (
            assignment.source == Assignment.Source.SOLVER
            and assignment.status == Assignment.Status.PLANNED
            and assignment.check_in_at is None
            and not assignment.no_show
            and not self.frozen(assignment.shift)
        )


def period_window(period: RosterPeriod) -> tuple[dt.datetime, dt.datetime]:
    tz = _tz()
    start = dt.datetime.combine(period.start, dt.time(), tzinfo=tz)
    return start, start + dt.timedelta(days=period.days)


def load_period(period: RosterPeriod, *, now: dt.datetime | None = None) -> PeriodData:
    unit = period.unit
    window = period_window(period)
    margin = dt.timedelta(hours=period.min_rest_hours, days=1)
    in_unit = {"volunteer__unit__path__startswith": unit.path, "volunteer__is_active": True}

    shifts = list(period.shifts.select_related("point__unit").order_by("start", "point_id", "code"))
    shift_by_pk = {s.pk: s for s in shifts}
    points = {s.point_id: s.point for s in shifts}
    for point in ServicePoint.objects.filter(unit__path__startswith=unit.path, is_active=True).select_related(
        "unit"
    ):
        points.setdefault(point.pk, point)
    volunteers = list(
        Volunteer.objects.filter(unit__path__startswith=unit.path, is_active=True)
        .select_related("unit", "roster_profile")
        .order_by("pk")
    )
    skills: dict[int, set[str]] = defaultdict(set)
    for vol_pk, code in Volunteer.skills.through.objects.filter(**in_unit).values_list(
        "volunteer_id", "skill__code"
    ):
        skills[vol_pk].add(code)
    listed: dict[int, set[int]] = defaultdict(set)
    for vol_pk, point_pk in RosterProfile.points.through.objects.filter(
        rosterprofile__volunteer__unit__path__startswith=unit.path,
        rosterprofile__volunteer__is_active=True,
    ).values_list("rosterprofile__volunteer_id", "servicepoint_id"):
        listed[vol_pk].add(point_pk)
    caps = {}
    for volunteer in volunteers:
        profile = getattr(volunteer, "roster_profile", None)
        caps[volunteer.pk] = profile.max_shifts_per_week if profile is not None else DEFAULT_CAP
    unavailable: dict[int, list[Unavailability]] = defaultdict(list)
    for item in Unavailability.objects.filter(**in_unit).filter(
        Q(kind=Unavailability.Kind.WEEKLY)
        | Q(kind=Unavailability.Kind.ONE_OFF, start__lt=window[1] + margin, end__gt=window[0] - margin)
    ):
        unavailable[item.volunteer_id].append(item)
    assignments = list(Assignment.objects.filter(shift__period=period).order_by("pk"))
    for assignment in assignments:
        assignment.shift = shift_by_pk[assignment.shift_id]
    elsewhere = list(
        Assignment.objects.filter(
            **in_unit,
            status__in=HOLDING,
            shift__start__lt=window[1] + margin,
            shift__end__gt=window[0] - margin,
        )
        .exclude(shift__period=period)
        .select_related("shift")
        .order_by("pk")
    )
    return PeriodData(
        period=period,
        now=now or timezone.now(),
        window=window,
        shifts=shifts,
        points=sorted(points.values(), key=lambda p: p.pk),
        volunteers=volunteers,
        skills=dict(skills),
        listed_points=dict(listed),
        caps=caps,
        unavailable=dict(unavailable),
        assignments=assignments,
        elsewhere=elsewhere,
    )


# --- Building the instance ----------------------------------------------------------------------


def _merge(intervals: Iterable[tuple[dt.datetime, dt.datetime]]) -> list[tuple[dt.datetime, dt.datetime]]:
    out: list[tuple[dt.datetime, dt.datetime]] = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _day_index(data: PeriodData, moment: dt.datetime) -> int:
    return (moment.astimezone(_tz()).date() - data.period.start).days


def _expand_unavailable(
    data: PeriodData, items: list[Unavailability]
) -> list[tuple[dt.datetime, dt.datetime]]:
    tz = _tz()
    period = data.period
    low, high = data.window[0] - dt.timedelta(days=1), data.window[1] + dt.timedelta(days=1)
    out: list[tuple[dt.datetime, dt.datetime]] = []
    for item in items:
        if item.kind == Unavailability.Kind.ONE_OFF:
            if item.start is not None and item.end is not None:
                out.append((max(item.start, low), min(item.end, high)))
            continue
        if item.weekday is None or item.start_time is None or item.end_time is None:
            continue
        for offset in range(period.days):
            day = period.start + dt.timedelta(days=offset)
            if day.isoweekday() == item.weekday:
                out.append(
                    (
                        dt.datetime.combine(day, item.start_time, tzinfo=tz),
                        dt.datetime.combine(day, item.end_time, tzinfo=tz),
                    )
                )
    return out


@dataclass
class Plan:
    """The instance of a period and what it was made from (for applying a solution)."""

    data: PeriodData
    instance: dict[str, Any]
    replaceable: list[Assignment]
    fixed: list[Assignment]  # holding places on this period, kept as they are
    fixed_per_day: Counter[tuple[int, int]] = field(default_factory=Counter)  # (volunteer, day)
    shift_codes: dict[str, Shift] = field(default_factory=dict)
    volunteers: dict[str, Volunteer] = field(default_factory=dict)


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(_tz()).isoformat()


def plan_period(period: RosterPeriod, *, now: dt.datetime | None = None) -> Plan:
    data = load_period(period, now=now)
    tz = _tz()
    max_per_day = period.max_shifts_per_day
    rest = dt.timedelta(hours=period.min_rest_hours)
    point_ids = {p.pk for p in data.points}

    replaceable = [a for a in data.assignments if a.status in HOLDING and data.replaceable(a)]
    fixed = [a for a in data.assignments if a.status in HOLDING and not data.replaceable(a)]
    away: dict[int, list[Shift]] = defaultdict(list)  # volunteer pk -> shifts they can't come to
    for assignment in data.assignments:
        if assignment.status not in HOLDING:
            away[assignment.volunteer_id].append(assignment.shift)

    holders: dict[int, list[int]] = defaultdict(list)  # shift pk -> volunteer pks of fixed places
    busy: dict[int, list[Shift]] = defaultdict(list)  # volunteer pk -> shifts they keep
    for assignment in fixed:
        holders[assignment.shift_id].append(assignment.volunteer_id)
        busy[assignment.volunteer_id].append(assignment.shift)
    for assignment in data.elsewhere:
        busy[assignment.volunteer_id].append(assignment.shift)

    shifts_doc = []
    for shift in data.shifts:
        kept = holders.get(shift.pk, [])
        demand = 0 if data.frozen(shift) else max(0, shift.demand - len(kept))
        needs: dict[str, int] = {}
        if demand:
            for skill, need in sorted((shift.skill_needs or {}).items()):
                have = sum(1 for v in kept if skill in data.skills.get(v, ()))
                left = min(int(need) - have, demand)
                if left > 0:
                    needs[skill] = left
            kept_skills = [data.skills.get(v, set()) for v in kept]
            if any(TRAINEE in s and SENIOR not in s for s in kept_skills) and not any(
                SENIOR in s for s in kept_skills
            ):
                needs[SENIOR] = max(needs.get(SENIOR, 0), 1)
        shifts_doc.append(
            {
                "id": shift.code,
                "point": point_id(shift.point_id),
                "start": _iso(shift.start),
                "end": _iso(shift.end),
                "demand": demand,
                "skills": needs,
            }
        )

    fixed_per_day: Counter[tuple[int, int]] = Counter()
    volunteers_doc = []
    volunteer_map: dict[str, Volunteer] = {}
    low, high = data.window[0] - rest - dt.timedelta(days=1), data.window[1] + rest + dt.timedelta(days=1)
    for volunteer in data.volunteers:
        vid = volunteer_id(volunteer.pk)
        volunteer_map[vid] = volunteer
        listed = data.listed_points.get(volunteer.pk, set())
        if listed:
            reach = sorted(listed & point_ids)
        else:
            reach = [p.pk for p in data.points if volunteer.unit.path.startswith(p.unit.path)]
        skills = set(data.skills.get(volunteer.pk, ()))
        if SENIOR in skills:
            skills.discard(TRAINEE)  # the rules treat such a person as a senior
        cap = data.caps[volunteer.pk]
        blocks = _expand_unavailable(data, data.unavailable.get(volunteer.pk, []))
        days_used: Counter[int] = Counter()
        for shift in busy.get(volunteer.pk, []):
            blocks.append((shift.start - rest, shift.end + rest))
            day = _day_index(data, shift.start)
            days_used[day] += 1
        for day, count in days_used.items():
            fixed_per_day[(volunteer.pk, day)] = count
            if count >= max_per_day:
                midnight = dt.datetime.combine(period.start + dt.timedelta(days=day), dt.time(), tzinfo=tz)
                blocks.append((midnight, midnight + dt.timedelta(days=1)))
        weeks_used = Counter(day // 7 for day in days_used.elements() if 0 <= day < period.days)
        caps_left = [cap - count for count in weeks_used.values() if count < cap]
        for week, count in weeks_used.items():
            if count >= cap:
                monday = dt.datetime.combine(period.start + dt.timedelta(days=7 * week), dt.time(), tzinfo=tz)
                blocks.append((monday, monday + dt.timedelta(days=7)))
        cap = min([cap, *caps_left])
        blocks.extend((shift.start, shift.end) for shift in away.get(volunteer.pk, []))
        clipped = _merge((max(start, low), min(end, high)) for start, end in blocks)
        volunteers_doc.append(
            {
                "id": vid,
                "name": volunteer.full_name,
                "unit": unit_id(volunteer.unit_id),
                "points": [point_id(pk) for pk in reach],
                "skills": sorted(skills),
                "max_shifts_per_week": cap,
                "unavailable": [{"start": _iso(s), "end": _iso(e)} for s, e in clipped],
            }
        )

    instance: dict[str, Any] = {
        "format": FORMAT,
        "name": period.name,
        "start": period.start.isoformat(),
        "days": period.days,
        "timezone": settings.TIME_ZONE,
        "rules": {"max_shifts_per_day": max_per_day, "min_rest_hours": period.min_rest_hours},
        "service_points": [{"id": point_id(p.pk), "name": p.name} for p in data.points],
        "shifts": shifts_doc,
        "volunteers": volunteers_doc,
    }
    if data.published:
        open_codes = {s["id"] for s in shifts_doc if s["demand"]}
        instance["current"] = [
            {"shift": a.shift.code, "volunteer": volunteer_id(a.volunteer_id)}
            for a in replaceable
            if a.shift.code in open_codes and volunteer_id(a.volunteer_id) in volunteer_map
        ]
    return Plan(
        data=data,
        instance=instance,
        replaceable=replaceable,
        fixed=fixed,
        fixed_per_day=fixed_per_day,
        shift_codes={s.code: s for s in data.shifts},
        volunteers=volunteer_map,
    )


def build_instance(period: RosterPeriod) -> dict[str, Any]:
    """The period as a ``xungkich-roster/1`` document (JSON-ready), ready for the solver."""
    return plan_period(period).instance


# --- Applying a solution ------------------------------------------------------------------------


def _solution_error(message: str, code: str) -> DomainError:
    return DomainError(message, code)


def _entries(solution: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = solution.get(key) or []
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        raise _solution_error(
            _("The solution's “%(key)s” is not a list of entries.") % {"key": key}, "solution_format"
        )
    return value


def _drop_violations(plan: Plan, pairs: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], int]:
    """The pairs that keep every hard rule with what stays fixed, and how many were dropped."""
    instance = load_instance(plan.instance)
    demand = {s.id: s.demand for s in instance.shifts}
    pairs = list(dict.fromkeys(pairs))
    total = len(pairs)
    for _round in range(total + 1):
        violations = checker.check(instance, pairs)
        if not violations:
            break
        bad: set[tuple[str, str]] = set()
        for violation in violations:
            if violation.rule == "headcount":
                bad.update([p for p in pairs if p[0] == violation.shift][demand[violation.shift] :])
            else:
                bad.add((violation.shift, violation.volunteer))
        pairs = [p for p in pairs if p not in bad]
    # A day that already had fixed shifts, but fewer than the rules allow, is not blocked in the
    # instance: count it here.
    per_day: Counter[tuple[int, int]] = Counter(plan.fixed_per_day)
    kept: list[tuple[str, str]] = []
    for shift_code, vid in sorted(pairs, key=lambda p: (plan.shift_codes[p[0]].start, p)):
        volunteer = plan.volunteers[vid]
        key = (volunteer.pk, _day_index(plan.data, plan.shift_codes[shift_code].start))
        if per_day[key] >= plan.data.period.max_shifts_per_day:
            continue
        per_day[key] += 1
        kept.append((shift_code, vid))
    return kept, total - len(kept)


def apply_solution(*, period: RosterPeriod, solution: Mapping[str, Any], by: User | None) -> dict[str, int]:
    """Replace the period's replaceable assignments by the solution's (see the module docstring).

    Atomic. Unknown shift or volunteer ids refuse the whole solution (``DomainError``); a pair that
    would break a hard rule with what is kept (someone took the place meanwhile) is left out and
    counted as ``rejected``. Each shift keeps the solver's reason for its empty places.
    """
    if not isinstance(solution, Mapping):
        raise _solution_error(_("The solution is not a JSON object."), "solution_format")
    try:
        pairs = load_assignments(solution)
    except InstanceError as exc:
        raise _solution_error(
            _("The solution does not follow the format: %(error)s") % {"error": exc}, "solution_format"
        ) from exc
    unfilled = _entries(solution, "unfilled")
    unmet = _entries(solution, "unmet_skills")

    with transaction.atomic():
        period = RosterPeriod.objects.select_for_update(of=("self",)).select_related("unit").get(pk=period.pk)
        # Volunteers taking places lock shift rows first: lock them all, then read.
        list(Shift.objects.select_for_update().filter(period=period).values_list("pk", flat=True))
        plan = plan_period(period)
        for shift_code, vid in pairs:
            if shift_code not in plan.shift_codes:
                raise _solution_error(
                    _("The solution names a shift “%(id)s” that this period does not have.")
                    % {"id": shift_code},
                    "solution_unknown_shift",
                )
            if vid not in plan.volunteers:
                raise _solution_error(
                    _("The solution names a volunteer “%(id)s” who is not an active volunteer of this unit.")
                    % {"id": vid},
                    "solution_unknown_volunteer",
                )
        reasons: dict[str, tuple[str, str]] = {}
        for entry in [*unmet, *unfilled]:  # an empty place outranks an unmet skill need
            code = str(entry.get("shift", ""))
            if code not in plan.shift_codes:
                raise _solution_error(
                    _("The solution names a shift “%(id)s” that this period does not have.") % {"id": code},
                    "solution_unknown_shift",
                )
            reasons[code] = (str(entry.get("code", ""))[:30], str(entry.get("reason", ""))[:255])

        pairs, rejected = _drop_violations(plan, pairs)
        removed = len(plan.replaceable)
        if plan.replaceable:
            Assignment.objects.filter(pk__in=[a.pk for a in plan.replaceable]).delete()
        Assignment.objects.bulk_create(
            [
                Assignment(
                    shift=plan.shift_codes[shift_code],
                    volunteer_id=plan.volunteers[vid].pk,
                    source=Assignment.Source.SOLVER,
                    status=Assignment.Status.PLANNED,
                )
                for shift_code, vid in pairs
            ],
            batch_size=500,
        )
        changed = []
        for shift in plan.data.shifts:
            code, reason = reasons.get(shift.code, ("", ""))
            if plan.data.frozen(shift):
                continue
            if (shift.unfilled_code, shift.unfilled_reason) != (code, reason):
                shift.unfilled_code, shift.unfilled_reason = code, reason
                changed.append(shift)
        Shift.objects.bulk_update(changed, ["unfilled_code", "unfilled_reason"], batch_size=500)
        places = sum(s.demand for s in plan.data.shifts)
        filled = len(plan.fixed) + len(pairs)
        summary = {
            "created": len(pairs),
            "removed": removed,
            "kept": len(plan.fixed),
            "rejected": rejected,
            "places": places,
            "filled": filled,
            "empty": max(0, places - filled),
            "unmet_skills": len(unmet),
        }
        log_action(actor=by, action="period.solve", obj=period, unit=period.unit, after=summary)
    return summary


# --- The calendar grid --------------------------------------------------------------------------

PALETTE_SIZE = 12


def unit_colour(unit_pk: int | None) -> int:
    """A stable colour (index into the palette of ``app.css``) per unit."""
    return (unit_pk or 0) % PALETTE_SIZE


@dataclass
class Column:
    key: tuple[int, dt.time, dt.time]
    point: ServicePoint
    start: dt.time
    end: dt.time
    names: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.point.name} · {self.start:%H:%M}–{self.end:%H:%M}"


@dataclass
class Person:
    assignment: Assignment
    colour: int

    @property
    def volunteer(self) -> Volunteer:
        return self.assignment.volunteer


@dataclass
class Cell:
    column: Column
    shift: Shift | None = None
    people: list[Person] = field(default_factory=list)
    closed: str | None = None  # the reason of a closed day, "" when closed without one
    empty: int = 0
    reason: str = ""
    unmet: list[tuple[str, int]] = field(default_factory=list)  # (skill, missing)
    trainee_alone: bool = False

    @property
    def empty_places(self) -> range:
        return range(self.empty)


@dataclass
class Row:
    day: dt.date
    cells: list[Cell]

    @property
    def anchor(self) -> str:
        return f"day-{self.day.isoformat()}"


@dataclass
class Calendar:
    columns: list[Column]
    rows: list[Row]
    units: list[tuple[OrgUnit, int]]  # legend: unit and colour
    places: int = 0
    filled: int = 0

    @property
    def empty(self) -> int:
        return max(0, self.places - self.filled)


def calendar(period: RosterPeriod) -> Calendar:
    """Rows of days × columns of shift slots (a point and its start and end time)."""
    tz = _tz()
    shifts = list(period.shifts.select_related("point").order_by("start", "point__name", "point_id"))
    holding = list(
        Assignment.objects.filter(shift__period=period, status__in=HOLDING)
        .select_related("volunteer__unit")
        .order_by("volunteer__sort_key", "pk")
    )
    skills: dict[int, set[str]] = defaultdict(set)
    for vol_pk, code in Volunteer.skills.through.objects.filter(
        volunteer__assignments__shift__period=period, volunteer__assignments__status__in=HOLDING
    ).values_list("volunteer_id", "skill__code"):
        skills[vol_pk].add(code)
    last_day = period.start + dt.timedelta(days=period.days - 1)
    closures = list(
        ClosedDay.objects.filter(date__gte=period.start, date__lte=last_day).filter(
            Q(point__isnull=True) | Q(point__unit__path__startswith=period.unit.path)
        )
    )

    columns: dict[tuple[int, dt.time, dt.time], Column] = {}
    for shift in shifts:
        start, end = shift.start.astimezone(tz).time(), shift.end.astimezone(tz).time()
        key = (shift.point_id, start, end)
        column = columns.get(key)
        if column is None:
            column = columns[key] = Column(key=key, point=shift.point, start=start, end=end)
        if shift.name and shift.name not in column.names:
            column.names.append(shift.name)
    ordered = sorted(columns.values(), key=lambda c: (c.point.name, c.point.pk, c.start, c.end))

    people: dict[int, list[Person]] = defaultdict(list)
    units: dict[int, OrgUnit] = {}
    for assignment in holding:
        people[assignment.shift_id].append(Person(assignment, unit_colour(assignment.volunteer.unit_id)))
        units[assignment.volunteer.unit_id] = assignment.volunteer.unit
    closed: dict[tuple[dt.date, int | None], str] = {(c.date, c.point_id): c.reason for c in closures}
    by_slot = {(s.start.astimezone(tz).date(), (s.point_id, *_times(s, tz))): s for s in shifts}

    rows = []
    places = filled = 0
    for offset in range(period.days):
        day = period.start + dt.timedelta(days=offset)
        cells = []
        for column in ordered:
            cell = Cell(column=column)
            found = by_slot.get((day, column.key))
            if found is None:
                reason = closed.get((day, None), closed.get((day, column.point.pk)))
                cell.closed = reason
                cells.append(cell)
                continue
            cell.shift = found
            cell.people = people.get(found.pk, [])
            places += found.demand
            filled += min(len(cell.people), found.demand)
            cell.empty = max(0, found.demand - len(cell.people))
            if cell.empty:
                cell.reason = found.unfilled_reason
            holder_skills = [skills.get(p.assignment.volunteer_id, set()) for p in cell.people]
            for skill, need in sorted((found.skill_needs or {}).items()):
                have = sum(1 for s in holder_skills if skill in s)
                if have < int(need):
                    cell.unmet.append((skill, int(need) - have))
            cell.trainee_alone = any(TRAINEE in s and SENIOR not in s for s in holder_skills) and not any(
                SENIOR in s for s in holder_skills
            )
            cells.append(cell)
        rows.append(Row(day=day, cells=cells))
    legend = [(unit, unit_colour(unit.pk)) for unit in sorted(units.values(), key=lambda u: u.path)]
    return Calendar(columns=ordered, rows=rows, units=legend, places=places, filled=filled)


def _times(shift: Shift, tz: ZoneInfo) -> tuple[dt.time, dt.time]:
    return shift.start.astimezone(tz).time(), shift.end.astimezone(tz).time()


# --- Who can fill a place -----------------------------------------------------------------------


@dataclass
class Candidate:
    volunteer: Volunteer
    problems: list[Problem]
    load: int  # shifts in this period so far
    skills: set[str]

    @property
    def eligible(self) -> bool:
        return not self.problems

    @property
    def colour(self) -> int:
        return unit_colour(self.volunteer.unit_id)


def shift_candidates(shift: Shift, *, query: str = "", limit: int = 300) -> list[Candidate]:
    """The period's volunteers with the hard rules each would break on ``shift`` (the same rules,
    codes and sentences as ``rules.assignment_problems``, evaluated for everyone at once).

    Eligible people first, the least busy in the period first. A fixed number of queries.
    """
    period = shift.period
    tz = _tz()
    volunteers_qs = Volunteer.objects.filter(unit__path__startswith=period.unit.path, is_active=True)
    folded = fold(query or "").strip()
    if folded:
        volunteers_qs = volunteers_qs.filter(search_key__contains=folded)
    volunteers = list(
        volunteers_qs.select_related("unit", "roster_profile").order_by("sort_key", "pk")[:limit]
    )
    pks = [v.pk for v in volunteers]
    skills: dict[int, set[str]] = defaultdict(set)
    for vol_pk, code in Volunteer.skills.through.objects.filter(volunteer_id__in=pks).values_list(
        "volunteer_id", "skill__code"
    ):
        skills[vol_pk].add(code)
    listed: dict[int, set[int]] = defaultdict(set)
    for vol_pk, point_pk in RosterProfile.points.through.objects.filter(
        rosterprofile__volunteer_id__in=pks
    ).values_list("rosterprofile__volunteer_id", "servicepoint_id"):
        listed[vol_pk].add(point_pk)
    unavailable: dict[int, list[Unavailability]] = defaultdict(list)
    for item in Unavailability.objects.filter(volunteer_id__in=pks).filter(
        Q(kind=Unavailability.Kind.WEEKLY) | Q(start__lt=shift.end, end__gt=shift.start)
    ):
        unavailable[item.volunteer_id].append(item)

    rest = dt.timedelta(hours=period.min_rest_hours)
    day = shift.start.astimezone(tz).date()
    week = (day - period.start).days // 7
    week_start = dt.datetime.combine(period.start + dt.timedelta(days=7 * week), dt.time(), tzinfo=tz)
    week_end = week_start + dt.timedelta(days=7)
    near_from = min(week_start, shift.start - rest - dt.timedelta(days=1))
    near_to = max(week_end, shift.end + rest + dt.timedelta(days=1))
    theirs = list(
        Assignment.objects.filter(volunteer_id__in=pks, status__in=HOLDING)
        .filter(Q(shift__period=period) | Q(shift__start__lt=near_to, shift__end__gt=near_from))
        .select_related("shift")
    )
    on_shift = list(
        Assignment.objects.filter(shift=shift, status__in=HOLDING).values_list("volunteer_id", flat=True)
    )
    senior_on = set(
        Volunteer.skills.through.objects.filter(volunteer_id__in=on_shift, skill__code=SENIOR).values_list(
            "volunteer_id", flat=True
        )
    )
    load: Counter[int] = Counter()
    near: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in theirs:
        if assignment.shift.period_id == period.pk:
            load[assignment.volunteer_id] += 1
        if near_from < assignment.shift.end and assignment.shift.start < near_to:
            near[assignment.volunteer_id].append(assignment)

    out = []
    for volunteer in volunteers:
        problems = _problems(
            volunteer=volunteer,
            shift=shift,
            skills=skills.get(volunteer.pk, set()),
            listed=listed.get(volunteer.pk, set()),
            unavailable=unavailable.get(volunteer.pk, []),
            near=near.get(volunteer.pk, []),
            on_shift=on_shift,
            senior_on=senior_on,
            window=(week_start, week_end),
        )
        out.append(
            Candidate(
                volunteer=volunteer,
                problems=problems,
                load=load[volunteer.pk],
                skills=skills.get(volunteer.pk, set()),
            )
        )
    out.sort(key=lambda c: (bool(c.problems), c.load, c.volunteer.sort_key, c.volunteer.pk))
    return out


def _problems(
    *,
    volunteer: Volunteer,
    shift: Shift,
    skills: set[str],
    listed: set[int],
    unavailable: list[Unavailability],
    near: list[Assignment],
    on_shift: list[int],
    senior_on: set[int],
    window: tuple[dt.datetime, dt.datetime],
) -> list[Problem]:
    """``rules.assignment_problems`` over data loaded for many people at once (keep in step)."""
    period = shift.period
    tz = _tz()
    problems: list[Problem] = []
    reaches = shift.point_id in listed if listed else volunteer.unit.is_within(shift.point.unit)
    if not reaches:
        problems.append(Problem("unreachable", _("This volunteer cannot reach this service point.")))
    if unavailable_during(unavailable, shift):
        problems.append(Problem("unavailable", _("This volunteer said they are not available then.")))
    if volunteer.pk in on_shift:
        problems.append(Problem("already_assigned", _("This volunteer is already on this shift.")))
    if len(on_shift) >= shift.demand:
        problems.append(Problem("full", _("This shift already has all the people it needs.")))
    rest = dt.timedelta(hours=period.min_rest_hours)
    mine = [a for a in near if a.shift_id != shift.pk]
    if any(a.shift.start < shift.end and shift.start < a.shift.end for a in mine):
        problems.append(Problem("overlap", _("This volunteer is on another shift at that time.")))
    elif any(
        (a.shift.end <= shift.start and shift.start - a.shift.end < rest)
        or (shift.end <= a.shift.start and a.shift.start - shift.end < rest)
        for a in mine
    ):
        problems.append(
            Problem(
                "rest",
                _("This volunteer needs at least %(hours)s hours of rest between shifts.")
                % {"hours": period.min_rest_hours},
            )
        )
    day = shift.start.astimezone(tz).date()
    same_day = sum(1 for a in mine if a.shift.start.astimezone(tz).date() == day)
    if same_day >= period.max_shifts_per_day:
        problems.append(
            Problem("day_limit", _("This volunteer already has %(n)s shift(s) that day.") % {"n": same_day})
        )
    profile = getattr(volunteer, "roster_profile", None)
    cap = profile.max_shifts_per_week if profile is not None else DEFAULT_CAP
    in_week = sum(1 for a in mine if window[0] <= a.shift.start < window[1])
    if in_week >= cap:
        problems.append(
            Problem(
                "week_cap",
                _("This volunteer has reached their limit of %(n)s shifts that week.") % {"n": cap},
            )
        )
    if TRAINEE in skills and SENIOR not in skills and not (senior_on - {volunteer.pk}):
        problems.append(
            Problem(
                "trainee_alone", _("A trainee can only serve with an experienced volunteer on the shift.")
            )
        )
    return problems
