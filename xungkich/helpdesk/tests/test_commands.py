"""purge_followups and scan_notes."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from xungkich.helpdesk.models import FollowUp, HelpSession, KnownIssue, Rating
from xungkich.helpdesk.tests.conftest import make_session

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_purge_followups_is_idempotent(volunteer_user, point):
    followup = make_session(
        volunteer_user, point, followup_consent=True, followup_phone="0905123456"
    ).followup
    FollowUp.objects.filter(pk=followup.pk).update(delete_by=timezone.localdate() - dt.timedelta(days=1))
    assert "expired (never called, retention over): 1" in run("purge_followups")
    followup.refresh_from_db()
    assert followup.phone == ""
    assert "expired (never called, retention over): 0; cleared after the call: 0" in run("purge_followups")


def test_scan_notes_masks_old_identifiers_and_secrets(volunteer_user, point, ticket):
    session = make_session(volunteer_user, point)
    # Rows written before the screening existed (straight to the table, as old data would be).
    HelpSession.objects.filter(pk=session.pk).update(notes="Số CCCD 049201001234, mật khẩu là Hoa@2024 nhé")
    Rating.objects.create(ticket=ticket, score=5, comment="Gọi em 0905 123 456")
    KnownIssue.objects.create(unit=volunteer_user.unit, scope_path="x/", title="Cổng chậm", workaround="")
    dry = run("scan_notes", "--dry-run")
    assert "secret: helpdesk.helpsession" in dry and "Hoa@2024" not in dry
    assert "would change" in dry
    session.refresh_from_db()
    assert "049201001234" in session.notes  # dry run: nothing changed
    out = run("scan_notes")
    assert "identifiers masked in 1 fields; secrets found in 1 fields (changed)" in out
    session.refresh_from_db()
    assert "049201001234" not in session.notes and "Hoa@2024" not in session.notes
    assert "[BÍ MẬT]" in session.notes and "[CCCD]" in session.notes
    assert "[SĐT]" in Rating.objects.get().comment
    again = run("scan_notes")
    assert "identifiers masked in 0 fields; secrets found in 0 fields" in again


def test_scan_notes_covers_every_screened_field_and_invisible_characters(volunteer_user, point, units):
    from xungkich.campaigns.models import Campaign
    from xungkich.core.free_text import SCREENED
    from xungkich.helpdesk.management.commands.scan_notes import targets

    assert {(m._meta.label, tuple(f)) for m, f in targets()} == {
        (label, tuple(names)) for label, names in SCREENED.items()
    }
    session = make_session(volunteer_user, point)
    # old rows: a zero-width space before the secret shifted its offsets; the place was never screened
    HelpSession.objects.filter(pk=session.pk).update(
        notes="Bác\u200b Hòa, mật\u200bkhẩu: Hoa@2024, sđt 0905123456",
        place_text="nhà bác, sđt 0905 123 456",
        procedure_name="OTP 482913",
    )
    campaign = Campaign.objects.create(
        name="Mùa hè xanh",
        description="Liên hệ chị Lan 0912345678",
        unit=units["hoian"],
        start_date=dt.date(2026, 6, 1),
        end_date=dt.date(2026, 8, 31),
    )
    out = run("scan_notes")
    assert "secrets found in 2 fields (changed)" in out
    session.refresh_from_db()
    assert session.notes == "Bác Hòa, [BÍ MẬT], sđt [SĐT]"
    assert session.place_text == "nhà bác, sđt [SĐT]"
    assert session.procedure_name == "[BÍ MẬT]"
    campaign.refresh_from_db()
    assert campaign.description == "Liên hệ chị Lan [SĐT]"
