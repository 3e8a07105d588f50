"""JSON API v1: POST and GET /api/v1/help-sessions."""

import json

import pytest

from xungkich.api.models import IdempotencyKey
from xungkich.api.services import create_token
from xungkich.helpdesk.models import HelpSession
from xungkich.helpdesk.tests.conftest import make_session

pytestmark = pytest.mark.django_db

URL = "/api/v1/help-sessions"


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {create_token(user=user)}"}


def post(client, user_or_headers, body, **headers):
    auth = user_or_headers if isinstance(user_or_headers, dict) else bearer(user_or_headers)
    return client.post(URL, json.dumps(body), content_type="application/json", **auth, **headers)


def test_create_answers_201_with_the_record_as_stored(client, volunteer_user, point):
    response = post(
        client,
        volunteer_user,
        {
            "service_point": point.pk,
            "need": "account",
            "outcome": "done",
            "notes": "Khách để lại số 0905123456",
        },
    )
    assert response.status_code == 201
    body = response.json()
    session = HelpSession.objects.get()
    assert body["id"] == session.pk
    assert body["notes"] == session.notes and "[SĐT]" in body["notes"] and "0905123456" not in body["notes"]
    assert body["helped_by"] == volunteer_user.username and body["service_point"] == point.pk


def test_a_secret_in_the_notes_is_400_in_vietnamese_and_nothing_is_stored(client, volunteer_user, point):
    response = post(
        client,
        volunteer_user,
        {"service_point": point.pk, "need": "account", "outcome": "done", "notes": "OTP 482913"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "secret_in_notes"
    assert "mật khẩu" in response.json()["message"]
    assert not HelpSession.objects.exists()


def test_errors_in_english_on_request(client, volunteer_user, point):
    response = post(
        client,
        volunteer_user,
        {"service_point": point.pk, "need": "account", "notes": "pass: Abc@12345"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "secret_in_notes"
    assert "password" in response.json()["message"]


def test_bad_input_is_a_coded_400(client, volunteer_user, point):
    response = post(client, volunteer_user, {"service_point": point.pk, "need": "teleport"})
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    response = post(client, volunteer_user, {"service_point": 99999, "need": "account"})
    assert response.json()["code"] == "unknown_service_point"
    response = post(
        client, volunteer_user, {"service_point": point.pk, "need": "account", "outcome": "failed"}
    )
    assert response.json()["code"] == "reason_required"


def test_without_a_token_401_viewer_403(client, viewer, point):
    assert client.post(URL, "{}", content_type="application/json").status_code == 401
    response = post(client, viewer, {"service_point": point.pk, "need": "account"})
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_a_retry_with_the_same_key_returns_the_first_result(client, volunteer_user, point):
    auth = bearer(volunteer_user)
    body = {"service_point": point.pk, "need": "account", "outcome": "done"}
    first = post(client, auth, body, HTTP_IDEMPOTENCY_KEY="k-1")
    # the same JSON written differently is the same request
    again = client.post(
        URL,
        f'{{"need":"account", "outcome":"done","service_point":{point.pk}}}',
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k-1",
        **auth,
    )
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert HelpSession.objects.count() == 1


def test_the_same_key_with_another_body_is_409(client, volunteer_user, point):
    auth = bearer(volunteer_user)
    post(client, auth, {"service_point": point.pk, "need": "account"}, HTTP_IDEMPOTENCY_KEY="k-2")
    response = post(client, auth, {"service_point": point.pk, "need": "payment"}, HTTP_IDEMPOTENCY_KEY="k-2")
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert HelpSession.objects.count() == 1


def test_keys_are_per_user(client, volunteer_user, coordinator, point):
    body = {"service_point": point.pk, "need": "account"}
    post(client, volunteer_user, body, HTTP_IDEMPOTENCY_KEY="shared")
    post(client, coordinator, body, HTTP_IDEMPOTENCY_KEY="shared")
    assert HelpSession.objects.count() == 2


def test_a_refused_request_does_not_burn_its_key(client, volunteer_user, point):
    auth = bearer(volunteer_user)
    bad = post(
        client,
        auth,
        {"service_point": point.pk, "need": "account", "notes": "OTP 482913"},
        HTTP_IDEMPOTENCY_KEY="k-3",
    )
    assert bad.status_code == 400 and not IdempotencyKey.objects.exists()
    good = post(
        client,
        auth,
        {"service_point": point.pk, "need": "account", "notes": "ok"},
        HTTP_IDEMPOTENCY_KEY="k-3",
    )
    assert good.status_code == 201


def test_list_shows_what_the_user_may_see_with_filters_and_pages(
    client, coordinator, volunteer_user, outsider, point, other_point, django_assert_num_queries
):
    for _ in range(3):
        make_session(volunteer_user, point)
    make_session(outsider, other_point)
    auth = bearer(coordinator)
    client.get(URL, **auth)  # the token's last-used time is written once
    with django_assert_num_queries(3):  # token+user, count, page
        response = client.get(URL, {"limit": 2}, **auth)
    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 3 and len(body["results"]) == 2
    assert client.get(URL, {"offset": 2}, **auth).json()["results"][0]["service_point"] == point.pk
    assert client.get(URL, {"service_point": other_point.pk}, **auth).json()["count"] == 0
    assert client.get(URL, {"date_from": "2000-01-01", "date_to": "2000-01-02"}, **auth).json()["count"] == 0
    assert client.get(URL, **bearer(volunteer_user)).json()["count"] == 3
    assert client.get(URL, **bearer(outsider)).json()["count"] == 1


def test_list_kiosk_403(client, kiosk):
    assert client.get(URL, **bearer(kiosk)).status_code == 403


def test_a_session_for_a_ticket_takes_the_ticket_point_and_is_recorded_once(client, volunteer_user, ticket):
    auth = bearer(volunteer_user)
    first = post(client, auth, {"ticket": ticket.pk, "need": "account", "outcome": "done"})
    assert first.status_code == 201
    assert first.json()["service_point"] == ticket.point_id and first.json()["duration_minutes"] == 12
    again = post(client, auth, {"ticket": ticket.pk, "need": "account"})
    assert again.status_code == 400 and again.json()["code"] == "ticket_already_recorded"


def test_a_ticket_outside_the_scope_is_404(client, outsider, ticket):
    response = post(client, outsider, {"ticket": ticket.pk, "need": "account"})
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_the_api_point_check_agrees_with_the_recorder_points(
    units, coordinator, unit_leader, volunteer_user, viewer, kiosk, outsider, django_user_model
):
    """``can_record_at`` (no query, used by the API) says yes exactly for ``points_for_recorder``."""
    from xungkich.helpdesk import access
    from xungkich.places.models import ServicePoint

    superuser = django_user_model.objects.create_superuser(username="root", password="x-Ab12345678")
    points = [ServicePoint.objects.create(name=f"Điểm {name}", unit=unit) for name, unit in units.items()]
    closed = ServicePoint.objects.create(name="Điểm đã đóng", unit=units["hoian"], is_active=False)
    points.append(closed)
    users = [coordinator, unit_leader, volunteer_user, viewer, kiosk, outsider, superuser]
    for user in users:
        allowed = set(access.points_for_recorder(user).values_list("pk", flat=True))
        for point in points:
            loaded = ServicePoint.objects.select_related("unit").get(pk=point.pk)
            assert access.can_record_at(user, loaded) == (point.pk in allowed), (user.username, point.name)
            recorded_at = access.recording_point(user, point.pk)
            assert (recorded_at is not None) == (point.pk in allowed)
    # Someone may record somewhere, and not everywhere: the comparison is not vacuous.
    assert access.recording_point(volunteer_user, points[0].pk) is not None
    assert access.recording_point(outsider, points[1].pk) is None
