"""Hours served: a pure aggregation over plain rows, and the selectors that fetch those rows.

What counts (the certificate and every hours page use these rules):

- only shifts of **published** periods, and only assignments that hold a place (planned, confirmed,
  offered) or that were checked in;
- a shift's hours are the time actually checked in: from check-in to check-out, or to the scheduled
  end when nobody checked out; capped to the shift's scheduled length (coming an hour early to a
  four-hour shift still counts four hours) and never below zero;
- hours are **credited** only once known: at check-out, or when the shift has ended; a volunteer
  on duty now, or on a shift still to come, has 0 hours for it so far (every reader takes ``now``:
  the hours pages, the certificate, the dashboard and the reports);
- each shift's hours are rounded to the nearest quarter hour (7.5 min and more rounds up), then
  summed, so a statement's rows always add up to its total;
- a shift is *served* when there was a check-in; *late* when ``late_minutes`` > 0 (the grace is
  applied at check-in, see ``attendance.LATE_GRACE_MINUTES``); a *no-show* when flagged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from xungkich.core.days import local_tz
from xungkich.people.models import Volunteer
from xungkich.places.models import ServicePoint
from xungkich.rosters.models import Assignment, RosterPeriod
from xungkich.rosters.rules import HOLDING

QUARTER_MINUTES = 15


@dataclass(frozen=True)
class AttendanceRow:
    """One assignment as the hours need it (plain values, no model instances)."""

    assignment_id: int
    volunteer_id: int
    volunteer_name: str
    point_name: str
    shift_start: dt.datetime
    shift_end: dt.datetime
    check_in_at: dt.datetime | None = None
    check_out_at: dt.datetime | None = None
    late_minutes: int = 0
    no_show: bool = False

    @property
    def served(self) -> bool:
        return self.check_in_at is not None

    def credited_until(self, now: dt.datetime | None = None) -> dt.datetime | None:
        """Check-out, or the scheduled end once it has passed (None: not served, or not over yet)."""
        if self.check_in_at is None:
            return None
        if self.check_out_at is not None:
            return self.check_out_at
        return self.shift_end if self.shift_end <= (now or timezone.now()) else None

    @property
    def counted_until(self) -> dt.datetime | None:
        return self.credited_until()

    @property
    def hours(self) -> Decimal:
        return served_hours(self)


@dataclass(frozen=True)
class HoursSummary:
    volunteer_id: int | None
    volunteer_name: str
    shifts: int = 0  # rows seen: served, missed and still to come
    served: int = 0
    hours: Decimal = Decimal(0)
    late: int = 0
    late_minutes: int = 0
    no_shows: int = 0


def served_minutes(row: AttendanceRow, now: dt.datetime | None = None) -> int:
    """Checked-in minutes credited for one shift by ``now`` (default: the current time), unrounded."""
    until = row.credited_until(now)
    if row.check_in_at is None or until is None:
        return 0
    scheduled = (row.shift_end - row.shift_start).total_seconds() / 60
    actual = (until - row.check_in_at).total_seconds() / 60
    return int(max(0.0, min(actual, scheduled)))


def served_hours(row: AttendanceRow, now: dt.datetime | None = None) -> Decimal:
    quarters = (Decimal(served_minutes(row, now)) / QUARTER_MINUTES).quantize(
        Decimal(1), rounding=ROUND_HALF_UP
    )
    return (quarters / 4).quantize(Decimal("0.01"))


def _add(summary: HoursSummary, row: AttendanceRow) -> HoursSummary:
    return HoursSummary(
        volunteer_id=summary.volunteer_id,
        volunteer_name=summary.volunteer_name,
        shifts=summary.shifts + 1,
        served=summary.served + (1 if row.served else 0),
        hours=summary.hours + served_hours(row),
        late=summary.late + (1 if row.served and row.late_minutes > 0 else 0),
        late_minutes=summary.late_minutes + (row.late_minutes if row.served else 0),
        no_shows=summary.no_shows + (1 if row.no_show and not row.served else 0),
    )


def summarise(rows: Iterable[AttendanceRow]) -> list[HoursSummary]:
    """One summary per volunteer, by name."""
    by_volunteer: dict[int, HoursSummary] = {}
    for row in rows:
        current = by_volunteer.get(row.volunteer_id) or HoursSummary(row.volunteer_id, row.volunteer_name)
        by_volunteer[row.volunteer_id] = _add(current, row)
    return sorted(by_volunteer.values(), key=lambda s: (s.volunteer_name, s.volunteer_id or 0))


def total(rows: Iterable[AttendanceRow], label: str = "") -> HoursSummary:
    result = HoursSummary(None, label)
    for row in rows:
        result = _add(result, row)
    return result


# --- Dates --------------------------------------------------------------------------------------


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of ``day``'s month."""
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def _day_range(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = local_tz()
    return (
        dt.datetime.combine(start, dt.time(), tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=tz),
    )


# --- Selectors ----------------------------------------------------------------------------------

_ROW_FIELDS = (
    "pk",
    "volunteer_id",
    "volunteer__full_name",
    "shift__point__name",
    "shift__start",
    "shift__end",
    "check_in_at",
    "check_out_at",
    "late_minutes",
    "no_show",
)


def counting_assignments() -> QuerySet[Assignment]:
    """Assignments that count for hours: published periods; holding a place or checked in."""
    return Assignment.objects.filter(shift__period__status=RosterPeriod.Status.PUBLISHED).filter(
        Q(status__in=HOLDING) | Q(check_in_at__isnull=False)
    )


def attendance_rows(
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    volunteer: Volunteer | None = None,
    volunteers: QuerySet[Volunteer] | None = None,
    period: RosterPeriod | None = None,
    served_only: bool = False,
) -> list[AttendanceRow]:
    """The rows for one volunteer or a set of them, between two local dates (inclusive), in one query."""
    queryset = counting_assignments()
    if start is not None:
        queryset = queryset.filter(shift__start__gte=_day_range(start, start)[0])
    if end is not None:
        queryset = queryset.filter(shift__start__lt=_day_range(end, end)[1])
    if volunteer is not None:
        queryset = queryset.filter(volunteer=volunteer)
    if volunteers is not None:
        queryset = queryset.filter(volunteer__in=volunteers.values("pk"))
    if period is not None:
        queryset = queryset.filter(shift__period=period)
    if served_only:
        queryset = queryset.filter(check_in_at__isnull=False)
    values = queryset.order_by("shift__start", "volunteer__full_name", "pk").values_list(*_ROW_FIELDS)
    return [
        AttendanceRow(
            assignment_id=pk,
            volunteer_id=volunteer_id,
            volunteer_name=name,
            point_name=point_name,
            shift_start=shift_start,
            shift_end=shift_end,
            check_in_at=check_in_at,
            check_out_at=check_out_at,
            late_minutes=late,
            no_show=no_show,
        )
        for (
            pk,
            volunteer_id,
            name,
            point_name,
            shift_start,
            shift_end,
            check_in_at,
            check_out_at,
            late,
            no_show,
        ) in values
    ]


def desk_assignments(*, point: ServicePoint, day: dt.date) -> QuerySet[Assignment]:
    """The desk's list: who is on at ``point`` on ``day`` (published periods, holding a place)."""
    since, until = _day_range(day, day)
    return (
        counting_assignments()
        .filter(shift__point=point, shift__start__gte=since, shift__start__lt=until)
        .select_related("shift", "volunteer", "volunteer__unit")
        .order_by("shift__start", "volunteer__full_name", "pk")
    )
