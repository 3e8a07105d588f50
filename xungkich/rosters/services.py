"""Writes to service points, periods, shifts and assignments. Each owns its transaction and audits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xungkich.core.audit import log_action, snapshot
from xungkich.core.errors import DomainError
from xungkich.lib.vietnamese import clean_text
from xungkich.people.models import AdminUnit, OrgUnit, User, Volunteer
from xungkich.rosters.models import (
    Assignment,
    ClosedDay,
    RosterPeriod,
    RosterProfile,
    ServicePoint,
    Shift,
    ShiftPattern,
)

POINT_FIELDS = ["name", "kind", "address", "unit", "admin_unit", "opening_hours", "is_active"]
PERIOD_FIELDS = ["name", "unit", "start", "days", "status", "max_shifts_per_day", "min_rest_hours"]


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


# --- Service points ---------------------------------------------------------------------------


def create_service_point(
    *,
    by: User | None,
    name: str,
    unit: OrgUnit,
    kind: str = ServicePoint.Kind.CENTRE,
    address: str = "",
    admin_unit: AdminUnit | None = None,
    opening_hours: str = "",
) -> ServicePoint:
    name = clean_text(name)
    if not name:
        raise DomainError(_("A service point needs a name."), "point_name_required")
    with transaction.atomic():
        if ServicePoint.objects.filter(unit=unit, name=name).exists():
            raise DomainError(
                _("A service point named “%(name)s” already exists in this unit.") % {"name": name},
                "point_duplicate",
            )
        point = ServicePoint.objects.create(
            name=name,
            kind=kind,
            address=clean_text(address),
            unit=unit,
            admin_unit=admin_unit,
            opening_hours=clean_text(opening_hours),
        )
        log_action(actor=by, action="point.create", obj=point, unit=unit, after=snapshot(point, POINT_FIELDS))
    return point


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
    days = sorted({int(day) for day in weekdays})
    if not days or any(day < 1 or day > 7 for day in days):
        raise DomainError(_("Pick at least one weekday."), "pattern_weekdays")
    if end_time <= start_time:
        raise DomainError(_("A shift must end after it starts."), "pattern_times")
    if demand < 1:
        raise DomainError(_("The headcount must be at least 1."), "pattern_demand")
    needs = {code: int(count) for code, count in (skill_needs or {}).items() if int(count) > 0}
    if sum(needs.values()) > demand:
        raise DomainError(_("The skill needs add up to more people than the headcount."), "pattern_skills")
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
    if not 1 <= days <= 92:
        raise DomainError(_("A roster period lasts from 1 to 92 days."), "period_days")
    with transaction.atomic():
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
        period = RosterPeriod.objects.select_for_update().get(pk=period.pk)
        if period.status == RosterPeriod.Status.SOLVING:
            raise DomainError(_("Wait for the solver to finish before publishing."), "period_solving")
        before = snapshot(period, PERIOD_FIELDS)
        period.status = RosterPeriod.Status.PUBLISHED
        period.published_at = timezone.now()
        period.save(update_fields=["status", "published_at"])
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
