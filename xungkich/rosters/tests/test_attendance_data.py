"""Shared set-up for the attendance, hours and certificate tests (no tests here).

Data is built through the roster services (point, pattern, period, publish); assignments are
created directly, as the planning services would.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from xungkich.people.models import OrgUnit, Volunteer
from xungkich.places import services as point_services
from xungkich.places.models import ServicePoint
from xungkich.rosters import services
from xungkich.rosters.models import Assignment, RosterPeriod, Shift

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# A Monday; the morning shift is 07:30–11:30 local time.
DAY = dt.date(2026, 3, 2)
MORNING = (dt.time(7, 30), dt.time(11, 30))
AFTERNOON = (dt.time(13, 30), dt.time(17, 0))
POINT_NAME = "Trung tâm Phục vụ hành chính công phường Hội An"


def local(day: dt.date, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=TZ)


def make_point(unit: OrgUnit, name: str = POINT_NAME) -> ServicePoint:
    return point_services.create_service_point(by=None, name=name, unit=unit)


def make_shifts(
    point: ServicePoint,
    *,
    start: dt.date = DAY,
    days: int = 1,
    times: tuple[dt.time, dt.time] = MORNING,
    publish: bool = True,
    name: str = "Sáng",
) -> list[Shift]:
    """A pattern every day at ``times`` and a period of ``days`` days from ``start`` (published)."""
    pattern = services.create_shift_pattern(
        by=None,
        point=point,
        name=name,
        weekdays=range(1, 8),
        start_time=times[0],
        end_time=times[1],
        demand=3,
    )
    # One period per unit and run of days (periods over the same days and points are refused):
    # a later pattern's shifts join the period already there.
    period = RosterPeriod.objects.filter(unit=point.unit, start=start, days=days).first()
    if period is None:
        period = services.create_period(
            by=None, unit=point.unit, name=f"{name} {start:%d/%m} {pattern.pk}", start=start, days=days
        )
    else:
        services.generate_shifts(period=period)
    if publish and period.status != RosterPeriod.Status.PUBLISHED:
        services.publish_period(by=None, period=period)
    # Patterns made earlier generate shifts too; these tests want this pattern's only.
    return list(period.shifts.filter(pattern=pattern).order_by("start"))


def make_shift(point: ServicePoint, **kwargs: Any) -> Shift:
    return make_shifts(point, **kwargs)[0]


def assign(shift: Shift, volunteer: Volunteer, **fields: object) -> Assignment:
    fields.setdefault("status", Assignment.Status.CONFIRMED)
    return Assignment.objects.create(shift=shift, volunteer=volunteer, **fields)


def unpublish(shift: Shift) -> None:
    RosterPeriod.objects.filter(pk=shift.period_id).update(status=RosterPeriod.Status.DRAFT)
