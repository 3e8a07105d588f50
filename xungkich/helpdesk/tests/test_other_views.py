"""Follow-up calls, a person's data, the citizen's rating and the known issues board."""

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from xungkich.core.models import AuditEntry
from xungkich.helpdesk import services
from xungkich.helpdesk.models import FollowUp, KnownIssue, Rating
from xungkich.helpdesk.tests.conftest import make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def due_followup(volunteer_user, point):
    session = make_session(volunteer_user, point, followup_consent=True, followup_phone="0905123456")
    FollowUp.objects.filter(session=session).update(due_on=timezone.localdate())
    return session.followup


# --- follow-ups ---


def test_followup_list_shows_due_calls_and_the_habit(client_for, volunteer_user, coordinator, due_followup):
    for user in (volunteer_user, coordinator):
        response = client_for(user).get(reverse("helpdesk:followup_list"))
        assert response.status_code == 200
        assert list(response.context["due"]) == [due_followup]
    assert 'id="habit"' in response.content.decode()


def test_followup_list_outsider_sees_nothing_viewer_403_wrong_method(
    client_for, outsider, viewer, due_followup
):
    url = reverse("helpdesk:followup_list")
    assert list(client_for(outsider).get(url).context["due"]) == []
    assert client_for(viewer).get(url).status_code == 403
    assert client_for(outsider).post(url).status_code == 405


def test_followup_answer_deletes_the_number(client_for, volunteer_user, due_followup):
    url = reverse("helpdesk:followup_answer", args=[due_followup.pk])
    assert client_for(volunteer_user).post(url, {"answer": "yes"}).status_code == 302
    due_followup.refresh_from_db()
    assert due_followup.phone == "" and due_followup.did_online_alone is True


def test_followup_answer_outsider_404_viewer_403_wrong_method(
    client_for, outsider, viewer, volunteer_user, due_followup
):
    url = reverse("helpdesk:followup_answer", args=[due_followup.pk])
    assert client_for(outsider).post(url, {"answer": "yes"}).status_code == 404
    assert client_for(viewer).post(url, {"answer": "yes"}).status_code == 403
    assert client_for(volunteer_user).get(url).status_code == 405
    due_followup.refresh_from_db()
    assert due_followup.phone


# --- a person's data ---


def test_my_data_finds_by_phone_and_erases(client_for, coordinator, due_followup):
    url = reverse("helpdesk:my_data")
    response = client_for(coordinator).get(url, {"phone": "0905 123 456"})
    assert response.status_code == 200
    assert list(response.context["found"]) == [due_followup]
    response = client_for(coordinator).post(url, {"phone": "0905123456", "action": "erase"})
    assert response.status_code == 302
    due_followup.refresh_from_db()
    assert due_followup.phone == "" and due_followup.status == "erased"
    assert AuditEntry.objects.filter(action="helpdesk.personal_data.erase").count() == 1


def test_my_data_outsider_finds_nothing_leader_403_wrong_method(
    client_for, outsider, unit_leader, viewer, due_followup
):
    url = reverse("helpdesk:my_data")
    assert client_for(outsider).get(url, {"phone": "0905123456"}).context["found"] == []
    client_for(outsider).post(url, {"phone": "0905123456", "action": "erase"})
    due_followup.refresh_from_db()
    assert due_followup.phone == "+84905123456"
    assert client_for(unit_leader).get(url).status_code == 403
    assert client_for(viewer).get(url).status_code == 403
    assert client_for(outsider).put(url).status_code == 405


def test_my_data_bad_phone_is_explained(client_for, coordinator):
    response = client_for(coordinator).get(reverse("helpdesk:my_data"), {"phone": "12"})
    assert "không hợp lệ" in response.content.decode()


# --- rating ---


def test_rating_once_per_ticket(ticket):
    url = reverse("helpdesk:rate", args=[ticket.public_token])
    client = Client()
    assert client.get(url).status_code == 200
    response = client.post(url, {"score": "4", "comment": "Các em rất nhiệt tình"})
    assert 'id="rate-thanks"' in response.content.decode()
    assert Rating.objects.get(ticket=ticket).score == 4
    again = client.post(url, {"score": "1"})
    assert again.context["already"] is True
    assert Rating.objects.get(ticket=ticket).score == 4


def test_rating_refuses_a_secret_and_unknown_tokens_and_wrong_method(ticket):
    url = reverse("helpdesk:rate", args=[ticket.public_token])
    response = Client().post(url, {"score": "5", "comment": "mật khẩu là Lan@1960"})
    assert response.status_code == 200 and not Rating.objects.exists()
    assert Client().get(reverse("helpdesk:rate", args=["nope"])).status_code == 404
    assert Client().put(url).status_code == 405


def test_rating_qr_tag_links_to_the_rating_page(ticket):
    request = RequestFactory().get("/")
    html = Template("{% load helpdesk %}{% rating_url ticket %}|{% rating_qr ticket %}").render(
        Context({"ticket": ticket, "request": request})
    )
    url, qr = html.split("|", 1)
    assert url == f"http://testserver/help/rate/{ticket.public_token}/"
    assert "<svg" in qr and 'id="rating-qr"' in qr


# --- known issues ---


def test_issue_board_post_and_close(client_for, volunteer_user, coordinator):
    url = reverse("helpdesk:issue_list")
    response = client_for(volunteer_user).post(url, {"title": "OTP SMS đến chậm 10 phút", "channel": "vneid"})
    assert response.status_code == 302
    issue = KnownIssue.objects.get()
    assert issue.title in client_for(coordinator).get(url).content.decode()
    close = reverse("helpdesk:issue_close", args=[issue.pk])
    assert client_for(coordinator).post(close).status_code == 302
    issue.refresh_from_db()
    assert issue.closed_at is not None


def test_issue_board_outsider_does_not_see_viewer_cannot_post_wrong_method(
    client_for, volunteer_user, outsider, viewer
):
    issue = services.post_known_issue(by=volunteer_user, title="Cổng tỉnh bảo trì")
    url = reverse("helpdesk:issue_list")
    assert list(client_for(outsider).get(url).context["open_issues"]) == []
    assert client_for(outsider).post(reverse("helpdesk:issue_close", args=[issue.pk])).status_code == 404
    assert client_for(viewer).get(url).status_code == 403  # an issue names its poster
    assert client_for(viewer).post(url, {"title": "x"}).status_code == 403
    assert client_for(viewer).post(reverse("helpdesk:issue_close", args=[issue.pk])).status_code == 403
    assert client_for(viewer).put(url).status_code == 405
    assert client_for(volunteer_user).get(reverse("helpdesk:issue_close", args=[issue.pk])).status_code == 405


def test_known_issues_include_tag_shows_open_issues(volunteer_user):
    services.post_known_issue(by=volunteer_user, title="VNeID lỗi 09")
    request = RequestFactory().get("/")
    request.user = volunteer_user
    html = Template("{% load helpdesk %}{% known_issues %}").render(Context({"request": request}))
    assert "VNeID lỗi 09" in html


def test_retention_default_is_longer_than_the_call(settings):
    settings.XK_FOLLOWUP_DAYS = 30
    assert services.retention_days() >= 37
    assert services.followup_days() == 30


def test_the_due_call_shows_the_number_to_dial(client_for, volunteer_user, due_followup):
    html = client_for(volunteer_user).get(reverse("helpdesk:followup_list")).content.decode()
    assert 'href="tel:+84905123456"' in html and "0905 123 456" in html
