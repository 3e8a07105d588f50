"""The mark_no_shows sweep and its management command."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from freezegun import freeze_time

from xungkich.core.models import AuditEntry
from xungkich.people import services as people_services
from xungkich.people.models import Volunteer
from xungkich.rosters.attendance import services as attendance
from xungkich.rosters.models import Assignment
from xungkich.rosters.tests.test_attendance_data import DAY, assign, local, make_point, make_shift, unpublish


@pytest.fixture
def others(units):
    for name, phone in [
        ("Trần Thị Bình", "0905000001"),
        ("Lê Văn Cường", "0905000002"),
        ("Phạm Dung", "0905000003"),
    ]:
        people_services.create_volunteer(
            by=None, data={"full_name": name, "unit": units["branch"], "phone": phone}
        )
    return list(Volunteer.objects.exclude(user__isnull=False).order_by("full_name"))


@pytest.fixture
def morning(units, volunteer, others):
    """Four people on the morning: one came and left, one came and forgot, one never came, one gave up."""
    point = make_point(units["hoian"])
    shift = make_shift(point)
    came = assign(shift, volunteer, check_in_at=local(DAY, 7, 25), check_out_at=local(DAY, 11, 30))
    forgot = assign(shift, others[0], check_in_at=local(DAY, 7, 40), late_minutes=10)
    missing = assign(shift, others[1])
    gave_up = assign(shift, others[2], status=Assignment.Status.CANT_COME)
    return {"shift": shift, "came": came, "forgot": forgot, "missing": missing, "gave_up": gave_up}


def fresh(assignment: Assignment) -> Assignment:
    return Assignment.objects.get(pk=assignment.pk)


def test_nothing_happens_before_the_shift_ends(morning):
    result = attendance.mark_no_shows(now=local(DAY, 11, 29))
    assert result == attendance.SweepResult(no_shows=0, closed=0)
    assert not fresh(morning["missing"]).no_show


def test_the_sweep_marks_no_shows_and_is_idempotent(morning):
    result = attendance.mark_no_shows(now=local(DAY, 11, 30))
    assert result.no_shows == 1
    assert fresh(morning["missing"]).no_show is True
    assert fresh(morning["came"]).no_show is False
    assert fresh(morning["forgot"]).no_show is False
    assert fresh(morning["gave_up"]).no_show is False  # gave the place up: not a no-show
    entries = AuditEntry.objects.filter(action="assignment.no_show")
    assert entries.count() == 1
    entry = entries.get()
    assert entry.object_id == str(morning["missing"].pk)
    assert entry.actor is None and entry.actor_label == "system"
    assert entry.before is not None and entry.after is not None
    assert entry.before["no_show"] is False and entry.after["no_show"] is True

    again = attendance.mark_no_shows(now=local(DAY, 12, 0))
    assert again.no_shows == 0
    assert AuditEntry.objects.filter(action="assignment.no_show").count() == 1


def test_forgotten_check_outs_close_at_the_end_two_hours_later(morning):
    assert attendance.mark_no_shows(now=local(DAY, 13, 29)).closed == 0
    result = attendance.mark_no_shows(now=local(DAY, 13, 30))
    assert result.closed == 1
    forgot = fresh(morning["forgot"])
    assert forgot.check_out_at == local(DAY, 11, 30)
    assert fresh(morning["came"]).check_out_at == local(DAY, 11, 30)
    assert (
        AuditEntry.objects.filter(action="assignment.auto_check_out", object_id=str(forgot.pk)).count() == 1
    )
    assert attendance.mark_no_shows(now=local(DAY, 18, 0)).closed == 0


def test_unpublished_periods_are_left_alone(morning):
    unpublish(morning["shift"])
    assert attendance.mark_no_shows(now=local(DAY + dt.timedelta(days=1), 0, 0)) == attendance.SweepResult(
        0, 0
    )
    assert fresh(morning["missing"]).no_show is False


def test_the_command_reports_and_is_idempotent(morning):
    out = StringIO()
    call_command("mark_no_shows", "--at", "2026-03-02T18:00:00+07:00", stdout=out)
    assert "1 no-show(s) marked, 1 forgotten check-out(s) closed." in out.getvalue()
    out = StringIO()
    call_command("mark_no_shows", "--at", "2026-03-02T19:00:00+07:00", stdout=out)
    assert "0 no-show(s) marked, 0 forgotten check-out(s) closed." in out.getvalue()
    assert (
        AuditEntry.objects.filter(action__in=["assignment.no_show", "assignment.auto_check_out"]).count() == 2
    )


def test_the_command_uses_now_by_default_and_rejects_bad_times(morning):
    out = StringIO()
    with freeze_time(local(DAY, 20, 0)):
        call_command("mark_no_shows", stdout=out)
    assert "1 no-show(s) marked, 1 forgotten check-out(s) closed." in out.getvalue()
    with pytest.raises(CommandError):
        call_command("mark_no_shows", "--at", "yesterday")
