"""Two simultaneous POSTs with one Idempotency-Key store one session (each thread its own connection)."""

import json
import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client

from xungkich.api.models import IdempotencyKey
from xungkich.api.services import create_token
from xungkich.helpdesk import api as helpdesk_api
from xungkich.helpdesk.models import HelpSession

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 4


def test_concurrent_retries_store_one_session(volunteer_user, point, monkeypatch):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "SQLite in-memory test database: threads share one cache; run on PostgreSQL (DATABASE_URL=…)"
        )
    token = create_token(user=volunteer_user)
    body = json.dumps({"service_point": point.pk, "need": "account", "outcome": "done"})
    real_create = helpdesk_api._create
    calls = []

    def slow_create(user, payload):
        calls.append(1)
        result = real_create(user, payload)
        time.sleep(0.3)  # hold the transaction open: the other requests meet the key mid-flight
        return result

    monkeypatch.setattr(helpdesk_api, "_create", slow_create)
    barrier = threading.Barrier(THREADS)
    answers = []
    lock = threading.Lock()

    def worker():
        try:
            barrier.wait(timeout=10)
            response = Client().post(
                "/api/v1/help-sessions",
                body,
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
                HTTP_IDEMPOTENCY_KEY="retry-1",
            )
            with lock:
                answers.append((response.status_code, response.json()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == THREADS
    assert {status for status, _ in answers} == {201}
    assert len({body["id"] for _, body in answers}) == 1
    assert HelpSession.objects.count() == 1 and IdempotencyKey.objects.count() == 1
    assert len(calls) == 1
