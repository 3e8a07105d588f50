"""generate_load, rebuild_rollups and refresh_rollups."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from xungkich.campaigns.models import Activity
from xungkich.helpdesk.models import HelpSession
from xungkich.people.models import OrgUnit
from xungkich.reports import figures as f
from xungkich.reports import rollups
from xungkich.reports.models import RollupMark
from xungkich.rosters.models import Assignment, Shift

pytestmark = pytest.mark.django_db
END = dt.date(2026, 12, 31)


def test_generate_load_fills_sessions_shifts_and_activities_with_a_progress_bar(capsys):
    call_command("generate_load", sessions=1200, days=10, wards=2, points=1, end="31/12/2026")
    out, err = capsys.readouterr()
    assert "help sessions [##############################] 1,200/1,200" in err
    assert HelpSession.objects.count() == 1200
    days = set(HelpSession.objects.values_list("helped_on", flat=True))
    assert min(days) == dt.date(2026, 12, 22) and max(days) == END
    assert Shift.objects.count() == 2 * 10 * 2  # 2 points, 10 days, 2 shifts a day
    assert Assignment.objects.exists() and Activity.objects.exists()
    assert "1200 help sessions" in out
    # Realistic shape: every need and outcome appears, failures carry a reason.
    assert HelpSession.objects.values("need").distinct().count() >= 6
    assert not HelpSession.objects.filter(outcome="failed", failure_reason="").exists()
    city = OrgUnit.objects.get(name="Thành đoàn (tải thử)")
    rollups.rebuild(start=dt.date(2026, 12, 22), end=END)
    assert rollups.figures(unit=city, start=dt.date(2026, 12, 1), end=END) == rollups.raw_figures(
        unit=city, start=dt.date(2026, 12, 1), end=END
    )


def test_generate_load_refuses_bad_arguments(db):
    with pytest.raises(CommandError):
        call_command("generate_load", sessions=-1)
    with pytest.raises(CommandError):
        call_command("generate_load", sessions=10, end="31/02/2026")


def test_rebuild_rollups_refuses_bad_dates(db):
    with pytest.raises(CommandError):
        call_command("rebuild_rollups", "--from", "32/12/2026")
    with pytest.raises(CommandError):
        call_command("rebuild_rollups", "--from", "31/12/2026", "--to", "01/12/2026")


def test_refresh_rollups_catches_up_from_its_mark(units):
    call_command("generate_load", sessions=300, days=5, wards=1, points=1, end="31/12/2026", no_roster=True)
    city = OrgUnit.objects.get(name="Thành đoàn (tải thử)")
    out = io.StringIO()
    call_command("refresh_rollups", stdout=out)
    assert "help: " in out.getvalue()
    assert RollupMark.objects.get(name="catch_up").at is not None
    figures = rollups.figures(unit=city, start=dt.date(2026, 12, 1), end=END)
    assert figures.total(f.SESSIONS) == 300
    # Nothing changed since (beyond the two minutes of overlap): the next run refreshes no help key.
    later = timezone.now() + dt.timedelta(minutes=10)
    rollups.catch_up(now=later)
    assert rollups.catch_up(now=later + dt.timedelta(minutes=10))["help"] == 0
