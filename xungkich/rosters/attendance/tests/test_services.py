"""Check-in, check-out and no-shows (xungkich.rosters.attendance.services)."""

from __future__ import annotations

import datetime as dt

import pytest
from freezegun import freeze_time

from xungkich.core.errors import DomainError
from xungkich.core.models import AuditEntry
from xungkich.places.models import ServicePoint
from xungkich.rosters.attendance import services as attendance
from xungkich.rosters.models import Assignment
from xungkich.rosters.tests.test_attendance_data import (
    AFTERNOON,
    DAY,
    assign,
    local,
    make_point,
    make_shift,
    unpublish,
)


@pytest.fixture
def point(units):
    return make_point(units["hoian"])


@pytest.fixture
def shift(point):
    return make_shift(point)  # DAY 07:30–11:30


@pytest.fixture
def assignment(shift, volunteer):
    return assign(shift, volunteer)


def scan_in(volunteer, point, at):
    with freeze_time(at):
        return attendance.check_in_at_point(volunteer=volunteer, point=point, by=volunteer.user)


def scan_out(volunteer, point, at):
    with freeze_time(at):
        return attendance.check_out_at_point(volunteer=volunteer, point=point, by=volunteer.user)


def code_of(excinfo: pytest.ExceptionInfo[DomainError]) -> str:
    return excinfo.value.code


def test_on_time_check_in_is_recorded_and_audited(volunteer, point, assignment, volunteer_user):
    done = scan_in(volunteer, point, local(DAY, 7, 20))
    assert done.pk == assignment.pk
    assignment.refresh_from_db()
    assert assignment.check_in_at == local(DAY, 7, 20)
    assert assignment.late_minutes == 0
    entry = AuditEntry.objects.get(action="assignment.check_in", object_id=str(assignment.pk))
    assert entry.actor == volunteer_user
    assert entry.before is not None and entry.after is not None
    assert entry.before["check_in_at"] is None
    assert dt.datetime.fromisoformat(entry.after["check_in_at"]) == local(DAY, 7, 20)


@pytest.mark.parametrize(
    ("minute", "second", "late"),
    [
        (30, 0, 0),  # on the dot
        (34, 59, 0),
        (35, 0, 0),  # 5 minutes: the grace still counts as on time
        (35, 59, 0),
        (36, 0, 6),  # beyond the grace the whole delay counts
        (50, 0, 20),
    ],
)
def test_lateness_and_grace(volunteer, point, assignment, minute, second, late):
    assert attendance.LATE_GRACE_MINUTES == 5
    done = scan_in(volunteer, point, local(DAY, 7, minute, second))
    assert done.late_minutes == late


def test_late_minutes_for_is_plain_arithmetic():
    start = local(DAY, 7, 30)
    assert attendance.late_minutes_for(start, start - dt.timedelta(minutes=45)) == 0
    assert attendance.late_minutes_for(start, start + dt.timedelta(minutes=5)) == 0
    assert attendance.late_minutes_for(start, start + dt.timedelta(minutes=6)) == 6
    assert attendance.late_minutes_for(start, start + dt.timedelta(hours=2)) == 120


def test_check_in_opens_sixty_minutes_before_the_start(volunteer, point, assignment):
    with pytest.raises(DomainError) as excinfo:
        scan_in(volunteer, point, local(DAY, 6, 29))
    assert code_of(excinfo) == "checkin_no_shift"
    # Asked directly (the desk), the window rule answers for itself.
    with freeze_time(local(DAY, 6, 29)), pytest.raises(DomainError) as excinfo:
        attendance.check_in(assignment=assignment, by=None)
    assert code_of(excinfo) == "checkin_too_early"
    done = scan_in(volunteer, point, local(DAY, 6, 30))
    assert done.check_in_at == local(DAY, 6, 30)
    assert done.late_minutes == 0


def test_no_shift_now_after_the_end_or_at_another_point(volunteer, point, assignment, units):
    with pytest.raises(DomainError) as excinfo:
        scan_in(volunteer, point, local(DAY, 11, 30))
    assert code_of(excinfo) == "checkin_no_shift"
    other = make_point(units["hoian"], "Điểm hỗ trợ khối phố Sơn Phong")
    with pytest.raises(DomainError) as excinfo:
        scan_in(volunteer, other, local(DAY, 8, 0))
    assert code_of(excinfo) == "checkin_no_shift"
    assert "Sơn Phong" in str(excinfo.value)
    with freeze_time(local(DAY, 11, 30)), pytest.raises(DomainError) as excinfo:
        attendance.check_in(assignment=assignment, by=None)
    assert code_of(excinfo) == "checkin_shift_over"


def test_double_check_in_is_refused(volunteer, point, assignment):
    scan_in(volunteer, point, local(DAY, 7, 25))
    with pytest.raises(DomainError) as excinfo:
        scan_in(volunteer, point, local(DAY, 7, 40))
    assert code_of(excinfo) == "checkin_already"
    assert "07:25" in str(excinfo.value)
    assignment.refresh_from_db()
    assert assignment.check_in_at == local(DAY, 7, 25)
    assert AuditEntry.objects.filter(action="assignment.check_in").count() == 1


def test_check_out_before_check_in_is_refused(volunteer, point, assignment, coordinator):
    with pytest.raises(DomainError) as excinfo:
        scan_out(volunteer, point, local(DAY, 8, 0))
    assert code_of(excinfo) == "checkout_not_checked_in"
    scan_in(volunteer, point, local(DAY, 7, 40))
    with freeze_time(local(DAY, 9, 0)), pytest.raises(DomainError) as excinfo:
        attendance.check_out(assignment=assignment, by=coordinator, at=local(DAY, 7, 39))
    assert code_of(excinfo) == "checkout_before_checkin"
    with freeze_time(local(DAY, 9, 0)), pytest.raises(DomainError) as excinfo:
        attendance.check_out(assignment=assignment, by=coordinator, at=local(DAY, 7, 40))
    assert code_of(excinfo) == "checkout_before_checkin"
    assignment.refresh_from_db()
    assert assignment.check_out_at is None


def test_check_out_then_again(volunteer, point, assignment):
    scan_in(volunteer, point, local(DAY, 7, 28))
    done = scan_out(volunteer, point, local(DAY, 11, 31))  # after the end: still their open shift
    assert done.check_out_at == local(DAY, 11, 31)
    assert AuditEntry.objects.filter(action="assignment.check_out", object_id=str(assignment.pk)).exists()
    # Done and past the end: the poster has nothing more for them.
    with pytest.raises(DomainError) as excinfo:
        scan_out(volunteer, point, local(DAY, 11, 35))
    assert code_of(excinfo) == "checkin_no_shift"


def test_double_check_out_is_refused(volunteer, point, assignment):
    scan_in(volunteer, point, local(DAY, 7, 28))
    scan_out(volunteer, point, local(DAY, 10, 0))
    with pytest.raises(DomainError) as excinfo:
        scan_out(volunteer, point, local(DAY, 10, 5))
    assert code_of(excinfo) == "checkout_already"
    assignment.refresh_from_db()
    assert assignment.check_out_at == local(DAY, 10, 0)


def test_a_coordinator_sets_a_forgotten_check_out_with_the_real_time(
    volunteer, point, assignment, coordinator
):
    scan_in(volunteer, point, local(DAY, 7, 30))
    with freeze_time(local(DAY, 15, 0)):
        attendance.check_out(assignment=assignment, by=coordinator, at=local(DAY, 11, 15))
    assignment.refresh_from_db()
    assert assignment.check_out_at == local(DAY, 11, 15)
    entry = AuditEntry.objects.get(action="assignment.check_out")
    assert entry.actor == coordinator


def test_times_in_the_future_are_refused(assignment, coordinator):
    with freeze_time(local(DAY, 7, 0)), pytest.raises(DomainError) as excinfo:
        attendance.check_in(assignment=assignment, by=coordinator, at=local(DAY, 7, 45))
    assert code_of(excinfo) == "attendance_future_time"


def test_a_coordinator_records_a_late_arrival_afterwards(assignment, coordinator):
    with freeze_time(local(DAY, 10, 0)):
        done = attendance.check_in(assignment=assignment, by=coordinator, at=local(DAY, 7, 52))
    assert done.late_minutes == 22


def test_unpublished_and_given_up_shifts_do_not_count(volunteer, point, shift, assignment):
    unpublish(shift)
    with pytest.raises(DomainError) as excinfo:
        scan_in(volunteer, point, local(DAY, 7, 30))
    assert code_of(excinfo) == "checkin_no_shift"
    with freeze_time(local(DAY, 7, 30)), pytest.raises(DomainError) as excinfo:
        attendance.check_in(assignment=assignment, by=None)
    assert code_of(excinfo) == "attendance_not_published"

    shift.period.status = "published"
    shift.period.save(update_fields=["status"])
    Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.Status.CANT_COME)
    with freeze_time(local(DAY, 7, 30)), pytest.raises(DomainError) as excinfo:
        attendance.check_in(assignment=assignment, by=None)
    assert code_of(excinfo) == "attendance_not_holding"


def test_the_scan_prefers_the_open_check_in_then_the_next_shift(volunteer, point, assignment):
    afternoon = make_shift(point, times=AFTERNOON, name="Chiều")
    later = assign(afternoon, volunteer)
    scan_in(volunteer, point, local(DAY, 7, 30))
    # 12:45: the morning is still open (forgot to check out) and the afternoon window is open.
    found = attendance.current_assignment(volunteer=volunteer, point=point, now=local(DAY, 12, 45))
    assert found == assignment
    scan_out(volunteer, point, local(DAY, 12, 45))
    found = attendance.current_assignment(volunteer=volunteer, point=point, now=local(DAY, 12, 46))
    assert found == later
    # Nothing open and no window: nothing.
    assert attendance.current_assignment(volunteer=volunteer, point=point, now=local(DAY, 12, 20)) is None


def test_the_scan_shows_a_finished_shift_in_its_window(volunteer, point, assignment):
    scan_in(volunteer, point, local(DAY, 7, 30))
    scan_out(volunteer, point, local(DAY, 9, 0))
    found = attendance.current_assignment(volunteer=volunteer, point=point, now=local(DAY, 9, 5))
    assert found == assignment
    with pytest.raises(DomainError) as excinfo:
        scan_in(volunteer, point, local(DAY, 9, 5))
    assert code_of(excinfo) == "checkin_already"


def test_mark_no_show_by_hand(assignment, coordinator):
    with pytest.raises(DomainError) as excinfo:
        attendance.mark_no_show(assignment=assignment, by=coordinator, now=local(DAY, 7, 0))
    assert code_of(excinfo) == "noshow_too_early"
    done = attendance.mark_no_show(assignment=assignment, by=coordinator, now=local(DAY, 8, 0))
    assert done.no_show is True
    assert AuditEntry.objects.filter(action="assignment.no_show", actor=coordinator).count() == 1
    with pytest.raises(DomainError) as excinfo:
        attendance.mark_no_show(assignment=assignment, by=coordinator, now=local(DAY, 8, 5))
    assert code_of(excinfo) == "noshow_already"
    # They turn up after all: the check-in clears the flag.
    with freeze_time(local(DAY, 8, 10)):
        done = attendance.check_in(assignment=assignment, by=coordinator)
    assert done.no_show is False
    assert done.late_minutes == 40
    with pytest.raises(DomainError) as excinfo:
        attendance.mark_no_show(assignment=assignment, by=coordinator, now=local(DAY, 8, 15))
    assert code_of(excinfo) == "noshow_checked_in"


def test_rotating_the_token_changes_it_and_audits_without_the_secret(point, coordinator):
    old = point.checkin_token
    rotated = attendance.rotate_checkin_token(point=point, by=coordinator)
    assert rotated.checkin_token != old
    assert len(rotated.checkin_token) >= 40
    assert not ServicePoint.objects.filter(checkin_token=old).exists()
    entry = AuditEntry.objects.get(action="point.rotate_checkin_token")
    assert entry.actor == coordinator
    assert old not in str(entry.before) + str(entry.after)
    assert rotated.checkin_token not in str(entry.before) + str(entry.after)


def test_error_messages_are_translated(volunteer, point, assignment, settings):
    from django.utils import translation

    with translation.override("en"), pytest.raises(DomainError) as excinfo:
        scan_in(volunteer, point, local(DAY, 5, 0))
    assert "no shift" in str(excinfo.value)
