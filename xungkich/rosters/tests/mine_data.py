"""Test data for the volunteers' roster pages, built through the services (no fixtures of models)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from xungkich.people import services as people_services
from xungkich.people.models import OrgUnit, Skill, Volunteer
from xungkich.places import services as point_services
from xungkich.places.models import ServicePoint
from xungkich.rosters import services
from xungkich.rosters.models import Assignment, RosterPeriod, Shift, ShiftPattern

_counter = iter(range(1, 100000))


def tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def today() -> dt.date:
    return timezone.localdate()


@dataclass
class Roster:
    point: ServicePoint
    pattern: ShiftPattern
    period: RosterPeriod

    def shifts(self) -> list[Shift]:
        return list(self.period.shifts.order_by("start"))

    def shift_on(self, day: dt.date) -> Shift:
        return next(s for s in self.shifts() if s.start.astimezone(tz()).date() == day)


def make_point(
    unit: OrgUnit,
    name: str = "Trung tâm Phục vụ hành chính công Hội An",
    address: str = "12 Trần Hưng Đạo, Hội An",
) -> ServicePoint:
    return point_services.create_service_point(by=None, name=name, unit=unit, address=address)


def make_roster(
    unit: OrgUnit,
    *,
    point: ServicePoint | None = None,
    start: dt.date | None = None,
    days: int = 7,
    demand: int = 2,
    publish: bool = True,
    start_time: dt.time = dt.time(7, 30),
    end_time: dt.time = dt.time(11, 30),
    name: str = "Sáng",
    skill_needs: dict[str, int] | None = None,
    max_shifts_per_day: int = 1,
) -> Roster:
    point = point or make_point(unit)
    pattern = services.create_shift_pattern(
        by=None,
        point=point,
        name=name,
        weekdays=range(1, 8),
        start_time=start_time,
        end_time=end_time,
        demand=demand,
        skill_needs=skill_needs,
    )
    period = services.create_period(
        by=None,
        unit=unit,
        name=f"Lịch trực {next(_counter)}",
        start=start or today() + dt.timedelta(days=1),
        days=days,
        max_shifts_per_day=max_shifts_per_day,
    )
    if publish:
        period = services.publish_period(by=None, period=period)
    return Roster(point=point, pattern=pattern, period=period)


def skill(code: str) -> Skill:
    return Skill.objects.get_or_create(code=code, defaults={"name": code})[0]


def make_volunteer(
    unit: OrgUnit,
    name: str | None = None,
    *,
    email: str = "",
    skills: Iterable[str] = (),
    active: bool = True,
) -> Volunteer:
    n = next(_counter)
    volunteer = people_services.create_volunteer(
        by=None,
        data={
            "full_name": name or f"Tình nguyện viên {n}",
            "unit": unit,
            "phone": f"0912{n:06d}",
            "email": email,
        },
        skills=[skill(code) for code in skills],
    )
    if not active:
        Volunteer.objects.filter(pk=volunteer.pk).update(is_active=False)
        volunteer.refresh_from_db()
    return volunteer


def assign(shift: Shift, volunteer: Volunteer, status: str = Assignment.Status.PLANNED) -> Assignment:
    return Assignment.objects.create(shift=shift, volunteer=volunteer, status=status)
