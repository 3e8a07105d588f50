"""load_demo's last weeks: realistic, relative to today, deterministic, idempotent, not real people."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from xungkich.campaigns.models import Activity, Campaign, Event, Registration
from xungkich.core.models import AuditEntry
from xungkich.core.privacy import screen_text
from xungkich.demo import history as demo_history
from xungkich.demo.area import AREA, DEMO_PASSWORD, demo_phone
from xungkich.helpdesk.models import FollowUp, HelpSession, KnownIssue, Rating
from xungkich.people.models import OrgUnit, Volunteer
from xungkich.reports import figures as f
from xungkich.reports import selectors
from xungkich.reports.models import PendingChange
from xungkich.rosters.models import Assignment, RosterPeriod, Shift
from xungkich.tickets.models import Ticket

VOLUME = "0.1"  # a small sample keeps the tests quick; the default is ten times as many people


def _load(capsys: pytest.CaptureFixture[str] | None = None) -> str:
    call_command("load_demo", volume=VOLUME)
    return capsys.readouterr().out if capsys is not None else ""


def _table_counts() -> dict[str, int]:
    models = [Ticket, HelpSession, Rating, FollowUp, Assignment, Shift, RosterPeriod, Campaign]
    models += [Activity, Event, Registration, KnownIssue, Volunteer, OrgUnit, AuditEntry]
    return {model.__name__: model._default_manager.count() for model in models}


def test_volume_zero_loads_no_weeks(db, capsys):
    """The browser tests start from the demo without its weeks (an empty queue, no sessions).

    First in the module: the tests below share one loaded demo."""
    call_command("load_demo", volume=0)
    assert not (Ticket.objects.exists() or HelpSession.objects.exists() or Shift.objects.exists())
    assert Volunteer.objects.count() == 30
    assert "dieuphoi" in capsys.readouterr().out


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker) -> Iterator[str]:
    """The demo, loaded once for the module in a transaction rolled back at its end (as
    TestCase.setUpTestData does); each test runs in a savepoint inside it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = io.StringIO()
            call_command("load_demo", volume=VOLUME, stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(loaded, db) -> str:
    return loaded


def test_loading_twice_the_same_day_changes_nothing(demo, capsys):
    first = _table_counts()
    out = _load(capsys)
    assert _table_counts() == first
    assert "Dữ liệu mẫu (không phải người thật) từ" in demo
    assert "đã có sẵn cho hôm nay" in out
    for username in ("admin", "dieuphoi", "chidoan", "tinhnguyen", "kiosk", "xembaocao"):
        assert username in demo and username in out
    assert DEMO_PASSWORD in demo


def test_the_dashboard_of_each_unit_has_the_last_four_weeks(demo):
    today = timezone.localdate()
    assert not PendingChange.objects.exists()  # the figures are refreshed, nothing left to drain
    for name, _code, _branches in AREA:
        unit = OrgUnit.objects.get(name=name, kind=OrgUnit.Kind.BASE)
        data = selectors.dashboard(unit=unit, start=today - dt.timedelta(days=27), end=today)
        totals = data.figures.totals
        assert totals.get(f.SESSIONS, 0) > 0, name
        assert totals.get(f.SHIFTS, 0) > 0, name
        assert totals.get(f.CHECK_INS, 0) > 0, name
        assert totals.get(f.RATINGS, 0) > 0, name
        # The figures are those of the records (the rollups are not behind).
        sessions = HelpSession.objects.filter(
            point__unit=unit, helped_on__gte=today - dt.timedelta(days=27), helped_on__lte=today
        ).count()
        assert totals[f.SESSIONS] == sessions


def test_the_area_its_people_and_realistic_days(demo):
    codes = {name: code for name, code, _branches in AREA}
    assert codes == {
        "Đoàn phường Hội An": "20410",
        "Đoàn phường Hội An Đông": "20413",
        "Đoàn phường Hội An Tây": "20401",
        "Đoàn xã Tân Hiệp": "20434",
    }
    for name, code in codes.items():
        unit = OrgUnit.objects.get(name=name)
        assert unit.admin_unit.code == code
        assert Volunteer.objects.filter(unit__path__startswith=unit.path).count() >= 4
        assert unit.service_points.exists()
    assert Volunteer.objects.count() == 30
    # Tickets on weekdays only while the points are open; no Sunday queue.
    assert Ticket.objects.exists()
    assert not Ticket.objects.filter(day__week_day=1).exists()
    today = timezone.localdate()
    start, _end = demo_history.window(today)
    assert Ticket.objects.filter(day__lt=start).count() == 0
    assert Ticket.objects.filter(day__gt=today).count() == 0
    assert Assignment.objects.filter(no_show=True).exists()
    assert Assignment.objects.filter(check_out_at__isnull=False).exists()
    # Every finished ticket's help is recorded, with a catalogue procedure for submissions.
    done = Ticket.objects.filter(status=Ticket.Status.DONE)
    assert done.count() == HelpSession.objects.filter(ticket__in=done).count()
    dossiers = HelpSession.objects.filter(need="dossier")
    assert dossiers.exists() and not dossiers.filter(procedure_name="").exists()
    assert Activity.objects.filter(kind=Activity.Kind.MOBILE_DESK).exists()
    assert Activity.objects.filter(kind__in=[Activity.Kind.BANNERS, Activity.Kind.PANELS]).exists()
    event = Event.objects.get(title__contains="dữ liệu mẫu")
    assert event.starts_at > timezone.now() and event.registrations.exists()
    assert KnownIssue.objects.filter(closed_at__isnull=True).count() == 3


def test_the_roster_of_the_coming_week_has_people_on_it(demo):
    today = timezone.localdate()
    next_monday = today + dt.timedelta(days=7 - today.weekday())
    for name, _code, _branches in AREA:
        period = RosterPeriod.objects.get(unit__name=name, name__contains="dữ liệu mẫu")
        assert period.status == RosterPeriod.Status.PUBLISHED
        assert period.start <= today - dt.timedelta(days=21)
        assert period.start + dt.timedelta(days=period.days) > next_monday + dt.timedelta(days=6)
        coming = Assignment.objects.filter(
            shift__period=period,
            shift__start__date__gte=next_monday,
            shift__start__date__lte=next_monday + dt.timedelta(days=6),
        )
        assert coming.count() >= 4, name
        assert not coming.filter(check_in_at__isnull=False).exists()


def test_every_demo_text_passes_the_privacy_screen(demo):
    texts = [*demo_history.NOTES, *demo_history.COMMENTS]
    texts += [text for row in demo_history.ISSUES for text in row[:1] + row[2:]]
    texts += list(HelpSession.objects.exclude(notes="").values_list("notes", flat=True))
    texts += list(Rating.objects.exclude(comment="").values_list("comment", flat=True))
    texts += list(KnownIssue.objects.values_list("workaround", flat=True))
    texts += list(Campaign.objects.values_list("description", flat=True))
    texts += list(Event.objects.values_list("description", flat=True))
    assert len(texts) > 20
    for text in texts:
        screening = screen_text(text)
        assert (screening.masked, screening.secrets, screening.text) == ((), (), text)
    # Phone numbers come from the all-zero range, nobody's number.
    phones = [*Volunteer.objects.values_list("phone", flat=True)]
    phones += [*Registration.objects.values_list("phone", flat=True)]
    phones += [*FollowUp.objects.values_list("phone", flat=True)]
    assert phones and all(phone.startswith("+84900000") for phone in phones)
    assert demo_phone(7) == "+84900000007"


def _fingerprint() -> tuple[list[tuple[object, ...]], ...]:
    tickets = Ticket.objects.order_by("point__name", "day", "number")
    assignments = Assignment.objects.order_by("shift__start", "shift__point__name", "volunteer__phone")
    return (
        list(tickets.values_list("point__name", "day", "number", "need", "status", "created_at")),
        list(
            HelpSession.objects.order_by("ticket__created_at", "pk").values_list("need", "outcome", "notes")
        ),
        list(Rating.objects.order_by("ticket__created_at").values_list("score", "comment")),
        list(assignments.values_list("shift__start", "volunteer__phone", "check_in_at", "no_show")),
    )


def test_a_later_day_replaces_the_demo_weeks_and_the_same_day_gives_the_same_data(demo):
    today = timezone.localdate()
    earlier = today - dt.timedelta(days=10)
    first = demo_history.load_demo_history(today=earlier, volume=0.1)
    assert first.loaded and first.counts["periods"] == 4
    earlier_data = _fingerprint()
    again = demo_history.load_demo_history(today=today, volume=0.1)
    assert again.loaded and again.counts["periods"] == 4 and again.counts["campaigns"] == 4
    start, _end = demo_history.window(today)
    assert not Ticket.objects.filter(day__lt=start).exists()
    assert RosterPeriod.objects.filter(name__contains="dữ liệu mẫu").count() == 4
    assert KnownIssue.objects.count() == len(demo_history.ISSUES)
    assert not PendingChange.objects.exists()
    # Seeded: loading that earlier day again gives the very same records.
    assert demo_history.load_demo_history(today=earlier, volume=0.1).counts == first.counts
    assert _fingerprint() == earlier_data


def test_the_volume_must_be_a_sensible_number():
    with pytest.raises(CommandError):
        call_command("load_demo", volume="-1")
    with pytest.raises(CommandError):
        call_command("load_demo", volume="9")
    with pytest.raises(CommandError):
        call_command("load_demo", volume="nhiều")
