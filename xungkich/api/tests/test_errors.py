"""Every answer under /api/v1/ is JSON ``{"code", "message"}`` when it is an error, a 500 included.

Each case here was a 500 HTML page before: dates past what the date arithmetic can hold, text longer
than its column (PostgreSQL refuses it), a NUL byte (PostgreSQL refuses it in text), ``true`` taken
as the service point 1.
"""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client

from xungkich.api import services as api_services
from xungkich.helpdesk.models import HelpSession
from xungkich.places.models import ServicePoint
from xungkich.tickets.models import Ticket

pytestmark = pytest.mark.django_db

SUMMARY = "/api/v1/reports/summary"
SESSIONS = "/api/v1/help-sessions"


def bearer(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_services.create_token(user=user)}"}


def post(path, body, **extra):
    return Client().post(path, json.dumps(body), content_type="application/json", **extra)


def assert_error(response, status: int, code: str) -> dict[str, str]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message"}
    assert body["code"] == code and body["message"]
    return body


@pytest.fixture
def point(units) -> ServicePoint:
    return ServicePoint.objects.create(name="Trung tâm Hành chính công Hội An", unit=units["hoian"])


# dates ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end"),
    [("9999-12-30", "9999-12-31"), ("2101-01-01", "2101-01-02"), ("1999-12-31", "2000-01-01")],
)
def test_summary_dates_outside_the_supported_range_are_a_clear_400(coordinator, start, end):
    response = Client().get(SUMMARY, {"from": start, "to": end}, **bearer(coordinator))
    body = assert_error(response, 400, "invalid")
    assert "01/01/2000" in body["message"] and "31/12/2100" in body["message"]


def test_summary_dates_at_the_edges_of_the_range_are_answered(coordinator):
    for start, end in [("2000-01-01", "2000-01-31"), ("2100-12-01", "2100-12-31")]:
        response = Client().get(SUMMARY, {"from": start, "to": end}, **bearer(coordinator))
        assert response.status_code == 200, response.content
        assert response.json()["to"] == end


def test_a_help_session_dated_far_in_the_future_is_refused(volunteer_user, point):
    response = post(
        SESSIONS,
        {"service_point": point.pk, "need": "account", "helped_on": "9999-12-31"},
        **bearer(volunteer_user),
    )
    body = assert_error(response, 400, "invalid")
    assert "helped_on" in body["message"]
    assert not HelpSession.objects.exists()


# text -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["place_text", "procedure_name", "procedure_code"])
def test_text_longer_than_its_column_is_a_400_naming_the_field(volunteer_user, point, field):
    limit = HelpSession._meta.get_field(field).max_length
    body = {"service_point": point.pk, "need": "account", "place_kind": "mobile", "place_text": "Chợ"}
    body[field] = "x" * (limit + 1)
    response = post(SESSIONS, body, **bearer(volunteer_user))
    error = assert_error(response, 400, "invalid")
    assert field in error["message"]
    assert not HelpSession.objects.exists()
    body[field] = "x" * limit
    assert post(SESSIONS, body, **bearer(volunteer_user)).status_code == 201


def test_notes_over_the_limit_are_refused(volunteer_user, point):
    body = {"service_point": point.pk, "need": "account", "notes": "a" * 2001}
    error = assert_error(post(SESSIONS, body, **bearer(volunteer_user)), 400, "invalid")
    assert "notes" in error["message"]


@pytest.mark.parametrize("text", ["Chợ\x00Hội An", "bell\x07", "esc\x1b[31m", "del\x7f"])
def test_control_characters_in_text_are_a_400(volunteer_user, point, text):
    body = {"service_point": point.pk, "need": "account", "place_kind": "mobile", "place_text": text}
    error = assert_error(post(SESSIONS, body, **bearer(volunteer_user)), 400, "invalid")
    assert "place_text" in error["message"] and "điều khiển" in error["message"]
    assert not HelpSession.objects.exists()


def test_line_breaks_and_tabs_in_notes_are_kept(volunteer_user, point):
    body = {"service_point": point.pk, "need": "account", "notes": "Dòng 1\nDòng 2\tcột"}
    response = post(SESSIONS, body, **bearer(volunteer_user))
    assert response.status_code == 201
    assert HelpSession.objects.get().notes == "Dòng 1\nDòng 2\tcột"


def test_a_nul_byte_in_a_query_or_a_path_is_a_400_or_404_not_a_500(coordinator):
    response = Client().get("/api/v1/search", {"q": "căn cước\x00"})
    assert_error(response, 400, "invalid")
    response = Client().get("/api/v1/guides/abc%00def")
    assert_error(response, 404, "not_found")


# numbers ----------------------------------------------------------------------------------------


def test_true_is_not_the_service_point_1(volunteer_user, point, units):
    if not ServicePoint.objects.filter(pk=1).exists():  # a point 1 the volunteer may record at
        ServicePoint.objects.create(pk=1, name="Điểm số 1", unit=units["hoian"])
    response = post(SESSIONS, {"service_point": True, "need": "account"}, **bearer(volunteer_user))
    error = assert_error(response, 400, "invalid")
    assert "service_point" in error["message"]
    assert not HelpSession.objects.exists()
    response = post("/api/v1/tickets", {"service_point": True, "need": "account"})
    assert_error(response, 400, "invalid")
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/campaigns/99999999999999999999999/progress",
        "/api/v1/board/99999999999999999999999",
    ],
)
def test_ids_too_large_for_the_database_are_refused(coordinator, path):
    response = Client().get(path, **bearer(coordinator))
    assert response.status_code in (400, 404)
    assert set(response.json()) == {"code", "message"}


def test_huge_numbers_in_a_body_are_refused(volunteer_user, point):
    response = post(SESSIONS, {"service_point": 10**30, "need": "account"}, **bearer(volunteer_user))
    assert_error(response, 400, "invalid")
    response = post(
        SESSIONS,
        {"service_point": point.pk, "need": "account", "duration_minutes": 10**6},
        **bearer(volunteer_user),
    )
    assert_error(response, 400, "invalid")


def test_a_body_that_is_not_json_is_a_coded_400(volunteer_user):
    response = Client().post(SESSIONS, "{not json", content_type="application/json", **bearer(volunteer_user))
    assert_error(response, 400, "invalid")


# anything else ----------------------------------------------------------------------------------


def test_an_unexpected_error_is_a_json_500_and_logged_with_its_traceback(coordinator, monkeypatch, caplog):
    from xungkich.reports import selectors

    def broken(**kwargs):
        raise RuntimeError("the rollups are on fire")

    monkeypatch.setattr(selectors, "summary", broken)
    with caplog.at_level(logging.ERROR):
        response = Client().get(SUMMARY, {"from": "2026-12-01", "to": "2026-12-31"}, **bearer(coordinator))
    body = assert_error(response, 500, "server_error")
    assert "fire" not in body["message"]  # nothing of the inside shows
    record = next(r for r in caplog.records if r.exc_info and "fire" in str(r.exc_info[1]))
    assert record.exc_info[0] is RuntimeError


def test_the_500_message_is_in_vietnamese(coordinator, monkeypatch):
    from xungkich.reports import selectors

    monkeypatch.setattr(selectors, "summary", lambda **kwargs: 1 / 0)
    response = Client().get(SUMMARY, {"from": "2026-12-01", "to": "2026-12-31"}, **bearer(coordinator))
    assert "lỗi" in assert_error(response, 500, "server_error")["message"].lower()


def test_an_unknown_address_under_the_api_is_a_json_404():
    for path in ("/api/v1/nothing-here", "/api/v1/tickets/12/extra", "/api/v1/"):
        assert_error(Client().get(path), 404, "not_found")


def test_a_wrong_method_is_a_json_405_that_says_what_is_allowed(coordinator):
    response = Client().get("/api/v1/tickets")
    assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "POST"
    response = Client().delete("/api/v1/reports/summary", **bearer(coordinator))
    assert_error(response, 405, "method_not_allowed")


def test_the_schema_is_served_and_declares_the_limits_and_the_error_answers():
    schema = Client().get("/api/v1/openapi.json").json()
    body = schema["components"]["schemas"]["HelpSessionIn"]["properties"]
    for field in ("place_text", "procedure_name", "procedure_code"):
        assert body[field]["maxLength"] == HelpSession._meta.get_field(field).max_length
        assert "\\x00" in body[field]["pattern"]
    assert body["notes"]["maxLength"] >= 2000
    assert body["duration_minutes"]["anyOf"][0]["maximum"] == 600
    post_sessions = schema["paths"]["/api/v1/help-sessions"]["post"]["responses"]
    assert {"201", "400", "401", "403", "404", "409"} <= set(post_sessions)
    take = schema["paths"]["/api/v1/tickets"]["post"]["responses"]
    assert {"201", "400", "404", "409", "429"} <= set(take)
    summary = schema["paths"]["/api/v1/reports/summary"]["get"]
    assert {"200", "400", "401", "403", "404"} <= set(summary["responses"])
    dates = {p["name"]: p["schema"] for p in summary["parameters"]}
    assert dates["from"]["formatMinimum"] == "2000-01-01" and dates["to"]["formatMaximum"] == "2100-12-31"
