"""Required two-step sign-in: until a coordinator has set it up, every page but a few sends them there."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern
from django_otp.plugins.otp_totp.models import TOTPDevice

from xungkich.api.services import create_token
from xungkich.people.models import User

# Pages a coordinator without an authenticator may still open.
ALLOWED = {"two_factor_setup", "otp_verify", "logout", "set_language", "login", "healthz"}

_CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")
_SAMPLES = {"int": "1", "str": "x", "slug": "x", "path": "x/y", "uuid": str(uuid.uuid4())}


def _routes(
    patterns: list[URLPattern | URLResolver], prefix: str = "", ns: str = ""
) -> Iterator[tuple[str, str]]:
    """(path with sample arguments, url name) for every route pattern of the project."""
    for pattern in patterns:
        if not isinstance(pattern.pattern, RoutePattern):
            continue  # regex patterns (admin app lists): the admin root below stands for them
        route = _CONVERTER.sub(lambda m: _SAMPLES.get(m["kind"] or "str", "x"), str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            inner = f"{ns}{pattern.namespace}:" if pattern.namespace else ns
            yield from _routes(pattern.url_patterns, prefix + route, inner)
        else:
            yield "/" + prefix + route, f"{ns}{pattern.name or ''}"


@pytest.fixture
def required(settings):
    settings.XK_REQUIRE_2FA_FOR_COORDINATORS = True


def test_every_page_but_the_setup_ones_is_closed_until_set_up(required, client_for, coordinator):
    client = client_for(coordinator)
    setup = reverse("two_factor_setup")
    routes = sorted(set(_routes(get_resolver().url_patterns)))
    assert len(routes) > 60  # the walk really saw the project
    opened = []
    for path, name in routes:
        if name in ALLOWED:
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            if response.status_code == 200:
                opened.append((method, path))
            elif response.status_code == 403:
                assert response.json()["code"] == "two_factor_required", path
            else:
                assert response.status_code == 302, (method, path, response.status_code)
                assert response["Location"].startswith(setup), (method, path)
    assert opened == []
    assert client.get(setup).status_code == 200


def test_api_and_htmx_get_a_json_403(required, client_for, coordinator):
    client = client_for(coordinator)
    response = client.get(reverse("reports:dashboard"), headers={"HX-Request": "true"})
    assert response.status_code == 403
    assert response.json()["code"] == "two_factor_required"
    token = create_token(user=coordinator)
    api = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 403
    assert api.json()["code"] == "two_factor_required"


def test_a_coordinator_with_an_authenticator_works_once_verified(required, client_for, coordinator):
    TOTPDevice.objects.create(user=coordinator, name="authenticator", confirmed=True)
    client = client_for(coordinator)  # signed in without the code: not verified
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    token = create_token(user=coordinator)
    api = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200


def test_other_roles_and_the_setting_off_are_untouched(client_for, settings, coordinator, unit_leader):
    settings.XK_REQUIRE_2FA_FOR_COORDINATORS = False
    assert client_for(coordinator).get(reverse("reports:dashboard")).status_code == 200
    settings.XK_REQUIRE_2FA_FOR_COORDINATORS = True
    assert client_for(unit_leader).get(reverse("reports:dashboard")).status_code == 200


def test_setting_up_opens_the_pages(required, client_for, coordinator):
    from xungkich.accounts.tests.test_two_factor import code_for

    client = client_for(coordinator)
    client.get(reverse("two_factor_setup"))
    key = client.session["xk_2fa_setup_key"]
    from binascii import unhexlify

    response = client.post(reverse("two_factor_setup"), {"token": code_for(unhexlify(key))})
    assert response.status_code == 200  # the backup codes page
    assert client.get(reverse("reports:dashboard")).status_code == 200
    assert User.objects.get(pk=coordinator.pk).is_active
