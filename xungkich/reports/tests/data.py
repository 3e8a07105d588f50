"""Random roster data with a seed, built through the roster services (no tests here)."""

from __future__ import annotations

import datetime as dt
import random

from xungkich.people import services as people_services
from xungkich.people.models import OrgUnit, Volunteer
from xungkich.places.models import ServicePoint
from xungkich.rosters import services as roster_services
from xungkich.rosters.models import Assignment, Shift
from xungkich.rosters.tests.test_attendance_data import TZ

DECEMBER = dt.date(2026, 12, 1)


def make_volunteers(unit: OrgUnit, count: int, prefix: str = "Tình nguyện") -> list[Volunteer]:
    return [
        people_services.create_volunteer(by=None, data={"full_name": f"{prefix} Viên {n}", "unit": unit})
        for n in range(count)
    ]


def make_roster(
    point: ServicePoint, *, start: dt.date = DECEMBER, days: int = 14, demand: int = 2, publish: bool = True
) -> list[Shift]:
    roster_services.create_shift_pattern(
        by=None,
        point=point,
        name="Sáng",
        weekdays=range(1, 8),
        start_time=dt.time(7, 30),
        end_time=dt.time(11, 30),
        demand=demand,
    )
    period = roster_services.create_period(
        by=None, unit=point.unit, name=f"Tháng {point.pk}", start=start, days=days
    )
    if publish:
        roster_services.publish_period(by=None, period=period)
    return list(period.shifts.order_by("start"))


def random_assignment_fields(rng: random.Random, shift: Shift) -> dict[str, object]:
    roll = rng.random()
    fields: dict[str, object] = {"status": rng.choice(list(Assignment.Status.values))}
    if roll < 0.6:
        check_in = shift.start + dt.timedelta(minutes=rng.randint(-20, 60))
        fields["check_in_at"] = check_in
        fields["late_minutes"] = max(0, rng.randint(-10, 30))
        if rng.random() < 0.7:
            fields["check_out_at"] = check_in + dt.timedelta(minutes=rng.randint(5, 300))
    elif roll < 0.8:
        fields["no_show"] = True
    return fields


def fill_randomly(rng: random.Random, shifts: list[Shift], volunteers: list[Volunteer]) -> list[Assignment]:
    made = []
    for shift in shifts:
        for volunteer in rng.sample(volunteers, rng.randint(0, min(4, len(volunteers)))):
            made.append(
                Assignment.objects.create(
                    shift=shift, volunteer=volunteer, **random_assignment_fields(rng, shift)
                )
            )
    return made


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(TZ).date()
