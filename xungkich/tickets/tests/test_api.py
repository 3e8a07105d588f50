"""JSON API v1: take a ticket (public), call next (token), the board (public)."""

import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from freezegun import freeze_time

from xungkich.api import services as api_services
from xungkich.tickets import services
from xungkich.tickets.models import Ticket
from xungkich.tickets.tests.helpers import DAY, local, make_point


@pytest.fixture
def point(units):
    cache.clear()
    return make_point(units["hoian"])


@pytest.fixture
def now():
    with freeze_time(local(DAY, 9, 0)) as frozen:
        yield frozen


def post(path, data, **extra):
    return Client(**extra).post(path, json.dumps(data), content_type="application/json")


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_services.create_token(user=user)}"}


def test_take_ticket(point, now):
    services.take_ticket(point=point, need="other")
    response = post("/api/v1/tickets", {"service_point": point.pk, "need": "account"})
    assert response.status_code == 201
    body = response.json()
    ticket = Ticket.objects.get(number=2)
    assert body["number"] == 2
    assert body["label"] == "002"
    assert body["ahead"] == 1
    assert body["ahead_at_least"] is False
    assert body["estimated_wait_minutes"] == 8
    assert body["estimate_measured"] is False
    assert body["url"] == f"http://testserver/q/t/{ticket.public_token}/"
    assert ticket.source == Ticket.Source.API


def test_take_ticket_errors(point, now, settings):
    response = post("/api/v1/tickets", {"service_point": point.pk, "need": "password"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    response = post("/api/v1/tickets", {"service_point": point.pk + 99, "need": "account"})
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Không có điểm phục vụ này."}
    settings.XK_TICKETS_RATE_PER_IP = (1, 600)
    assert post("/api/v1/tickets", {"service_point": point.pk, "need": "app"}).status_code == 201
    response = post("/api/v1/tickets", {"service_point": point.pk, "need": "app"})
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert Client().get("/api/v1/tickets").status_code == 405


def test_take_ticket_query_count(point, now, django_assert_num_queries, settings):
    services.take_ticket(point=point, need="other")  # the day's help times are now cached
    # PostgreSQL: point, counter upsert + ticket INSERT in one statement, people ahead.
    # SQLite: point, [savepoint], counter upsert, ticket INSERT, [release], people ahead (inside the
    # test's transaction the service's atomic block is a savepoint: two lines more).
    with django_assert_num_queries(3 if connection.vendor == "postgresql" else 6):
        assert post("/api/v1/tickets", {"service_point": point.pk, "need": "account"}).status_code == 201


def test_call_next(point, now, coordinator):
    first = services.take_ticket(point=point, need="lookup").ticket
    response = post(
        "/api/v1/desk/call-next", {"service_point": point.pk, "desk": "Bàn 1"}, **bearer(coordinator)
    )
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == first.pk
    assert body["label"] == "001"
    assert body["desk"] == "Bàn 1"
    assert body["status"] == "called"
    assert body["help_session_url"] == f"/desk/session/new/?ticket={first.pk}"
    response = post(
        "/api/v1/desk/call-next", {"service_point": point.pk, "desk": "Bàn 2"}, **bearer(coordinator)
    )
    assert response.status_code == 404
    assert response.json() == {"code": "queue_empty", "message": "Không có ai đang chờ."}
    response = post(
        "/api/v1/desk/call-next", {"service_point": point.pk, "desk": "Bàn 1"}, **bearer(coordinator)
    )
    assert response.status_code == 400
    assert response.json()["code"] == "desk_busy"


def test_call_next_access(point, now, viewer, outsider, kiosk):
    services.take_ticket(point=point, need="lookup")
    data = {"service_point": point.pk, "desk": "Bàn 1"}
    assert post("/api/v1/desk/call-next", data).status_code == 401
    assert post("/api/v1/desk/call-next", data, **bearer(outsider)).status_code == 404
    assert post("/api/v1/desk/call-next", data, **bearer(viewer)).json()["code"] == "forbidden"
    assert post("/api/v1/desk/call-next", data, **bearer(kiosk)).status_code == 403
    assert Client(**bearer(viewer)).get("/api/v1/desk/call-next").status_code == 405
    assert Ticket.objects.get().status == Ticket.Status.WAITING


def test_call_next_query_count(point, now, coordinator, django_assert_num_queries):
    services.take_ticket(point=point, need="lookup")
    headers = bearer(coordinator)
    # token + user, token last use, point, [savepoint], one UPDATE of the first waiting ticket
    # (picked FOR UPDATE SKIP LOCKED on PostgreSQL) unless the desk is busy, audit INSERT, [release]
    with django_assert_num_queries(7):
        response = post("/api/v1/desk/call-next", {"service_point": point.pk, "desk": "Bàn 1"}, **headers)
    assert response.status_code == 200


def test_board(point, now, django_assert_num_queries, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(4):
            services.take_ticket(point=point, need="other")
        services.call_next_ticket(point=point, desk="Bàn 2", by=None)
    # point, serving, waiting count, next numbers, help times; then from the cache until a change
    with django_assert_num_queries(5):
        response = Client().get(f"/api/v1/board/{point.pk}")
    with django_assert_num_queries(0):
        assert Client().get(f"/api/v1/board/{point.pk}").json() == response.json()
    assert response.status_code == 200
    body = response.json()
    assert body["point"] == {"id": point.pk, "name": point.name}
    assert body["waiting"] == 3
    assert body["next"] == ["002", "003", "004"]
    assert body["serving"][0]["desk"] == "Bàn 2"
    assert body["serving"][0]["label"] == "001"
    first_key = body["serving"][0]["key"]
    with django_capture_on_commit_callbacks(execute=True):
        services.recall_ticket(ticket=Ticket.objects.get(number=1), by=None)
    assert Client().get(f"/api/v1/board/{point.pk}").json()["serving"][0]["key"] != first_key
    assert Client().get(f"/api/v1/board/{point.pk + 99}").status_code == 404
    assert Client().post(f"/api/v1/board/{point.pk}").status_code == 405
    assert "public_token" not in json.dumps(body)


def test_board_cache_is_dropped_when_the_queue_changes(point, now, django_capture_on_commit_callbacks):
    url = f"/api/v1/board/{point.pk}"

    def committed(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    assert Client().get(url).json()["waiting"] == 0
    ticket = committed(lambda: services.take_ticket(point=point, need="other").ticket)
    assert Client().get(url).json()["waiting"] == 1
    committed(lambda: services.call_next_ticket(point=point, desk="Bàn 1", by=None))
    assert Client().get(url).json()["serving"][0]["label"] == "001"
    committed(lambda: services.finish_ticket(ticket=ticket, by=None))
    state = Client().get(url).json()
    assert state["serving"] == []
    assert state["estimate_measured"] is True  # the help times were dropped too
    second = committed(lambda: services.take_ticket(point=point, need="other").ticket)
    committed(lambda: services.cancel_ticket(ticket=second))
    assert Client().get(url).json()["waiting"] == 0


def test_board_shows_the_twelve_latest_desks(point):
    for minute in range(14):
        with freeze_time(local(DAY, 9, minute)):
            services.take_ticket(point=point, need="other")
            services.call_next_ticket(point=point, desk=f"Bàn {minute + 1}", by=None)
    with freeze_time(local(DAY, 9, 30)):
        serving = Client().get(f"/api/v1/board/{point.pk}").json()["serving"]
    assert [s["desk"] for s in serving] == [f"Bàn {n}" for n in range(14, 2, -1)]
