"""Synthetic load for benchmarks: units, points, help sessions, shifts and assignments.

Rows go in by COPY on PostgreSQL (psycopg 3's ``cursor.copy``) and by ``bulk_create`` in batches
elsewhere; a progress bar goes to stderr. The figures are realistic in shape (see ``synthetic``),
not real: every unit made here is named "… (tải thử)" so that nobody mistakes them for real ones.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any, TextIO

from django.db import connection, transaction
from django.utils import timezone

from xungkich.helpdesk.models import HelpSession
from xungkich.people import services as people_services
from xungkich.people.models import AdminUnit, OrgUnit, Volunteer
from xungkich.places.models import ServicePoint
from xungkich.reports.synthetic import Place, SessionMaker
from xungkich.rosters.attendance.hours import local_tz
from xungkich.rosters.models import Assignment, RosterPeriod, Shift

BATCH = 5000
SESSION_COLUMNS = (
    "unit_id",
    "point_id",
    "helped_on",
    "place_kind",
    "need",
    "procedure_code",
    "procedure_name",
    "channel",
    "outcome",
    "failure_reason",
    "duration_minutes",
    "age_band",
    "gender",
    "ward_id",
    "first_online",
    "performed_by",
)
FIXED = {
    "created_at": None,  # filled with "now"
    "updated_at": None,
    "place_text": "",
    "notes": "",
    "tracking_consent_version": "",
    "dossier_code": "",
    "tracking_state": "",
}


@dataclass
class Progress:
    label: str
    total: int
    out: TextIO = sys.stderr
    done: int = 0
    started: float = 0.0

    def __post_init__(self) -> None:
        self.started = time.monotonic()

    def add(self, count: int) -> None:
        self.done += count
        width = 30
        share = self.done / self.total if self.total else 1.0
        filled = int(width * share)
        elapsed = time.monotonic() - self.started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        bar = "#" * filled + "." * (width - filled)
        self.out.write(f"\r{self.label} [{bar}] {self.done:,}/{self.total:,} ({rate:,.0f}/s)")
        self.out.flush()

    def finish(self) -> None:
        self.out.write("\n")
        self.out.flush()


def make_tree(*, wards: int, points_per_ward: int) -> tuple[OrgUnit, list[Place], list[ServicePoint]]:
    """A city unit with ``wards`` ward units, each with its points (made once, reused after)."""
    city = OrgUnit.objects.filter(name="Thành đoàn (tải thử)", parent__isnull=True).first()
    if city is None:
        city = people_services.create_unit(
            by=None, name="Thành đoàn (tải thử)", kind=OrgUnit.Kind.CITY, parent=None
        )
    places: list[Place] = []
    points: list[ServicePoint] = []
    for number in range(1, wards + 1):
        name = f"Đoàn phường {number:02d} (tải thử)"
        ward = OrgUnit.objects.filter(parent=city, name=name).first() or people_services.create_unit(
            by=None, name=name, kind=OrgUnit.Kind.BASE, parent=city
        )
        for index in range(1, points_per_ward + 1):
            point, _created = ServicePoint.objects.get_or_create(
                unit=ward, name=f"Điểm hỗ trợ {number:02d}.{index}"
            )
            points.append(point)
            places.append(Place(ward.pk, point.pk))
        places.append(Place(ward.pk, None))  # door-to-door help
    return city, places, points


def ward_ids() -> list[int]:
    ids = list(AdminUnit.objects.exclude(kind=AdminUnit.Kind.PROVINCE).values_list("pk", flat=True)[:94])
    if ids:
        return ids
    made = [
        AdminUnit.objects.get_or_create(
            code=f"99{n:03d}", defaults={"name": f"Phường thử {n}", "kind": "ward"}
        )[0]
        for n in range(1, 21)
    ]
    return [unit.pk for unit in made]


def session_rows(
    rng: random.Random, *, places: list[Place], wards: list[int], end: dt.date, days: int, count: int
) -> Iterator[tuple[Any, ...]]:
    maker = SessionMaker(rng, places=places, ward_ids=wards)
    first = end - dt.timedelta(days=days - 1)
    for n in range(count):
        day = first + dt.timedelta(days=n * days // count)  # evenly spread, in date order
        row = maker.row(day)
        yield tuple(row[column] for column in SESSION_COLUMNS)


def insert_sessions(rows: Iterator[tuple[Any, ...]], progress: Callable[[int], None]) -> int:
    now = timezone.now()
    fixed = {**FIXED, "created_at": now, "updated_at": now}
    columns = list(SESSION_COLUMNS) + list(fixed)
    extra = tuple(fixed.values())
    written = 0
    if connection.vendor == "postgresql":
        table = HelpSession._meta.db_table
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with transaction.atomic(), connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg's own cursor
            with raw.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row + extra)
                    written += 1
                    if written % BATCH == 0:
                        progress(BATCH)
        progress(written % BATCH)
        return written
    while batch := list(islice(rows, BATCH)):
        with transaction.atomic():
            HelpSession.objects.bulk_create(
                [HelpSession(**dict(zip(columns, row + extra, strict=True))) for row in batch],
                batch_size=BATCH,
            )
        written += len(batch)
        progress(len(batch))
    return written


def make_roster(
    rng: random.Random,
    *,
    city: OrgUnit,
    points: list[ServicePoint],
    end: dt.date,
    days: int,
    per_point: int = 6,
) -> tuple[int, int]:
    """A published period per ward unit, two shifts a day per point, volunteers with check-ins."""
    tz = local_tz()
    first = end - dt.timedelta(days=days - 1)
    shifts_made = assignments_made = 0
    by_unit: dict[int, list[ServicePoint]] = {}
    for point in points:
        by_unit.setdefault(point.unit_id, []).append(point)
    for unit_id, unit_points in by_unit.items():
        volunteers = list(Volunteer.objects.filter(unit_id=unit_id).values_list("pk", flat=True))
        if not volunteers:
            Volunteer.objects.bulk_create(
                [
                    Volunteer(
                        full_name=f"Tình nguyện viên {unit_id}-{n}",
                        unit_id=unit_id,
                        search_key=f"tnv {unit_id} {n}",
                        sort_key=f"{n}",
                    )
                    for n in range(per_point * len(unit_points))
                ]
            )
            volunteers = list(Volunteer.objects.filter(unit_id=unit_id).values_list("pk", flat=True))
        start = first
        while start <= end:
            length = min(92, (end - start).days + 1)
            period = RosterPeriod.objects.create(
                unit_id=unit_id,
                name=f"Tải thử {start:%d/%m/%Y}",
                start=start,
                days=length,
                status=RosterPeriod.Status.PUBLISHED,
            )
            shifts = []
            for offset in range(length):
                day = start + dt.timedelta(days=offset)
                for point in unit_points:
                    for name, (begin, finish) in (("Sáng", (7, 11)), ("Chiều", (13, 17))):
                        shifts.append(
                            Shift(
                                period=period,
                                point=point,
                                code=f"P{point.pk}-{day:%Y-%m-%d}-{name}",
                                name=name,
                                start=dt.datetime.combine(day, dt.time(begin, 30), tzinfo=tz),
                                end=dt.datetime.combine(day, dt.time(finish, 30), tzinfo=tz),
                                demand=2,
                            )
                        )
            Shift.objects.bulk_create(shifts, batch_size=BATCH)
            made = []
            for shift in Shift.objects.filter(period=period).values_list("pk", "start", "end"):
                for volunteer in rng.sample(volunteers, min(len(volunteers), rng.choice((1, 2, 2, 2, 3)))):
                    roll = rng.random()
                    check_in = shift[1] + dt.timedelta(minutes=rng.randint(-10, 25)) if roll < 0.85 else None
                    made.append(
                        Assignment(
                            shift_id=shift[0],
                            volunteer_id=volunteer,
                            status=Assignment.Status.CONFIRMED,
                            check_in_at=check_in,
                            check_out_at=shift[2] - dt.timedelta(minutes=rng.randint(0, 40))
                            if check_in
                            else None,
                            late_minutes=max(0, int((check_in - shift[1]).total_seconds() // 60) - 10)
                            if check_in
                            else 0,
                            no_show=check_in is None and roll > 0.95,
                        )
                    )
            Assignment.objects.bulk_create(made, batch_size=BATCH)
            shifts_made += len(shifts)
            assignments_made += len(made)
            start += dt.timedelta(days=length)
    return shifts_made, assignments_made


def make_campaign_activities(rng: random.Random, *, city: OrgUnit, end: dt.date, days: int) -> int:
    """A campaign per ward unit over the period, with about two outreach activities a week."""
    from xungkich.campaigns.models import Activity, Campaign

    first = end - dt.timedelta(days=days - 1)
    made = []
    for ward in OrgUnit.objects.filter(parent=city):
        campaign, _created = Campaign.objects.get_or_create(
            unit=ward,
            name=f"Chiến dịch chuyển đổi số (tải thử) {ward.pk}",
            defaults={"start_date": first, "end_date": end},
        )
        for offset in range(0, days, 3):
            made.append(
                Activity(
                    campaign=campaign,
                    kind=rng.choice(list(Activity.Kind.values)),
                    title="Tuyên truyền dịch vụ công trực tuyến",
                    date=first + dt.timedelta(days=offset),
                    participants_count=rng.randint(3, 25),
                    people_reached=rng.randint(20, 400),
                    materials_count=rng.randint(0, 15),
                    citizens_helped=rng.randint(0, 30),
                )
            )
    Activity.objects.bulk_create(made, batch_size=BATCH)
    return len(made)


def generate(
    *,
    sessions: int,
    days: int,
    wards: int,
    points_per_ward: int,
    end: dt.date,
    seed: int,
    roster: bool,
    out: TextIO,
) -> dict[str, int]:
    rng = random.Random(seed)
    city, places, points = make_tree(wards=wards, points_per_ward=points_per_ward)
    progress = Progress("help sessions", sessions, out)
    written = insert_sessions(
        session_rows(rng, places=places, wards=ward_ids(), end=end, days=days, count=sessions), progress.add
    )
    progress.finish()
    shifts = assignments = activities = 0
    if roster:
        shifts, assignments = make_roster(rng, city=city, points=points, end=end, days=days)
        activities = make_campaign_activities(rng, city=city, end=end, days=days)
    return {
        "city": city.pk,
        "sessions": written,
        "shifts": shifts,
        "assignments": assignments,
        "activities": activities,
    }
