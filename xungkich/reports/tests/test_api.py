"""GET /api/v1/reports/summary: token auth, scope, figures from the rollups, in the schema."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.test import Client

from xungkich.api import services as api_services
from xungkich.reports import figures as f
from xungkich.reports import rollups
from xungkich.reports.synthetic import Place
from xungkich.reports.tests.data import DECEMBER
from xungkich.reports.tests.help_data import make_sessions

URL = "/api/v1/reports/summary"
DEC = {"from": "2026-12-01", "to": "2026-12-31"}


def bearer(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_services.create_token(user=user)}"}


@pytest.fixture
def sessions(units):
    made = make_sessions(
        random.Random(3),
        places=[Place(units["hoian"].pk, None), Place(units["other"].pk, None)],
        start=DECEMBER,
        days=31,
        count=60,
    )
    rollups.rebuild(start=DECEMBER, end=dt.date(2026, 12, 31))
    return made


def test_summary_gives_the_scope_figures(coordinator, units, sessions):
    response = Client().get(URL, DEC, **bearer(coordinator))
    assert response.status_code == 200
    data = response.json()
    expected = rollups.figures(unit=units["hoian"], start=DECEMBER, end=dt.date(2026, 12, 31))
    assert data["unit"] == {"id": units["hoian"].pk, "name": "Đoàn phường Hội An"}
    assert data["from"] == "2026-12-01" and data["to"] == "2026-12-31"
    assert (
        data["totals"][f.SESSIONS]
        == expected.total(f.SESSIONS)
        == sum(1 for s in sessions if s.unit_id == units["hoian"].pk)
    )
    assert data["breakdowns"][f.BY_NEED] == expected.breakdowns[f.BY_NEED]
    weeks = data["trends"]["week"][f.SESSIONS]
    assert weeks[0]["start"] == "2026-11-30" and sum(w["value"] for w in weeks) == expected.total(f.SESSIONS)


def test_a_unit_outside_the_tokens_scope_is_404(coordinator, outsider, units, sessions):
    assert Client().get(URL, {**DEC, "unit": units["other"].pk}, **bearer(coordinator)).status_code == 404
    assert Client().get(URL, {**DEC, "unit": units["hoian"].pk}, **bearer(outsider)).status_code == 404
    city = Client().get(URL, {**DEC, "unit": units["city"].pk}, **bearer(coordinator))
    assert city.status_code == 404


def test_viewers_read_volunteers_and_kiosks_do_not(viewer, volunteer_user, kiosk, units, sessions):
    assert Client().get(URL, DEC, **bearer(viewer)).status_code == 200
    assert Client().get(URL, DEC, **bearer(volunteer_user)).status_code == 403
    assert Client().get(URL, DEC, **bearer(kiosk)).status_code == 403


def test_no_token_is_401_and_post_is_405(coordinator, db):
    assert Client().get(URL, DEC).status_code == 401
    assert Client().post(URL, DEC, **bearer(coordinator)).status_code == 405


def test_bad_ranges_are_coded_errors(coordinator):
    response = Client().get(URL, {"from": "2026-12-31", "to": "2026-12-01"}, **bearer(coordinator))
    assert response.status_code == 400 and response.json()["code"] == "bad_range"
    response = Client().get(URL, {"from": "2020-01-01", "to": "2026-12-01"}, **bearer(coordinator))
    assert response.json()["code"] == "range_too_long"
    assert Client().get(URL, {"from": "01/12/2026"}, **bearer(coordinator)).status_code in (400, 422)


def test_summary_is_in_the_openapi_schema(db):
    schema = Client().get("/api/v1/openapi.json").json()
    operation = schema["paths"][URL]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"from", "to", "unit"}
    assert operation.get("security")
