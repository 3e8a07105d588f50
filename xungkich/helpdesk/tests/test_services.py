"""Help desk services: sessions, follow-ups and their purge, a person's data, ratings, known issues."""

import datetime as dt

import pytest
from django.utils import timezone

from xungkich.core.errors import DomainError
from xungkich.core.models import AuditEntry
from xungkich.helpdesk import services
from xungkich.helpdesk.models import FollowUp, HelpSession, KnownIssue, Rating
from xungkich.helpdesk.tests.conftest import make_session, make_ticket

pytestmark = pytest.mark.django_db


def test_a_session_from_a_ticket_takes_its_point_day_and_duration(volunteer_user, ticket, units):
    session = make_session(volunteer_user, None, ticket=ticket)
    assert session.point == ticket.point
    assert session.duration_minutes == 12
    assert session.unit == units["branch"]  # the helper's team
    assert session.helped_on == ticket.day


def test_a_ticket_is_recorded_once(volunteer_user, ticket):
    make_session(volunteer_user, None, ticket=ticket)
    with pytest.raises(DomainError) as exc:
        make_session(volunteer_user, None, ticket=ticket)
    assert exc.value.code == "ticket_already_recorded"
    assert HelpSession.objects.count() == 1


def test_a_ticket_of_another_point_is_refused(volunteer_user, point, other_point):
    ticket = make_ticket(other_point)
    with pytest.raises(DomainError) as exc:
        make_session(volunteer_user, point, ticket=ticket)
    assert exc.value.code == "ticket_point"


def test_a_walk_in_away_from_the_centre(volunteer_user, ward):
    session = make_session(
        volunteer_user, None, place_kind="door_to_door", place_text="Tổ 5, khối Sơn Phong", place_ward=ward
    )
    assert session.point is None and session.place_ward == ward


def test_no_phone_is_kept_without_consent(volunteer_user, point):
    with pytest.raises(DomainError):
        make_session(volunteer_user, point, followup_phone="0905123456")
    assert not HelpSession.objects.exists() and not FollowUp.objects.exists()


def test_with_consent_one_follow_up_is_planned_and_the_consent_version_kept(volunteer_user, point, settings):
    settings.XK_FOLLOWUP_DAYS = 20
    session = make_session(volunteer_user, point, followup_consent=True, followup_phone="0905 123 456")
    followup = session.followup
    assert followup.phone == "+84905123456"
    assert followup.consent_version == "followup-2026-1"
    assert followup.due_on == session.helped_on + dt.timedelta(days=20)
    assert followup.delete_by > followup.due_on
    entry = AuditEntry.objects.get(action="helpdesk.session.create")
    assert "905123456" not in str(entry.after)


def test_dossier_tracking_with_consent(volunteer_user, point):
    session = make_session(
        volunteer_user,
        point,
        need="dossier",
        procedure_code="1.004222",
        procedure_name="Đăng ký thường trú",
        tracking_consent=True,
        dossier_code="H36.22-260101-0001",
        expected_result_on=dt.date(2026, 12, 10),
    )
    assert session.tracking_state == "waiting"
    assert session.tracking_consent_version == "tracking-2026-1"
    services.set_tracking_state(by=volunteer_user, session=session, state="received")
    session.refresh_from_db()
    assert session.tracking_state == "received" and session.tracking_checked_at is not None


def test_tracking_an_unconsented_session_is_refused(volunteer_user, session):
    with pytest.raises(DomainError) as exc:
        services.set_tracking_state(by=volunteer_user, session=session, state="received")
    assert exc.value.code == "not_tracked"


def test_answering_the_follow_up_deletes_the_number_and_feeds_the_habit(volunteer_user, point):
    yes = make_session(volunteer_user, point, followup_consent=True, followup_phone="0905123456").followup
    no = make_session(volunteer_user, point, followup_consent=True, followup_phone="0905123457").followup
    gone = make_session(volunteer_user, point, followup_consent=True, followup_phone="0905123458").followup
    services.record_followup_answer(by=volunteer_user, followup=yes, answer="yes")
    services.record_followup_answer(by=volunteer_user, followup=no, answer="no")
    services.record_followup_answer(by=volunteer_user, followup=gone, answer="unreachable")
    yes.refresh_from_db()
    assert yes.phone == "" and yes.status == "answered" and yes.did_online_alone is True
    habit = services.habit_figure(FollowUp.objects.all())
    assert (habit.answered, habit.did_alone, habit.share) == (2, 1, 0.5)
    with pytest.raises(DomainError) as exc:
        services.record_followup_answer(by=volunteer_user, followup=yes, answer="no")
    assert exc.value.code == "followup_closed"


def test_purge_deletes_expired_numbers_once(volunteer_user, point):
    old = make_session(volunteer_user, point, followup_consent=True, followup_phone="0905123456").followup
    fresh = make_session(volunteer_user, point, followup_consent=True, followup_phone="0905123457").followup
    FollowUp.objects.filter(pk=old.pk).update(delete_by=timezone.localdate() - dt.timedelta(days=1))
    FollowUp.objects.filter(pk=fresh.pk).update(status="answered", did_online_alone=True)  # left a number
    result = services.purge_followups()
    assert (result.expired, result.cleared) == (1, 1)
    old.refresh_from_db()
    assert old.phone == "" and old.status == "expired"
    assert not FollowUp.objects.exclude(phone="").exists()
    again = services.purge_followups()
    assert (again.expired, again.cleared) == (0, 0)


def test_find_and_erase_a_person_data_is_audited(coordinator, volunteer_user, point):
    session = make_session(
        volunteer_user,
        point,
        followup_consent=True,
        followup_phone="0905123456",
        tracking_consent=True,
        dossier_code="H36-1",
    )
    found = services.find_personal_data(
        by=coordinator, phone="+84905123456", followups=FollowUp.objects.all()
    )
    assert [f.session_id for f in found] == [session.pk]
    assert AuditEntry.objects.filter(action="helpdesk.personal_data.show").count() == 1
    count = services.erase_personal_data(
        by=coordinator, phone="+84905123456", followups=FollowUp.objects.all()
    )
    assert count == 1
    session.refresh_from_db()
    assert session.dossier_code == "" and session.followup.phone == "" and session.followup.status == "erased"
    assert AuditEntry.objects.filter(action="helpdesk.personal_data.erase").count() == 1


def test_a_ticket_is_rated_once_and_comments_are_screened(ticket):
    rating = services.rate_ticket(ticket=ticket, score=5, comment="Em gọi 0905123456 rất nhiệt tình")
    assert "[SĐT]" in rating.comment
    with pytest.raises(DomainError) as exc:
        services.rate_ticket(ticket=ticket, score=4)
    assert exc.value.code == "already_rated"
    with pytest.raises(DomainError) as bad:
        services.rate_ticket(ticket=make_ticket(ticket.point), score=7)
    assert bad.value.code == "invalid_score"
    assert Rating.objects.count() == 1


def test_known_issue_is_posted_to_the_ward_team_and_closed_once(volunteer_user, coordinator, units):
    issue = services.post_known_issue(
        by=volunteer_user, title="VNeID lỗi mã 500", channel="vneid", workaround="Thử lại sau 5 phút"
    )
    assert issue.scope_path == units["hoian"].path
    services.close_known_issue(by=coordinator, issue=issue)
    with pytest.raises(DomainError) as exc:
        services.close_known_issue(by=coordinator, issue=issue)
    assert exc.value.code == "issue_closed"
    assert KnownIssue.objects.get().closed_by == coordinator


def test_update_keeps_the_screening(volunteer_user, session):
    data = services.SessionInput(need="app", outcome="failed", failure_reason="no_nfc", notes="OTP 482913")
    with pytest.raises(DomainError) as exc:
        services.update_help_session(by=volunteer_user, session=session, data=data)
    assert exc.value.code == "secret_in_notes"
    data.notes = "Máy không có NFC"
    services.update_help_session(by=volunteer_user, session=session, data=data)
    session.refresh_from_db()
    assert (session.need, session.failure_reason) == ("app", "no_nfc")
