"""Writes to shift patterns, periods, shifts and assignments. Each owns its transaction and audits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xungkich.core import changes
from xungkich.core.audit import log_action, snapshot
from xungkich.core.days import local_day, local_tz
from xungkich.core.errors import DomainError
from xungkich.lib.vietnamese import clean_text
from xungkich.people.models import OrgUnit, User, Volunteer
from xungkich.places.models import ClosedDay, ServicePoint
from xungkich.rosters import rules
from xungkich.rosters.models import Assignment, RosterPeriod, RosterProfile, Shift, ShiftPattern
from xungkich.rosters.solving import claim_for_solving

PERIOD_FIELDS = ["name", "unit", "start", "days", "status", "max_shifts_per_day", "min_rest_hours"]


def create_shift_pattern(
    *,
    by: User | None,
    point: ServicePoint,
    name: str,
    weekdays: Iterable[int],
    start_time: dt.time,
    end_time: dt.time,
    demand: int,
    skill_needs: dict[str, int] | None = None,
) -> ShiftPattern:
    days, needs = _clean_pattern(weekdays, start_time, end_time, demand, skill_needs or {})
    with transaction.atomic():
        pattern = ShiftPattern.objects.create(
            point=point,
            name=clean_text(name),
            weekdays=days,
            start_time=start_time,
            end_time=end_time,
            demand=demand,
            skill_needs=needs,
        )
        log_action(
            actor=by,
            action="pattern.create",
            obj=pattern,
            unit=point.unit,
            after=snapshot(pattern, ["name", "weekdays", "start_time", "end_time", "demand", "skill_needs"]),
        )
    return pattern


# --- Periods and shifts -----------------------------------------------------------------------

MAX_PERIOD_DAYS = 92


def _last_day(start: dt.date, days: int) -> dt.date:
    return start + dt.timedelta(days=days - 1)


def overlapping_period(
    *,
    unit: OrgUnit,
    start: dt.date,
    days: int,
    exclude: RosterPeriod | None = None,
    statuses: Iterable[str] | None = None,
) -> RosterPeriod | None:
    """Another period over some of the same days and the same service points, or None.

    A period plans every active point of its unit and of the units below it, so two periods clash
    when their days overlap and either they belong to the same unit, or one unit lies within the
    other and the inner one has active points (both periods would staff those points).
    """
    last = _last_day(start, days)
    candidates = RosterPeriod.objects.filter(
        start__lte=last, start__gt=start - dt.timedelta(days=MAX_PERIOD_DAYS)
    ).select_related("unit")
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    if statuses is not None:
        candidates = candidates.filter(status__in=list(statuses))
    for other in candidates.order_by("start", "pk"):
        if _last_day(other.start, other.days) < start:
            continue
        if other.unit_id == unit.pk:
            return other
        if unit.is_within(other.unit):
            inner = unit
        elif other.unit.is_within(unit):
            inner = other.unit
        else:
            continue
        if ServicePoint.objects.filter(unit__path__startswith=inner.path, is_active=True).exists():
            return other
    return None


def _lock_unit_chain(unit: OrgUnit) -> None:
    """Lock the unit and the units above it (in path order), so that two periods that could clash
    are created or published one after the other, each seeing the other."""
    parts = [part for part in unit.path.split("/") if part]
    paths = ["/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1)]
    list(OrgUnit.objects.select_for_update().filter(path__in=paths).order_by("path").values_list("pk"))


def _overlap_message(other: RosterPeriod, text: str) -> str:
    return text % {
        "name": other.name,
        "first": f"{other.start:%d/%m/%Y}",
        "last": f"{_last_day(other.start, other.days):%d/%m/%Y}",
    }


def create_period(
    *,
    by: User | None,
    unit: OrgUnit,
    name: str,
    start: dt.date,
    days: int,
    max_shifts_per_day: int = 1,
    min_rest_hours: int = 10,
) -> RosterPeriod:
    name = clean_text(name)
    if not name:
        raise DomainError(_("A roster period needs a name."), "period_name_required")
    if not 1 <= days <= MAX_PERIOD_DAYS:
        raise DomainError(_("A roster period lasts from 1 to 92 days."), "period_days")
    with transaction.atomic():
        _lock_unit_chain(unit)
        other = overlapping_period(unit=unit, start=start, days=days)
        if other is not None:
            raise DomainError(
                _overlap_message(
                    other,
                    _(
                        "These days overlap the roster period “%(name)s” (%(first)s–%(last)s), which "
                        "already plans the same service points. Choose other days, or use that period."
                    ),
                ),
                "period_overlap",
            )
        period = RosterPeriod.objects.create(
            unit=unit,
            name=name,
            start=start,
            days=days,
            max_shifts_per_day=max_shifts_per_day,
            min_rest_hours=min_rest_hours,
        )
        generate_shifts(period=period)
        log_action(
            actor=by, action="period.create", obj=period, unit=unit, after=snapshot(period, PERIOD_FIELDS)
        )
    return period


def period_points(period: RosterPeriod) -> Any:
    """Active service points of the period's unit and the units below it."""
    return ServicePoint.objects.filter(unit__path__startswith=period.unit.path, is_active=True)


def generate_shifts(*, period: RosterPeriod) -> int:
    """Create the period's shifts from the active patterns of its points, skipping closed days.

    Idempotent: shifts that already exist (same code) are left alone. Returns how many were made.
    """
    tz = local_tz()
    points = list(period_points(period).order_by("pk"))
    patterns = list(ShiftPattern.objects.filter(point__in=points, is_active=True).select_related("point"))
    closed = {
        (c.date, c.point_id)
        for c in ClosedDay.objects.filter(
            date__gte=period.start, date__lt=period.start + dt.timedelta(days=period.days)
        )
    }
    existing = set(period.shifts.values_list("code", flat=True))
    new: list[Shift] = []
    for offset in range(period.days):
        day = period.start + dt.timedelta(days=offset)
        for pattern in patterns:
            if day.isoweekday() not in pattern.weekdays:
                continue
            if (day, None) in closed or (day, pattern.point_id) in closed:
                continue
            code = f"P{pattern.point_id:03d}-{day.isoformat()}-{pattern.start_time:%H%M}"
            if code in existing:
                continue
            existing.add(code)
            new.append(
                Shift(
                    period=period,
                    point=pattern.point,
                    pattern=pattern,
                    code=code,
                    name=pattern.name,
                    start=dt.datetime.combine(day, pattern.start_time, tzinfo=tz),
                    end=dt.datetime.combine(day, pattern.end_time, tzinfo=tz),
                    demand=pattern.demand,
                    skill_needs=pattern.skill_needs,
                )
            )
    Shift.objects.bulk_create(new)
    return len(new)


def roster_profile(volunteer: Volunteer) -> RosterProfile:
    profile, _created = RosterProfile.objects.get_or_create(volunteer=volunteer)
    return profile


def publish_period(*, by: User | None, period: RosterPeriod) -> RosterPeriod:
    with transaction.atomic():
        _lock_unit_chain(period.unit)
        period = RosterPeriod.objects.select_for_update(of=("self",)).select_related("unit").get(pk=period.pk)
        if period.status == RosterPeriod.Status.SOLVING:
            raise DomainError(_("Wait for the solver to finish before publishing."), "period_solving")
        other = overlapping_period(
            unit=period.unit,
            start=period.start,
            days=period.days,
            exclude=period,
            statuses=[RosterPeriod.Status.PUBLISHED],
        )
        if other is not None:
            raise DomainError(
                _overlap_message(
                    other,
                    _(
                        "The roster period “%(name)s” (%(first)s–%(last)s) is already published for "
                        "some of the same days and service points: publishing this one too would staff "
                        "the same places twice."
                    ),
                ),
                "period_overlap",
            )
        before = snapshot(period, PERIOD_FIELDS)
        period.status = RosterPeriod.Status.PUBLISHED
        period.published_at = timezone.now()
        period.save(update_fields=["status", "published_at"])
        shifts = period.shifts.values_list("start", "point_id")
        changes.announce(
            source=changes.ROSTER, keys=[(local_day(start), point_id, None) for start, point_id in shifts]
        )
        log_action(
            actor=by,
            action="period.publish",
            obj=period,
            unit=period.unit,
            before=before,
            after=snapshot(period, PERIOD_FIELDS),
        )
    return period


def assignments_of(period: RosterPeriod) -> Any:
    return Assignment.objects.filter(shift__period=period)


# --- Planning: patterns and closed days ----------------------------------------------------

PATTERN_FIELDS = ["name", "weekdays", "start_time", "end_time", "demand", "skill_needs", "is_active"]


def _clean_pattern(
    weekdays: Iterable[int], start_time: dt.time, end_time: dt.time, demand: int, skill_needs: dict[str, int]
) -> tuple[list[int], dict[str, int]]:
    days = sorted({int(day) for day in weekdays})
    if not days or any(day < 1 or day > 7 for day in days):
        raise DomainError(_("Pick at least one weekday."), "pattern_weekdays")
    if end_time <= start_time:
        raise DomainError(_("A shift must end after it starts."), "pattern_times")
    if demand < 1:
        raise DomainError(_("The headcount must be at least 1."), "pattern_demand")
    needs = {code: int(count) for code, count in skill_needs.items() if int(count) > 0}
    if sum(needs.values()) > demand:
        raise DomainError(_("The skill needs add up to more people than the headcount."), "pattern_skills")
    return days, needs


def update_shift_pattern(
    *,
    by: User | None,
    pattern: ShiftPattern,
    name: str,
    weekdays: Iterable[int],
    start_time: dt.time,
    end_time: dt.time,
    demand: int,
    skill_needs: dict[str, int] | None = None,
) -> ShiftPattern:
    """Change a pattern. Shifts already generated keep their times: it applies to new periods
    (and to days a period's "refresh shifts" adds)."""
    days, needs = _clean_pattern(weekdays, start_time, end_time, demand, skill_needs or {})
    with transaction.atomic():
        pattern = ShiftPattern.objects.select_for_update().select_related("point__unit").get(pk=pattern.pk)
        before = snapshot(pattern, PATTERN_FIELDS)
        pattern.name, pattern.weekdays = clean_text(name), days
        pattern.start_time, pattern.end_time = start_time, end_time
        pattern.demand, pattern.skill_needs = demand, needs
        pattern.save(update_fields=["name", "weekdays", "start_time", "end_time", "demand", "skill_needs"])
        log_action(
            actor=by,
            action="pattern.update",
            obj=pattern,
            unit=pattern.point.unit,
            before=before,
            after=snapshot(pattern, PATTERN_FIELDS),
        )
    return pattern


def set_pattern_active(*, by: User | None, pattern: ShiftPattern, active: bool) -> ShiftPattern:
    """An inactive pattern makes no new shifts; the ones it made stay."""
    with transaction.atomic():
        pattern = ShiftPattern.objects.select_for_update().select_related("point__unit").get(pk=pattern.pk)
        if pattern.is_active != active:
            pattern.is_active = active
            pattern.save(update_fields=["is_active"])
            log_action(
                actor=by,
                action="pattern.activate" if active else "pattern.deactivate",
                obj=pattern,
                unit=pattern.point.unit,
                after={"is_active": active},
            )
    return pattern


def close_day(
    *,
    by: User | None,
    date: dt.date,
    unit: OrgUnit | None = None,
    point: ServicePoint | None = None,
    reason: str = "",
) -> list[ClosedDay]:
    """Close one point, or every active point of a unit and the units below it, on ``date``.

    With neither, every service point everywhere closes (a public holiday; superusers only, checked
    by the caller). Draft periods lose that day's shifts at those points; published periods keep
    them (people were told: change those by hand). Returns the closures made (existing ones stay).
    """
    reason = clean_text(reason)[:150]
    with transaction.atomic():
        if point is not None:
            targets: list[ServicePoint | None] = [point]
        elif unit is not None:
            targets = list(
                ServicePoint.objects.filter(unit__path__startswith=unit.path, is_active=True).order_by("pk")
            )
            if not targets:
                raise DomainError(_("This unit has no active service points to close."), "closed_no_points")
        else:
            targets = [None]
        made = []
        for target in targets:
            closure, created = ClosedDay.objects.get_or_create(
                date=date, point=target, defaults={"reason": reason}
            )
            if created:
                made.append(closure)
                log_action(
                    actor=by,
                    action="closed_day.add",
                    obj=closure,
                    unit=target.unit if target is not None else None,
                    after={
                        "date": date.isoformat(),
                        "point": target.pk if target else None,
                        "reason": reason,
                    },
                )
        tz = local_tz()
        start = dt.datetime.combine(date, dt.time(), tzinfo=tz)
        shifts = Shift.objects.filter(
            period__status=RosterPeriod.Status.DRAFT, start__gte=start, start__lt=start + dt.timedelta(days=1)
        )
        if None not in targets:
            shifts = shifts.filter(point__in=[t for t in targets if t is not None])
        shifts.delete()
    return made


def reopen_day(*, by: User | None, closure: ClosedDay) -> None:
    """Remove a closure (a period's "refresh shifts" adds that day's shifts back)."""
    with transaction.atomic():
        point = closure.point
        log_action(
            actor=by,
            action="closed_day.remove",
            obj=closure,
            unit=point.unit if point is not None else None,
            before={"date": closure.date.isoformat(), "point": closure.point_id, "reason": closure.reason},
        )
        ClosedDay.objects.filter(pk=closure.pk).delete()


def refresh_period_shifts(*, by: User | None, period: RosterPeriod) -> tuple[int, int]:
    """Bring a draft period in step with the patterns and closed days: add the shifts new patterns
    make, remove shifts on days now closed. Returns (added, removed)."""
    with transaction.atomic():
        period = RosterPeriod.objects.select_for_update(of=("self",)).select_related("unit").get(pk=period.pk)
        if period.status != RosterPeriod.Status.DRAFT:
            raise DomainError(
                _("Only a draft period's shifts can be refreshed from the patterns."), "period_not_draft"
            )
        last = period.start + dt.timedelta(days=period.days - 1)
        closures = list(ClosedDay.objects.filter(date__gte=period.start, date__lte=last))
        closed_all = {c.date for c in closures if c.point_id is None}
        closed_at = {(c.date, c.point_id) for c in closures if c.point_id is not None}
        tz = local_tz()
        doomed = [
            shift.pk
            for shift in period.shifts.all()
            if (day := shift.start.astimezone(tz).date()) in closed_all or (day, shift.point_id) in closed_at
        ]
        removed = Shift.objects.filter(pk__in=doomed).delete()[1].get("rosters.Shift", 0) if doomed else 0
        added = generate_shifts(period=period)
        log_action(
            actor=by,
            action="period.refresh_shifts",
            obj=period,
            unit=period.unit,
            after={"added": added, "removed": removed},
        )
    return added, removed


# --- Planning: hand edits -------------------------------------------------------------------------


def _lock_plan_shift(shift: Shift) -> Shift:
    locked = (
        Shift.objects.select_for_update(of=("self",))
        .select_related("period__unit", "point__unit")
        .filter(pk=shift.pk)
        .first()
    )
    if locked is None:
        raise DomainError(_("This shift no longer exists."), "not_found")
    if locked.period.status == RosterPeriod.Status.SOLVING:
        raise DomainError(_("Wait for the solver to finish before changing the roster."), "period_solving")
    return locked


def _mark_if_published(shift: Shift) -> None:
    """The roster figures count published periods only."""
    if shift.period.status == RosterPeriod.Status.PUBLISHED:
        changes.announce_one(source=changes.ROSTER, day=local_day(shift.start), point_id=shift.point_id)


def add_assignment(*, by: User | None, shift: Shift, volunteer: Volunteer) -> Assignment:
    """A coordinator puts a volunteer on a shift, within every hard rule (``rules``)."""
    with transaction.atomic():
        shift = _lock_plan_shift(shift)
        volunteer = Volunteer.objects.select_related("unit").get(pk=volunteer.pk)
        if not volunteer.unit.is_within(shift.period.unit):
            raise DomainError(
                _("This volunteer does not belong to the unit this roster plans."), "not_in_period_unit"
            )
        problems = rules.assignment_problems(volunteer=volunteer, shift=shift)
        if problems:
            raise DomainError(
                " ".join(p.message for p in problems), f"rule_{problems[0].code}", details=problems
            )
        assignment = Assignment.objects.filter(shift=shift, volunteer=volunteer).first()
        if assignment is None:
            assignment = Assignment.objects.create(
                shift=shift,
                volunteer=volunteer,
                source=Assignment.Source.MANUAL,
                status=Assignment.Status.PLANNED,
            )
        else:  # they had said they can't come; a coordinator has agreed it with them again
            assignment.source, assignment.status, assignment.reason = (
                Assignment.Source.MANUAL,
                Assignment.Status.PLANNED,
                "",
            )
            assignment.save(update_fields=["source", "status", "reason"])
        _mark_if_published(shift)
        log_action(
            actor=by,
            action="assignment.add",
            obj=assignment,
            unit=shift.period.unit,
            after={"shift": shift.code, "volunteer": volunteer.pk, "source": assignment.source},
        )
    return assignment


def remove_assignment(*, by: User | None, assignment: Assignment) -> None:
    """A coordinator takes a volunteer off a shift (never one who has checked in, and never the
    only experienced volunteer next to a trainee)."""
    with transaction.atomic():
        shift = _lock_plan_shift(assignment.shift)
        current = Assignment.objects.select_related("volunteer").filter(pk=assignment.pk).first()
        if current is None:
            raise DomainError(_("This volunteer is no longer on the shift."), "not_found")
        if current.check_in_at is not None:
            raise DomainError(_("This volunteer has already checked in for this shift."), "checked_in")
        if current.status in rules.HOLDING:
            others = list(
                Assignment.objects.filter(shift=shift, status__in=rules.HOLDING)
                .exclude(pk=current.pk)
                .values_list("volunteer_id", flat=True)
            )
            codes: dict[int, set[str]] = {}
            for vol_pk, code in Volunteer.skills.through.objects.filter(
                volunteer_id__in=[*others, current.volunteer_id]
            ).values_list("volunteer_id", "skill__code"):
                codes.setdefault(vol_pk, set()).add(code)
            mine = codes.get(current.volunteer_id, set())
            rest = [codes.get(pk, set()) for pk in others]
            if (
                rules.SENIOR in mine
                and not any(rules.SENIOR in s for s in rest)
                and any(rules.TRAINEE in s and rules.SENIOR not in s for s in rest)
            ):
                raise DomainError(
                    _("A trainee on this shift would be left without an experienced volunteer."),
                    "trainee_alone",
                )
        before = {
            "shift": shift.code,
            "volunteer": current.volunteer_id,
            "status": current.status,
            "source": current.source,
        }
        log_action(actor=by, action="assignment.remove", obj=current, unit=shift.period.unit, before=before)
        current.delete()
        _mark_if_published(shift)


# --- Planning: the solver ---------------------------------------------------------------------------


def start_solving(*, period: RosterPeriod, by: User | None, time_limit: int = 30) -> RosterPeriod:
    """Queue a solver run for the period (the task ``tasks.solve_period`` does the work).

    With the "immediate" task backend (tests) the run is over when this returns. The import runs one
    way: the task imports no service (the claim both make is ``rosters/solving.py``).
    """
    from xungkich.rosters import tasks  # imports the solver (OR-Tools): only when needed

    period = claim_for_solving(period=period, by=by, time_limit=time_limit)
    progress = period.solver_progress
    try:
        tasks.solve_period.enqueue(
            period.pk, time_limit, run=progress["run"], by_id=by.pk if by is not None else None
        )
    except Exception as exc:
        RosterPeriod.objects.filter(pk=period.pk, status=RosterPeriod.Status.SOLVING).update(
            status=progress["previous_status"],
            solver_progress={**progress, "stage": "failed", "error": str(exc)},
        )
        raise DomainError(
            _("The solver could not be started. Try again later."), "solver_unavailable"
        ) from exc
    period.refresh_from_db()
    return period


def cancel_solving(*, period: RosterPeriod, by: User | None) -> RosterPeriod:
    """Stop waiting for a run (a stuck or unwanted one): the period goes back to how it was; the
    run, if it still finishes, finds it cancelled and changes nothing."""
    with transaction.atomic():
        period = RosterPeriod.objects.select_for_update(of=("self",)).select_related("unit").get(pk=period.pk)
        if period.status != RosterPeriod.Status.SOLVING:
            raise DomainError(_("The solver is not working on this period."), "not_solving")
        progress = dict(period.solver_progress or {})
        period.status = progress.get("previous_status") or RosterPeriod.Status.DRAFT
        progress.update(stage="cancelled", updated_at=timezone.now().isoformat())
        period.solver_progress = progress
        period.save(update_fields=["status", "solver_progress"])
        log_action(
            actor=by,
            action="period.solve_cancel",
            obj=period,
            unit=period.unit,
            after={"run": progress.get("run")},
        )
    return period
