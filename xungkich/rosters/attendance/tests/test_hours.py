"""Hours: the pure aggregation on plain rows, and the one-query selector."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from xungkich.people import services as people_services
from xungkich.people.models import Volunteer
from xungkich.rosters.attendance.hours import (
    AttendanceRow,
    HoursSummary,
    attendance_rows,
    desk_assignments,
    month_bounds,
    served_hours,
    served_minutes,
    summarise,
    total,
)
from xungkich.rosters.models import Assignment
from xungkich.rosters.tests.test_attendance_data import (
    AFTERNOON,
    DAY,
    assign,
    local,
    make_point,
    make_shift,
    make_shifts,
    unpublish,
)

# --- Pure -----------------------------------------------------------------------------------------


def row(
    *,
    pk: int = 1,
    volunteer: int = 1,
    name: str = "Nguyễn Văn An",
    start: tuple[int, int] = (7, 30),
    end: tuple[int, int] = (11, 30),
    check_in: tuple[int, int] | None = None,
    check_out: tuple[int, int] | None = None,
    late: int = 0,
    no_show: bool = False,
    day: dt.date = DAY,
) -> AttendanceRow:
    return AttendanceRow(
        assignment_id=pk,
        volunteer_id=volunteer,
        volunteer_name=name,
        point_name="Trung tâm",
        shift_start=local(day, *start),
        shift_end=local(day, *end),
        check_in_at=local(day, *check_in) if check_in else None,
        check_out_at=local(day, *check_out) if check_out else None,
        late_minutes=late,
        no_show=no_show,
    )


@pytest.mark.parametrize(
    ("check_in", "check_out", "minutes", "hours"),
    [
        ((7, 30), (11, 30), 240, "4.00"),  # the whole shift
        ((7, 0), (11, 30), 240, "4.00"),  # early arrival: capped to the shift's length
        ((7, 30), (13, 0), 240, "4.00"),  # stayed late: capped too
        ((7, 52), (11, 30), 218, "3.75"),  # 3 h 38 min → 3.75 (nearest quarter)
        ((7, 30), (9, 7), 97, "1.50"),  # 1 h 37 min → 1.5 (7 min rounds down)
        ((7, 30), (9, 8), 98, "1.75"),  # 1 h 38 min → 1.75 (8 min rounds up)
        ((7, 30), (7, 37), 7, "0.00"),
        ((7, 45), None, 225, "3.75"),  # no check-out: counts until the scheduled end
    ],
)
def test_served_hours(check_in, check_out, minutes, hours):
    item = row(check_in=check_in, check_out=check_out)
    assert served_minutes(item) == minutes
    assert served_hours(item) == Decimal(hours)
    assert item.hours == Decimal(hours)


def test_exactly_half_a_quarter_rounds_up():
    item = AttendanceRow(
        1, 1, "A", "P", local(DAY, 7, 30), local(DAY, 11, 30), local(DAY, 7, 30), local(DAY, 7, 37, 30)
    )
    assert served_minutes(item) == 7  # whole minutes, before rounding
    assert served_hours(item) == Decimal("0.00")
    item = AttendanceRow(
        1, 1, "A", "P", local(DAY, 7, 30), local(DAY, 11, 30), local(DAY, 7, 30), local(DAY, 7, 38)
    )
    assert served_hours(item) == Decimal("0.25")


def test_unserved_rows_count_nothing():
    assert served_hours(row()) == Decimal("0.00")
    assert row().counted_until is None
    assert served_hours(row(no_show=True)) == 0


def test_summarise_per_volunteer_and_total():
    rows = [
        row(pk=1, volunteer=2, name="Trần Thị Bình", check_in=(7, 30), check_out=(11, 30)),
        row(pk=2, volunteer=1, name="Nguyễn Văn An", check_in=(7, 50), check_out=(11, 30), late=20),
        row(pk=3, volunteer=1, name="Nguyễn Văn An", start=(13, 30), end=(17, 0), check_in=(13, 30)),
        row(pk=4, volunteer=1, name="Nguyễn Văn An", day=DAY + dt.timedelta(days=1), no_show=True),
        row(pk=5, volunteer=2, name="Trần Thị Bình", day=DAY + dt.timedelta(days=9)),  # still to come
    ]
    an, binh = summarise(rows)
    # An: 07:50–11:30 (3 h 40 → 3.75) and 13:30 until the scheduled 17:00 (3.5); one late, one no-show.
    assert an == HoursSummary(
        volunteer_id=1,
        volunteer_name="Nguyễn Văn An",
        shifts=3,
        served=2,
        hours=Decimal("7.25"),
        late=1,
        late_minutes=20,
        no_shows=1,
    )
    assert binh.volunteer_name == "Trần Thị Bình"
    assert (binh.shifts, binh.served, binh.hours, binh.late, binh.no_shows) == (2, 1, Decimal("4.00"), 0, 0)
    overall = total(rows, "Tất cả")
    assert overall.volunteer_id is None and overall.volunteer_name == "Tất cả"
    assert overall.hours == an.hours + binh.hours
    assert (overall.shifts, overall.served, overall.late, overall.no_shows) == (5, 3, 1, 1)


def test_totals_add_up_the_rounded_rows():
    rows = [row(pk=i, check_in=(7, 30), check_out=(9, 8)) for i in range(3)]  # 1.75 each
    assert total(rows).hours == Decimal("5.25")
    assert sum(r.hours for r in rows) == total(rows).hours


def test_an_empty_list():
    assert summarise([]) == []
    assert total([]) == HoursSummary(None, "")


@pytest.mark.parametrize(
    ("day", "bounds"),
    [
        (dt.date(2026, 3, 15), (dt.date(2026, 3, 1), dt.date(2026, 3, 31))),
        (dt.date(2028, 2, 29), (dt.date(2028, 2, 1), dt.date(2028, 2, 29))),
        (dt.date(2026, 12, 31), (dt.date(2026, 12, 1), dt.date(2026, 12, 31))),
    ],
)
def test_month_bounds(day, bounds):
    assert month_bounds(day) == bounds


# --- Selector -------------------------------------------------------------------------------------


@pytest.fixture
def served(units, volunteer):
    """Three days of mornings and afternoons; a draft period; a neighbour's shift."""
    point = make_point(units["hoian"])
    mornings = make_shifts(point, days=3)
    afternoons = make_shifts(point, days=3, times=AFTERNOON, name="Chiều")
    rows = []
    for shift in mornings:
        rows.append(
            assign(
                shift, volunteer, check_in_at=shift.start, check_out_at=shift.end - dt.timedelta(minutes=20)
            )
        )
    rows.append(
        assign(
            afternoons[0],
            volunteer,
            check_in_at=afternoons[0].start + dt.timedelta(minutes=9),
            late_minutes=9,
        )
    )
    rows.append(assign(afternoons[1], volunteer, no_show=True))
    rows.append(assign(afternoons[2], volunteer, status=Assignment.Status.CANT_COME))
    # After the published days: a period over the same days and points is refused.
    draft = make_shift(point, start=DAY + dt.timedelta(days=3), name="Tối", times=(dt.time(18), dt.time(20)))
    unpublish(draft)
    assign(draft, volunteer, check_in_at=draft.start, check_out_at=draft.end)
    people_services.create_volunteer(by=None, data={"full_name": "Trần Thị Bình", "unit": units["branch"]})
    other = Volunteer.objects.get(full_name="Trần Thị Bình")
    assign(mornings[0], other, check_in_at=mornings[0].start, check_out_at=mornings[0].end)
    return {"point": point, "other": other, "mornings": mornings, "afternoons": afternoons}


def test_rows_in_one_query(served, volunteer, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = attendance_rows(volunteer=volunteer, start=DAY, end=DAY + dt.timedelta(days=30))
    # Draft period and "can't come" are left out; no-shows and unserved holding ones stay.
    assert len(rows) == 5
    assert all(isinstance(r, AttendanceRow) for r in rows)
    assert [r.shift_start for r in rows] == sorted(r.shift_start for r in rows)
    summary = total(rows)
    assert summary.served == 4
    # Mornings 3 h 40 → 3.75 each; the afternoon 13:39 until the scheduled 17:00, 3 h 21 → 3.25.
    assert summary.hours == Decimal("3.75") * 3 + Decimal("3.25")
    assert summary.late == 1 and summary.no_shows == 1


def test_the_date_range_is_local_and_inclusive(served, volunteer):
    first_day = attendance_rows(volunteer=volunteer, start=DAY, end=DAY)
    assert {r.shift_start.astimezone(local(DAY, 0).tzinfo).date() for r in first_day} == {DAY}
    assert len(first_day) == 2
    assert (
        attendance_rows(volunteer=volunteer, start=DAY - dt.timedelta(days=5), end=DAY - dt.timedelta(days=1))
        == []
    )
    last_morning = attendance_rows(volunteer=volunteer, start=DAY + dt.timedelta(days=2))
    assert len(last_morning) == 1
    assert len(attendance_rows(volunteer=volunteer, served_only=True)) == 4


def test_rows_for_a_set_of_volunteers_and_a_period(served, volunteer, django_assert_num_queries):
    everyone = Volunteer.objects.filter(unit__path__startswith=volunteer.unit.path)
    with django_assert_num_queries(1):
        rows = attendance_rows(volunteers=everyone, start=DAY, end=DAY)
    assert {r.volunteer_name for r in rows} == {"Nguyễn Văn An", "Trần Thị Bình"}
    by_name = {s.volunteer_name: s for s in summarise(rows)}
    assert by_name["Trần Thị Bình"].hours == Decimal("4.00")
    period = served["mornings"][0].period
    # One period holds the mornings and afternoons: An's three mornings and two afternoons (not
    # the one she can't come to), Bình's morning.
    assert len(attendance_rows(period=period)) == 6


def test_desk_assignments_for_a_day(served, django_assert_num_queries):
    with django_assert_num_queries(1):
        items = list(desk_assignments(point=served["point"], day=DAY))
        names = [(a.shift.start, a.volunteer.full_name, a.volunteer.unit.name) for a in items]
    assert len(names) == 3  # two mornings (An, Bình) and An's afternoon
    assert names == sorted(names)
