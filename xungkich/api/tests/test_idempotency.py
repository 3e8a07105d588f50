"""Every POST of the API honours ``Idempotency-Key``: a retry gets the first answer, not a second row.

The help desk's own cases are in xungkich/helpdesk/tests/test_api.py; here the queue's POSTs.
"""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from freezegun import freeze_time

from xungkich.api import services as api_services
from xungkich.api.models import IdempotencyKey
from xungkich.tickets import services
from xungkich.tickets.models import Ticket
from xungkich.tickets.tests.helpers import DAY, local, make_point

pytestmark = pytest.mark.django_db

TAKE = "/api/v1/tickets"
CALL = "/api/v1/desk/call-next"


@pytest.fixture
def point(units):
    cache.clear()
    return make_point(units["hoian"])


@pytest.fixture
def now():
    with freeze_time(local(DAY, 9, 0)) as frozen:
        yield frozen


def post(path, data, key=None, *, client=None, **extra):
    if key is not None:
        extra["HTTP_IDEMPOTENCY_KEY"] = key
    return (client or Client()).post(path, json.dumps(data), content_type="application/json", **extra)


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_services.create_token(user=user)}"}


def test_a_retried_ticket_takes_no_second_number(point, now):
    body = {"service_point": point.pk, "need": "account"}
    first = post(TAKE, body, "kiosk-7f3a")
    again = post(TAKE, body, "kiosk-7f3a")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert first.json()["number"] == 1
    assert Ticket.objects.count() == 1
    record = IdempotencyKey.objects.get()
    assert record.user is None and record.client == "127.0.0.1" and record.response["number"] == 1
    # another key is another ticket
    assert post(TAKE, body, "kiosk-8b21").json()["number"] == 2
    assert Ticket.objects.count() == 2


def test_the_same_key_with_another_body_is_409_and_takes_nothing(point, now):
    post(TAKE, {"service_point": point.pk, "need": "account"}, "k-1")
    response = post(TAKE, {"service_point": point.pk, "need": "payment"}, "k-1")
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert Ticket.objects.count() == 1


def test_ticket_keys_belong_to_the_client_address(point, now):
    body = {"service_point": point.pk, "need": "account"}
    first = post(TAKE, body, "same", REMOTE_ADDR="203.0.113.7")
    other = post(TAKE, body, "same", REMOTE_ADDR="198.51.100.9")
    assert first.json()["number"] == 1 and other.json()["number"] == 2
    assert Ticket.objects.count() == 2


def test_a_retry_does_not_count_against_the_rate_limit(point, now, settings):
    settings.XK_TICKETS_RATE_PER_IP = (1, 600)
    body = {"service_point": point.pk, "need": "account"}
    assert post(TAKE, body, "one").status_code == 201
    assert post(TAKE, body, "one").status_code == 201  # the replay, not a new number
    refused = post(TAKE, body, "two")
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"
    # a refusal keeps no key: the same key is tried afresh once the limit allows it
    assert IdempotencyKey.objects.filter(key="two").count() == 0
    settings.XK_TICKETS_RATE_PER_IP = (100, 600)
    assert post(TAKE, body, "two").json()["number"] == 2


def test_a_bad_key_is_a_coded_400(point, now):
    response = post(TAKE, {"service_point": point.pk, "need": "account"}, "x" * 101)
    assert response.status_code == 400 and response.json()["code"] == "invalid_idempotency_key"
    assert not Ticket.objects.exists()


def test_a_retried_call_next_calls_no_second_ticket(point, now, coordinator):
    for _ in range(2):
        services.take_ticket(point=point, need="lookup")
    auth = bearer(coordinator)
    body = {"service_point": point.pk, "desk": "Bàn 1"}
    first = post(CALL, body, "call-1", **auth)
    again = post(CALL, body, "call-1", **auth)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and first.json()["label"] == "001"
    assert list(Ticket.objects.order_by("number").values_list("status", flat=True)) == ["called", "waiting"]
    assert post(CALL, {**body, "desk": "Bàn 2"}, "call-1", **auth).status_code == 409


def test_an_empty_queue_keeps_no_key(point, now, coordinator):
    auth = bearer(coordinator)
    body = {"service_point": point.pk, "desk": "Bàn 1"}
    empty = post(CALL, body, "call-2", **auth)
    assert empty.status_code == 404 and empty.json()["code"] == "queue_empty"
    assert not IdempotencyKey.objects.exists()
    services.take_ticket(point=point, need="lookup")
    assert post(CALL, body, "call-2", **auth).json()["label"] == "001"


def test_the_keys_stay_in_their_table():
    """The model moved from helpdesk to api; its table (and the keys already stored) did not."""
    assert IdempotencyKey._meta.db_table == "helpdesk_idempotencykey"
    assert "helpdesk_idempotencykey" in connection.introspection.table_names()
