"""The offline desk's server side: the page, the sign-in state, the installable app, and what the API
takes from a phone (session sign-in with CSRF, the record time, the position, the campaign activity).

The browser side (records kept offline, sent once) is tests/browser/test_offline_desk.py.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import timezone

from xungkich import pwa
from xungkich.api.models import IdempotencyKey
from xungkich.core.errors import DomainError
from xungkich.helpdesk import services
from xungkich.helpdesk.models import HelpSession
from xungkich.helpdesk.tests.test_session_views import _outreach
from xungkich.people.models import User

pytestmark = pytest.mark.django_db

DESK = "/desk/offline/"
STATE = "/desk/offline/state.json"
API = "/api/v1/help-sessions"


def _config(response: Any) -> Any:
    html = response.content.decode()
    start = html.index('data-config="') + len('data-config="')
    from html import unescape

    return json.loads(unescape(html[start : html.index('"', start)]))


# --- the page ---------------------------------------------------------------------------------------


def test_the_desk_page_is_for_the_people_who_record_help(client, client_for, volunteer_user, viewer, kiosk):
    assert client.get(DESK).status_code == 302  # signed out: to the login page
    assert client_for(viewer).get(DESK).status_code == 403  # figures only
    assert client_for(kiosk).get(DESK).status_code == 403
    response = client_for(volunteer_user).get(DESK)
    assert response.status_code == 200
    form = response.context["form"]
    # The follow-up phone and the dossier code need consent recorded online: not on the offline form.
    for name in ("followup_phone", "followup_consent", "dossier_code", "tracking_consent"):
        assert name not in form.fields
    assert form.fields["place_kind"].initial == "door_to_door"
    assert form.fields["place_ward"].to_field_name == "code"  # the API takes official codes


def test_the_page_carries_what_its_script_needs_and_no_citizen_data(client_for, volunteer_user, point):
    response = client_for(volunteer_user).get(DESK)
    config = _config(response)
    assert config["userId"] == volunteer_user.pk
    assert config["api"]["sessions"] == API
    assert config["urls"]["worker"] == "/sw.js" and config["urls"]["searchIndex"] == "/search/offline.json"
    assert config["labels"]["need"]["account"] == "Tài khoản (VNeID hoặc Cổng dịch vụ công)"
    assert config["messages"]["offline"].startswith("Ngoại tuyến")
    assert config["today"] == timezone.localdate().isoformat()
    assert config["urls"]["state"] == STATE  # where the sync gets a fresh CSRF token


def test_only_the_desk_page_may_ask_for_the_position(client_for, volunteer_user):
    client = client_for(volunteer_user)
    desk = client.get(DESK)["Permissions-Policy"]
    assert "geolocation=(self)" in desk and "geolocation=()" not in desk
    assert "camera=(self)" in desk and "microphone=()" in desk  # the rest of the policy is kept
    assert "geolocation=()" in client.get("/desk/session/new/")["Permissions-Policy"]


def test_the_state_says_who_is_signed_in_with_a_fresh_token(client, client_for, volunteer_user, viewer):
    assert client.get(STATE).json() == {"signedIn": False, "userId": None, "csrfToken": None}
    state = client_for(volunteer_user).get(STATE)
    assert state["Cache-Control"].startswith("max-age=0") or "no-store" in state["Cache-Control"]
    body = state.json()
    assert (
        body["signedIn"] and body["userId"] == volunteer_user.pk and body["canRecord"] and body["csrfToken"]
    )
    assert client_for(viewer).get(STATE).json()["canRecord"] is False


# --- the installable app ----------------------------------------------------------------------------


def test_the_manifest_installs_the_desk(client):
    response = client.get("/manifest.webmanifest")  # browsers fetch it without the session
    assert response.status_code == 200 and response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["start_url"] == DESK and manifest["scope"] == "/" and manifest["display"] == "standalone"
    assert manifest["lang"] == "vi" and manifest["name"] == "Xung Kích Số"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]


def test_the_service_worker_is_served_from_the_root_with_its_shell(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript") and response["Cache-Control"] == "no-cache"
    head = response.content.decode().split("\n", 1)[0]
    config = json.loads(head.removeprefix("self.XK_SW = ").removesuffix(";"))
    assert config["shell"] == DESK and config["searchIndex"] == "/search/offline.json"
    assert len(config["version"]) == 16
    for url in config["precache"]:  # a missing file would make the worker's installation fail
        assert finders.find(url.removeprefix("/static/")), url


def test_a_changed_shell_file_gives_the_worker_a_new_version(monkeypatch, tmp_path):
    pwa._asset_digest.cache_clear()
    before = pwa._asset_digest()
    monkeypatch.setattr(pwa, "SHELL_ASSETS", (*pwa.SHELL_ASSETS[:-1], "css/poster.css"))
    pwa._asset_digest.cache_clear()
    try:
        assert pwa._asset_digest() != before
    finally:
        pwa._asset_digest.cache_clear()


SHELL_BUDGET = 200 * 1024  # bytes, gzip-compressed (docs/helpdesk.md)


def test_the_offline_shell_weighs_less_than_its_budget(client_for, volunteer_user, point):
    """What a phone downloads to work offline: the page, its files and the worker (the procedure list
    is counted apart: it grows with the catalogue, docs/search.md)."""
    client = client_for(volunteer_user)
    parts = [
        client.get(DESK).content,
        client.get("/sw.js").content,
        client.get("/manifest.webmanifest").content,
    ]
    for name in pwa.SHELL_ASSETS:
        with open(finders.find(name), "rb") as handle:
            parts.append(handle.read())
    compressed = sum(len(gzip.compress(part, compresslevel=6)) for part in parts)
    assert compressed < SHELL_BUDGET, f"offline shell {compressed} bytes compressed"


# --- what the API takes from the phone --------------------------------------------------------------


def _post(client: Client, body: dict[str, Any], *, token: str | None, key: str = "rec-1") -> Any:
    headers = {"Idempotency-Key": key}
    if token is not None:
        headers["X-CSRFToken"] = token
    return client.post(API, json.dumps(body), content_type="application/json", headers=headers)


def _signed_in(user: User) -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user, backend="xungkich.people.backends.UserBackend")
    token = client.get(STATE).json()["csrfToken"]
    return client, token


DOOR = {"need": "account", "place_kind": "door_to_door", "place_text": "Thôn Bãi Làng"}


def test_the_session_records_with_its_csrf_token_only(volunteer_user):
    client, token = _signed_in(volunteer_user)
    refused = _post(client, DOOR, token=None)
    assert refused.status_code in (401, 403) and not HelpSession.objects.exists()
    stored = _post(client, DOOR, token=token)
    assert stored.status_code == 201
    assert HelpSession.objects.get().helped_by == volunteer_user


def test_a_session_without_the_right_role_is_refused(viewer, kiosk):
    for user in (viewer, kiosk):
        client, token = _signed_in(user)
        assert _post(client, DOOR, token=token).status_code == 403
    assert not HelpSession.objects.exists()


def test_a_record_sent_twice_with_its_key_is_stored_once(volunteer_user):
    client, token = _signed_in(volunteer_user)
    first = _post(client, DOOR, token=token, key="7b7c6f7e-1")
    again = _post(client, DOOR, token=token, key="7b7c6f7e-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    assert HelpSession.objects.count() == 1 and IdempotencyKey.objects.count() == 1


def test_the_day_is_the_local_day_the_phone_saved_the_record(volunteer_user):
    client, token = _signed_in(volunteer_user)
    # 23:30 on 5/12 in Hồ Chí Minh City is 16:30 UTC: the help counts on 5/12, not 6/12 or 4/12.
    saved = dt.datetime(2026, 12, 5, 16, 30, tzinfo=dt.UTC)
    response = _post(client, {**DOOR, "recorded_at": saved.isoformat()}, token=token)
    assert response.status_code == 201
    session = HelpSession.objects.get()
    assert session.helped_on == dt.date(2026, 12, 5)
    assert session.device_recorded_at == saved
    assert response.json()["recorded_at"].startswith("2026-12-05T16:30:00")


def test_a_record_time_in_the_future_is_refused(volunteer_user):
    client, token = _signed_in(volunteer_user)
    later = timezone.now() + dt.timedelta(hours=2)
    response = _post(client, {**DOOR, "recorded_at": later.isoformat()}, token=token)
    assert response.status_code == 400 and response.json()["code"] == "recorded_in_future"
    assert "ngày giờ của điện thoại" in response.json()["message"]
    # A phone a few minutes fast is fine.
    soon = timezone.now() + dt.timedelta(minutes=3)
    assert _post(client, {**DOOR, "recorded_at": soon.isoformat()}, token=token, key="k2").status_code == 201


def test_a_record_time_from_a_reset_clock_is_refused(volunteer_user):
    client, token = _signed_in(volunteer_user)
    reset = dt.datetime(2010, 1, 1, 8, 0, tzinfo=dt.UTC)  # a phone whose battery ran flat
    response = _post(client, {**DOOR, "recorded_at": reset.isoformat()}, token=token)
    assert response.status_code == 400 and response.json()["code"] == "recorded_too_old"
    last_month = timezone.now() - dt.timedelta(days=30)  # a long stay on the island is fine
    assert (
        _post(client, {**DOOR, "recorded_at": last_month.isoformat()}, token=token, key="k2").status_code
        == 201
    )


def test_the_position_is_rounded_to_about_110_metres(volunteer_user):
    client, token = _signed_in(volunteer_user)
    response = _post(client, {**DOOR, "latitude": 15.953129, "longitude": 108.498761}, token=token)
    assert response.status_code == 201
    session = HelpSession.objects.get()
    assert (session.latitude, session.longitude) == (Decimal("15.953"), Decimal("108.499"))
    assert (response.json()["latitude"], response.json()["longitude"]) == (15.953, 108.499)


@pytest.mark.parametrize(
    "position",
    [
        {"latitude": 15.9},
        {"longitude": 108.4},
        {"latitude": 91, "longitude": 108.4},
        {"latitude": 15, "longitude": 181},
    ],
)
def test_half_a_position_or_one_off_the_globe_is_refused(volunteer_user, position):
    client, token = _signed_in(volunteer_user)
    response = _post(client, {**DOOR, **position}, token=token)
    assert response.status_code == 400
    assert response.json()["code"] in ("invalid_position", "invalid")
    assert not HelpSession.objects.exists()


def test_help_at_a_campaign_activity_from_the_phone(volunteer_user, coordinator, units):
    activity = _outreach(coordinator, units["hoian"], [units["branch"]])
    client, token = _signed_in(volunteer_user)
    response = _post(client, {**DOOR, "activity": activity.pk}, token=token)
    assert response.status_code == 201 and response.json()["activity"] == activity.pk
    assert HelpSession.objects.get().activity == activity


def test_an_activity_of_another_ward_is_refused(volunteer_user, outsider, units):
    activity = _outreach(outsider, units["other"], [])
    client, token = _signed_in(volunteer_user)
    response = _post(client, {**DOOR, "activity": activity.pk}, token=token)
    assert response.status_code == 400 and response.json()["code"] == "unknown_activity"
    assert not HelpSession.objects.exists()


def test_the_position_rule_holds_for_every_caller():
    assert services.checked_position(None, None) == (None, None)
    # The phone rounds before it keeps a position; the server rounds again, for every other caller.
    assert services.checked_position(Decimal("15.9535"), Decimal("108.4984")) == (
        Decimal("15.954"),
        Decimal("108.498"),
    )
    with pytest.raises(DomainError) as refused:
        services.checked_position(Decimal("15.9"), None)
    assert refused.value.code == "invalid_position"


def test_the_session_page_shows_where_and_when_the_phone_recorded_it(client_for, volunteer_user):
    client, token = _signed_in(volunteer_user)
    saved = dt.datetime(2026, 12, 5, 2, 15, tzinfo=dt.UTC)  # 09:15 in Hội An
    body = {**DOOR, "latitude": 15.953, "longitude": 108.499, "recorded_at": saved.isoformat()}
    assert _post(client, body, token=token).status_code == 201
    page = client_for(volunteer_user).get(f"/desk/session/{HelpSession.objects.get().pk}/").content.decode()
    assert '<dd id="session-position">15.953, 108.499</dd>' in page  # not "15,953": the comma separates
    assert '<dd id="session-device-time">09:15 05/12/2026 · ' in page
