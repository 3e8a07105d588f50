"""Property-based run over the whole OpenAPI schema (schemathesis, in the WSGI app, no server).

Every operation gets valid and invalid requests generated from the schema, sent with a coordinator's
token against a seeded database. Checked: no 5xx, and every answer (errors included) matches the
status codes and shapes the schema declares. Bounded: a few examples per operation, derandomised,
so it runs in the normal test suite (SQLite and PostgreSQL) in well under two minutes.
"""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from xungkich.api.services import create_token
from xungkich.helpdesk.tests.conftest import make_session
from xungkich.places.models import ServicePoint
from xungkich.tickets import services as ticket_services

MAX_EXAMPLES = 12


@pytest.fixture
def keep_the_test_connection():
    """Requests through the WSGI app share the test's connection (and its transaction): as in
    Django's test client, the end of a request must not close it."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(db, keep_the_test_connection, units, coordinator, volunteer_user):
    """A point with a queue and help sessions in the coordinator's unit; a clean rate-limit cache."""
    cache.clear()
    point = ServicePoint.objects.create(name="Trung tâm Hành chính công Hội An", unit=units["hoian"])
    for need in ("account", "lookup", "payment"):
        ticket_services.take_ticket(point=point, need=need)
    make_session(volunteer_user, point, notes="Cài VNeID cho bác")
    make_session(volunteer_user, point, helped_on=timezone.localdate() - dt.timedelta(days=3))
    return point


@pytest.fixture
def token(coordinator) -> str:
    return create_token(user=coordinator, name="schema fuzzing")


# The schema as the app serves it (read at collection: it needs no database).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
schema.config.generation.update(max_examples=MAX_EXAMPLES, deterministic=True, database="none")


@schema.parametrize()
@settings(
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_the_api_answers_every_generated_request_as_its_schema_says(case, seeded, token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
    )
