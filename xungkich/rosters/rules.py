"""The roster's hard rules for one volunteer on one shift, checked against the database.

The solver applies the same rules to a whole instance at once; this module guards the changes made
one at a time (a coordinator's edit, a volunteer taking an open place). Call it inside the
transaction that writes, after locking the shift row, so that two people never take the last place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from xungkich.people.models import Volunteer
from xungkich.rosters.models import Assignment, RosterProfile, Shift, Unavailability

# Assignments that hold a place on a shift ("can't come" frees it).
HOLDING = [Assignment.Status.PLANNED, Assignment.Status.CONFIRMED, Assignment.Status.OFFERED]
SENIOR, TRAINEE = "senior", "trainee"


@dataclass(frozen=True)
class Problem:
    code: str
    message: str


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def can_reach(volunteer: Volunteer, shift: Shift, profile: RosterProfile | None) -> bool:
    """Listed points, or, when none are listed, the points of their own unit and the units above it."""
    if profile is not None and profile.pk:
        point_ids = set(profile.points.values_list("pk", flat=True))
        if point_ids:
            return shift.point_id in point_ids
    return volunteer.unit.is_within(shift.point.unit)


def unavailable_during(items: Iterable[Unavailability], shift: Shift) -> bool:
    """Whether any of the volunteer's unavailability entries (already loaded) covers the shift."""
    tz = _tz()
    start, end = shift.start.astimezone(tz), shift.end.astimezone(tz)
    for item in items:
        if item.kind == Unavailability.Kind.ONE_OFF:
            if item.start and item.end and item.start < shift.end and shift.start < item.end:
                return True
        elif item.weekday == start.isoweekday() and item.start_time and item.end_time:
            blocked_from = dt.datetime.combine(start.date(), item.start_time, tzinfo=tz)
            blocked_to = dt.datetime.combine(start.date(), item.end_time, tzinfo=tz)
            if blocked_from < end and start < blocked_to:
                return True
    return False


def is_unavailable(volunteer: Volunteer, shift: Shift) -> bool:
    return unavailable_during(Unavailability.objects.filter(volunteer=volunteer), shift)


def assignment_problems(
    *, volunteer: Volunteer, shift: Shift, ignore: Assignment | None = None
) -> list[Problem]:
    """Every hard rule that putting ``volunteer`` on ``shift`` would break (empty: allowed)."""
    problems: list[Problem] = []
    period = shift.period
    profile = RosterProfile.objects.filter(volunteer=volunteer).first()
    skills = set(volunteer.skills.values_list("code", flat=True))
    if not volunteer.is_active:
        problems.append(Problem("inactive", _("This volunteer is marked inactive.")))
    if not can_reach(volunteer, shift, profile):
        problems.append(Problem("unreachable", _("This volunteer cannot reach this service point.")))
    if is_unavailable(volunteer, shift):
        problems.append(Problem("unavailable", _("This volunteer said they are not available then.")))

    holding = Assignment.objects.filter(status__in=HOLDING)
    if ignore is not None:
        holding = holding.exclude(pk=ignore.pk)
    on_shift = holding.filter(shift=shift)
    if on_shift.filter(volunteer=volunteer).exists():
        problems.append(Problem("already_assigned", _("This volunteer is already on this shift.")))
    if on_shift.count() >= shift.demand:
        problems.append(Problem("full", _("This shift already has all the people it needs.")))

    rest = dt.timedelta(hours=period.min_rest_hours)
    mine = list(
        holding.filter(volunteer=volunteer)
        .exclude(shift=shift)
        .filter(
            shift__start__lt=shift.end + rest + dt.timedelta(days=1),
            shift__end__gt=shift.start - rest - dt.timedelta(days=1),
        )
        .select_related("shift")
    )
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
    tz = _tz()
    day = shift.start.astimezone(tz).date()
    same_day = sum(1 for a in mine if a.shift.start.astimezone(tz).date() == day)
    if same_day >= period.max_shifts_per_day:
        problems.append(
            Problem(
                "day_limit",
                _("This volunteer already has %(n)s shift(s) that day.") % {"n": same_day},
            )
        )
    week = (day - period.start).days // 7
    week_start = dt.datetime.combine(period.start + dt.timedelta(days=7 * week), dt.time(), tzinfo=tz)
    week_end = week_start + dt.timedelta(days=7)
    cap = (
        profile.max_shifts_per_week
        if profile
        else RosterProfile._meta.get_field("max_shifts_per_week").default
    )
    in_week = (
        holding.filter(volunteer=volunteer, shift__start__gte=week_start, shift__start__lt=week_end)
        .exclude(shift=shift)
        .count()
    )
    if in_week >= cap:
        problems.append(
            Problem(
                "week_cap",
                _("This volunteer has reached their limit of %(n)s shifts that week.") % {"n": cap},
            )
        )
    if TRAINEE in skills and SENIOR not in skills:
        has_senior = on_shift.filter(volunteer__skills__code=SENIOR).exclude(volunteer=volunteer).exists()
        if not has_senior:
            problems.append(
                Problem(
                    "trainee_alone", _("A trainee can only serve with an experienced volunteer on the shift.")
                )
            )
    return problems


def holding_assignments() -> Q:
    return Q(status__in=HOLDING)
