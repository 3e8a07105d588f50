"""Recording, showing, editing and listing help sessions."""

import pytest
from django.urls import reverse

from xungkich.core.models import AuditEntry
from xungkich.helpdesk.models import FollowUp, HelpSession
from xungkich.helpdesk.tests.conftest import make_session, make_ticket, post_data

pytestmark = pytest.mark.django_db

NEW = reverse("helpdesk:session_new")


# --- the desk page: new session ---


def test_the_desk_page_reminds_about_passwords_and_shows_known_issues(client_for, volunteer_user, point):
    from xungkich.helpdesk.services import post_known_issue

    post_known_issue(by=volunteer_user, title="Cổng DVC quốc gia chậm")
    response = client_for(volunteer_user).get(NEW)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="password-reminder"' in html
    assert "Cổng DVC quốc gia chậm" in html
    assert response.context["form"]["point"].initial == point.pk  # the only point: chosen already


def test_a_walk_in_is_recorded_with_defaults(client_for, volunteer_user, point):
    response = client_for(volunteer_user).post(NEW, post_data(point=point.pk))
    session = HelpSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("helpdesk:session_detail", args=[session.pk])
    assert (session.point, session.helped_by, session.outcome) == (point, volunteer_user, "done")


def test_the_ticket_link_prefills_the_need_and_records_against_the_ticket(client_for, volunteer_user, point):
    ticket = make_ticket(point, need="payment")
    url = f"{NEW}?ticket={ticket.pk}"
    response = client_for(volunteer_user).get(url)
    assert response.context["form"]["need"].initial == "payment"
    assert 'id="ticket-info"' in response.content.decode()
    client_for(volunteer_user).post(url, post_data(need="payment"))
    session = HelpSession.objects.get()
    assert session.ticket == ticket and session.duration_minutes == 12


def test_a_secret_in_the_notes_is_refused_with_the_vietnamese_message(client_for, volunteer_user, point):
    response = client_for(volunteer_user).post(NEW, post_data(point=point.pk, notes="mk: Hoa@2024"))
    assert response.status_code == 200
    assert "mật khẩu" in response.content.decode().lower()
    assert not HelpSession.objects.exists()


def test_a_phone_without_consent_is_refused_on_the_form(client_for, volunteer_user, point):
    response = client_for(volunteer_user).post(NEW, post_data(point=point.pk, followup_phone="0905123456"))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not FollowUp.objects.exists()


def test_with_consent_the_phone_is_kept_normalised(client_for, volunteer_user, point):
    client_for(volunteer_user).post(
        NEW, post_data(point=point.pk, followup_consent="on", followup_phone="0905 123 456")
    )
    assert FollowUp.objects.get().phone == "+84905123456"


def test_outsider_cannot_open_a_ticket_of_another_ward(client_for, outsider, point):
    ticket = make_ticket(point)
    assert client_for(outsider).get(f"{NEW}?ticket={ticket.pk}").status_code == 404


def test_viewers_and_kiosks_cannot_record(client_for, viewer, kiosk):
    assert client_for(viewer).get(NEW).status_code == 403
    assert client_for(kiosk).post(NEW, post_data()).status_code == 403


def test_new_session_wrong_method(client_for, volunteer_user):
    assert client_for(volunteer_user).put(NEW).status_code == 405


# --- detail ---


def test_detail_works_for_the_volunteer_and_the_coordinator(client_for, volunteer_user, coordinator, session):
    url = reverse("helpdesk:session_detail", args=[session.pk])
    for user in (volunteer_user, coordinator):
        response = client_for(user).get(url)
        assert response.status_code == 200
        assert response.context["can_edit"] is True


def test_detail_outsider_404(client_for, outsider, kiosk, session):
    url = reverse("helpdesk:session_detail", args=[session.pk])
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(kiosk).get(url).status_code == 403


def test_detail_wrong_method(client_for, volunteer_user, session):
    assert (
        client_for(volunteer_user).post(reverse("helpdesk:session_detail", args=[session.pk])).status_code
        == 405
    )


def test_another_volunteer_does_not_see_a_session(client_for, volunteer_user, unit_leader, units, point):
    from xungkich.people.models import Role, User

    other = User.objects.create_user(username="vol2", password="x", role=Role.VOLUNTEER, unit=units["branch"])
    session = make_session(other, point)
    assert (
        client_for(volunteer_user).get(reverse("helpdesk:session_detail", args=[session.pk])).status_code
        == 404
    )
    assert (
        client_for(unit_leader).get(reverse("helpdesk:session_detail", args=[session.pk])).status_code == 200
    )


# --- edit ---


def test_edit_works(client_for, volunteer_user, session):
    url = reverse("helpdesk:session_edit", args=[session.pk])
    assert client_for(volunteer_user).get(url).status_code == 200
    response = client_for(volunteer_user).post(url, post_data(outcome="failed", failure_reason="no_otp"))
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.outcome, session.failure_reason) == ("failed", "no_otp")
    assert AuditEntry.objects.filter(action="helpdesk.session.update").exists()


def test_edit_read_only_403_outsider_404_wrong_method_405(
    client_for, viewer, outsider, volunteer_user, session
):
    url = reverse("helpdesk:session_edit", args=[session.pk])
    assert client_for(viewer).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(volunteer_user).put(url).status_code == 405


# --- tracking ---


def test_tracking_state_is_saved(client_for, volunteer_user, point):
    session = make_session(volunteer_user, point, tracking_consent=True, dossier_code="H36-9")
    url = reverse("helpdesk:session_tracking", args=[session.pk])
    assert client_for(volunteer_user).post(url, {"state": "received"}).status_code == 302
    session.refresh_from_db()
    assert session.tracking_state == "received"


def test_tracking_read_only_403_outsider_404_wrong_method_405(
    client_for, viewer, outsider, volunteer_user, session
):
    url = reverse("helpdesk:session_tracking", args=[session.pk])
    assert client_for(viewer).post(url, {"state": "received"}).status_code == 403
    assert client_for(outsider).post(url, {"state": "received"}).status_code == 404
    assert client_for(volunteer_user).get(url).status_code == 405


# --- list ---


def test_list_filters_and_scopes(client_for, coordinator, volunteer_user, outsider, point, other_point):
    make_session(volunteer_user, point, need="payment")
    make_session(volunteer_user, point, need="account")
    make_session(outsider, other_point, need="payment")
    url = reverse("helpdesk:session_list")
    response = client_for(coordinator).get(url)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 2
    filtered = client_for(coordinator).get(url, {"need": "payment", "point": point.pk})
    assert filtered.context["page"].paginator.count == 1
    assert client_for(outsider).get(url).context["page"].paginator.count == 1


def test_list_query_count_is_pinned(
    client_for, coordinator, volunteer_user, point, django_assert_num_queries
):
    for _ in range(5):
        make_session(volunteer_user, point)
    client = client_for(coordinator)
    client.get(reverse("helpdesk:session_list"))  # warm the session
    with django_assert_num_queries(5):
        response = client.get(reverse("helpdesk:session_list"))
    assert len(response.context["page"].object_list) == 5


def test_list_viewer_and_kiosk_403_wrong_method(client_for, viewer, kiosk, volunteer_user, session):
    url = reverse("helpdesk:session_list")
    assert client_for(viewer).get(url).status_code == 403  # figures only, no session records
    assert client_for(kiosk).get(url).status_code == 403
    assert client_for(volunteer_user).post(url).status_code == 405


def test_desk_page_query_count_is_pinned(client_for, volunteer_user, point, django_assert_num_queries):
    from xungkich.helpdesk.services import post_known_issue

    for n in range(3):
        post_known_issue(by=volunteer_user, title=f"Sự cố {n}")
    client = client_for(volunteer_user)
    client.get(NEW)
    with django_assert_num_queries(9):  # whatever the number of points, issues, wards and activities
        response = client.get(NEW)
    assert len(response.context["issues"]) == 3


def test_a_ticket_already_recorded_is_explained_and_a_bad_id_is_404(client_for, volunteer_user, point):
    ticket = make_ticket(point)
    make_session(volunteer_user, None, ticket=ticket)
    response = client_for(volunteer_user).post(f"{NEW}?ticket={ticket.pk}", post_data())
    assert response.status_code == 200
    assert "đã được ghi nhận" in response.content.decode()
    assert HelpSession.objects.count() == 1
    assert client_for(volunteer_user).get(f"{NEW}?ticket=abc").status_code == 404


# --- help given at a campaign activity ---


def _outreach(coordinator, unit, takes_part):
    import datetime as dt

    from django.utils import timezone

    from xungkich.campaigns import services as campaigns

    today = timezone.localdate()
    campaign = campaigns.create_campaign(
        by=coordinator,
        data={
            "name": "Tháng chuyển đổi số",
            "unit": unit,
            "start_date": today - dt.timedelta(days=3),
            "end_date": today + dt.timedelta(days=20),
        },
        units=takes_part,
    )
    return campaigns.record_activity(
        campaign=campaign,
        by=coordinator,
        data={"kind": "door_to_door", "title": "Đến từng nhà tổ 5", "date": today},
        units=takes_part,
    )


def test_help_at_a_campaign_activity_is_linked_to_it(client_for, volunteer_user, coordinator, units, point):
    activity = _outreach(coordinator, units["hoian"], [units["branch"]])
    client = client_for(volunteer_user)
    assert activity in client.get(NEW).context["form"].fields["activity"].queryset
    response = client.post(
        NEW, post_data(place_kind="door_to_door", place_text="Tổ 5, Cẩm Phô", activity=activity.pk)
    )
    assert response.status_code == 302
    assert HelpSession.objects.get().activity == activity


def test_an_activity_outside_ones_campaigns_is_refused(client_for, volunteer_user, units, point):
    from xungkich.people.models import Role, User

    other = User.objects.create_user(
        username="hc",
        password="x-Pass-2026",
        role=Role.COORDINATOR,
        unit=units["other"],
        full_name="Hải Châu",
    )
    activity = _outreach(other, units["other"], [])
    response = client_for(volunteer_user).post(
        NEW, post_data(place_kind="door_to_door", place_text="Tổ 5", activity=activity.pk)
    )
    assert response.status_code == 200
    assert "activity" in response.context["form"].errors
    assert not HelpSession.objects.exists()
