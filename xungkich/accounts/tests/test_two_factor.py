"""Two-step sign-in (TOTP): setting it up, signing in with it, turning it off."""

from __future__ import annotations

import time
from binascii import unhexlify

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from xungkich.accounts.views import MAX_CODE_FAILURES, PENDING_SESSION_KEY, SETUP_SESSION_KEY
from xungkich.conftest import PASSWORD
from xungkich.core.models import AuditEntry
from xungkich.people.models import Role, User


def code_for(key: bytes, offset: int = 0) -> str:
    totp = TOTP(key)
    totp.time = time.time() + offset * 30
    return f"{totp.token():06d}"


def wrong_code(key: bytes) -> str:
    near = {code_for(key, offset) for offset in range(-3, 4)}
    return next(f"{n:06d}" for n in range(1000000) if f"{n:06d}" not in near)


def _english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture(autouse=True)
def _no_device_throttle(settings):
    """django-otp waits 1 s, 2 s, 4 s… after each wrong code; tests of that switch it back on."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


@pytest.fixture
def device(coordinator) -> TOTPDevice:
    return TOTPDevice.objects.create(user=coordinator, name="authenticator", confirmed=True)


def _password_step(client: Client, username: str = "coord", **data):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD, **data})


# --- setup page ---------------------------------------------------------------------------------


def test_setup_page_shows_a_qr_code_and_the_key(client_for, coordinator):
    client = client_for(coordinator)
    response = client.get(reverse("two_factor_setup"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "<svg" in content
    assert "<img" not in content and "https://" not in content  # inline, nothing fetched
    key = client.session[SETUP_SESSION_KEY]
    secret = response.context["secret"]
    assert len(secret.split(" ")) == 8 and all(len(group) == 4 for group in secret.split(" "))
    assert secret in content
    # The same key is offered again until it is confirmed, so a reload does not break the scan.
    client.get(reverse("two_factor_setup"))
    assert client.session[SETUP_SESSION_KEY] == key
    assert not TOTPDevice.objects.exists()  # nothing is written before the code is confirmed


def test_setup_page_is_never_cached(client_for, coordinator):
    response = client_for(coordinator).get(reverse("two_factor_setup"))
    assert "no-store" in response["Cache-Control"]


def test_setup_turns_on_after_a_valid_code(client_for, coordinator):
    client = client_for(coordinator)
    client.get(reverse("two_factor_setup"))
    key = unhexlify(client.session[SETUP_SESSION_KEY])
    code = code_for(key)
    response = client.post(reverse("two_factor_setup"), {"token": code[:3] + " " + code[3:]})
    # The answer shows the backup codes once (no redirect: they are never stored in the clear).
    assert response.status_code == 200
    assert "registration/backup_codes.html" in [t.name for t in response.templates]
    device = TOTPDevice.objects.get(user=coordinator)
    assert device.confirmed and device.bin_key == key
    assert SETUP_SESSION_KEY not in client.session
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id  # this session is verified
    entry = AuditEntry.objects.get(action="auth.2fa_enabled")
    assert entry.actor == coordinator and entry.unit == coordinator.unit
    assert code not in str(entry.after) and code not in str(entry.before)
    page = client.get(reverse("two_factor_setup"))
    assert page.context["enabled"] is True
    assert reverse("two_factor_disable") in page.content.decode()


def test_setup_rejects_a_wrong_code(client_for, coordinator):
    client = client_for(coordinator)
    client.get(reverse("two_factor_setup"))
    key = unhexlify(client.session[SETUP_SESSION_KEY])
    response = client.post(reverse("two_factor_setup"), {"token": wrong_code(key)})
    assert response.status_code == 200
    assert response.context["form"].has_error("token", "invalid_code")
    assert not TOTPDevice.objects.exists()
    assert not AuditEntry.objects.filter(action="auth.2fa_enabled").exists()


@pytest.mark.parametrize("token", ["12345", "12a456", "1234567", ""])
def test_setup_rejects_a_malformed_code(client_for, coordinator, token):
    response = client_for(coordinator).post(reverse("two_factor_setup"), {"token": token})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.has_error("token", "format") or form.has_error("token", "required")


def test_setup_error_is_english_with_the_language_cookie(client_for, coordinator):
    response = _english(client_for(coordinator)).post(reverse("two_factor_setup"), {"token": "12a456"})
    assert "The code is 6 digits" in response.content.decode()


def test_setup_is_open_to_superusers(client_for, units):
    admin = User.objects.create_superuser(
        username="root", password=PASSWORD, role=Role.VIEWER, unit=units["city"], email=""
    )
    assert client_for(admin).get(reverse("two_factor_setup")).status_code == 200


@pytest.mark.parametrize("persona", ["unit_leader", "volunteer_user", "viewer", "kiosk"])
def test_setup_is_forbidden_to_other_roles(request, client_for, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("two_factor_setup")).status_code == 403
    assert client.post(reverse("two_factor_setup"), {"token": "123456"}).status_code == 403
    assert client.get(reverse("two_factor_disable")).status_code == 403
    assert not TOTPDevice.objects.exists()


def test_setup_requires_login(client, db):
    response = client.get(reverse("two_factor_setup"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", ["two_factor_setup", "two_factor_disable"])
def test_two_factor_pages_reject_other_methods(client_for, coordinator, name):
    client = client_for(coordinator)
    assert client.put(reverse(name)).status_code == 405
    assert client.delete(reverse(name)).status_code == 405


def test_setup_post_when_already_on_changes_nothing(client_for, coordinator, device):
    response = client_for(coordinator).post(reverse("two_factor_setup"), {"token": "123456"})
    assert response.status_code == 302
    assert list(TOTPDevice.objects.all()) == [device]


def test_home_links_to_the_setup_for_coordinators_only(client_for, coordinator, volunteer_user):
    url = reverse("two_factor_setup")
    assert url in client_for(coordinator).get(reverse("home")).content.decode()
    assert url not in client_for(volunteer_user).get(reverse("home")).content.decode()


# --- turning it off -----------------------------------------------------------------------------


def test_disable_needs_the_password(client_for, coordinator, device):
    client = client_for(coordinator)
    assert client.get(reverse("two_factor_disable")).status_code == 200
    response = client.post(reverse("two_factor_disable"), {"password": "not-it"})
    assert response.status_code == 200
    assert response.context["form"].has_error("password", "wrong_password")
    assert TOTPDevice.objects.filter(pk=device.pk).exists()

    response = client.post(reverse("two_factor_disable"), {"password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("two_factor_setup")
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    entry = AuditEntry.objects.get(action="auth.2fa_disabled")
    assert entry.actor == coordinator and entry.object_id == str(coordinator.pk)
    assert PASSWORD not in str(entry.before) + str(entry.after)


def test_disable_error_is_english_with_the_language_cookie(client_for, coordinator, device):
    response = _english(client_for(coordinator)).post(reverse("two_factor_disable"), {"password": "x"})
    assert "That is not your password." in response.content.decode()


def test_disable_when_off_goes_back_to_setup(client_for, coordinator):
    response = client_for(coordinator).get(reverse("two_factor_disable"))
    assert response.status_code == 302
    assert response.url == reverse("two_factor_setup")


def test_guessing_the_password_on_the_disable_page_is_throttled(client_for, coordinator, device):
    client = client_for(coordinator)
    statuses = [
        client.post(reverse("two_factor_disable"), {"password": "guess"}).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses[-1] == 429
    assert client.post(reverse("two_factor_disable"), {"password": PASSWORD}).status_code == 429
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


# --- signing in with two steps ------------------------------------------------------------------


def test_password_alone_does_not_sign_in(client, device):
    response = _password_step(client)
    assert response.status_code == 302
    assert response.url == reverse("otp_verify")
    assert SESSION_KEY not in client.session
    assert client.session[PENDING_SESSION_KEY]["user_id"] == device.user_id
    assert client.get(reverse("home")).status_code == 302  # not signed in yet
    page = client.get(reverse("otp_verify"))
    assert page.status_code == 200
    assert "token" in page.context["form"].fields


def test_password_step_changes_the_session_key(client, device):
    client.get(reverse("login"))
    client.session.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    _password_step(client)
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before


def test_right_code_signs_in_verified(client, coordinator, device):
    _password_step(client, next="/people/units/")
    response = client.post(reverse("otp_verify"), {"token": code_for(device.bin_key)})
    assert response.status_code == 302
    assert response.url == "/people/units/"
    assert client.session[SESSION_KEY] == str(coordinator.pk)
    assert PENDING_SESSION_KEY not in client.session
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert home.wsgi_request.user.is_verified()


def test_wrong_code_is_refused_with_a_clear_error(client, device):
    _password_step(client)
    response = client.post(reverse("otp_verify"), {"token": wrong_code(device.bin_key)})
    assert response.status_code == 200
    assert response.context["form"].has_error("token", "invalid_code")
    assert response.context["attempts_left"] == MAX_CODE_FAILURES - 1
    assert SESSION_KEY not in client.session


def test_wrong_code_error_is_english_with_the_language_cookie(client, device):
    _password_step(_english(client))
    response = client.post(reverse("otp_verify"), {"token": wrong_code(device.bin_key)})
    assert "That code is not right." in response.content.decode()


def test_malformed_code_does_not_count_as_a_try(client, device):
    _password_step(client)
    response = client.post(reverse("otp_verify"), {"token": "abc"})
    assert response.context["form"].has_error("token", "format")
    assert client.session[PENDING_SESSION_KEY]["failures"] == 0


def test_five_wrong_codes_drop_the_pending_sign_in(client, device):
    _password_step(client)
    bad = wrong_code(device.bin_key)
    for _ in range(MAX_CODE_FAILURES - 1):
        assert client.post(reverse("otp_verify"), {"token": bad}).status_code == 200
    response = client.post(reverse("otp_verify"), {"token": bad})
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert PENDING_SESSION_KEY not in client.session
    # Even the right code now needs the password first.
    response = client.post(reverse("otp_verify"), {"token": code_for(device.bin_key)})
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert SESSION_KEY not in client.session


def test_the_device_slows_down_guessing(client, device, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    _password_step(client)
    client.post(reverse("otp_verify"), {"token": wrong_code(device.bin_key)})
    response = client.post(reverse("otp_verify"), {"token": code_for(device.bin_key)})
    assert response.status_code == 200
    assert response.context["form"].has_error("token", "throttled")
    assert SESSION_KEY not in client.session


def test_pending_sign_in_expires(client, device):
    _password_step(client)
    session = client.session
    pending = session[PENDING_SESSION_KEY]
    pending["expires"] = time.time() - 1
    session[PENDING_SESSION_KEY] = pending
    session.save()
    response = client.post(reverse("otp_verify"), {"token": code_for(device.bin_key)})
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert SESSION_KEY not in client.session


def test_code_page_without_a_password_step_goes_to_login(client, db):
    response = client.get(reverse("otp_verify"))
    assert response.status_code == 302
    assert response.url == reverse("login")


def test_code_page_rejects_other_methods(client, device):
    _password_step(client)
    assert client.put(reverse("otp_verify")).status_code == 405


def test_a_code_cannot_be_used_twice(client, device):
    code = code_for(device.bin_key)
    _password_step(client)
    assert client.post(reverse("otp_verify"), {"token": code}).status_code == 302
    other = Client()
    _password_step(other)
    response = other.post(reverse("otp_verify"), {"token": code})
    assert response.context["form"].has_error("token", "invalid_code")


def test_setup_then_sign_in_with_the_new_device(client_for, client, coordinator):
    setup = client_for(coordinator)
    setup.get(reverse("two_factor_setup"))
    key = unhexlify(setup.session[SETUP_SESSION_KEY])
    setup.post(reverse("two_factor_setup"), {"token": code_for(key, -1)})
    assert _password_step(client).url == reverse("otp_verify")
    response = client.post(reverse("otp_verify"), {"token": code_for(key)})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(coordinator.pk)


def test_users_without_a_device_sign_in_with_the_password(client, volunteer_user):
    response = _password_step(client, username="vol")
    assert response.url == reverse("home")
    assert client.session[SESSION_KEY] == str(volunteer_user.pk)


# --- XK_REQUIRE_2FA_FOR_COORDINATORS ------------------------------------------------------------


def test_required_setting_sends_coordinators_without_a_device_to_setup(client, coordinator, settings):
    settings.XK_REQUIRE_2FA_FOR_COORDINATORS = True
    response = _password_step(client)
    assert response.status_code == 302
    assert response.url == reverse("two_factor_setup")
    assert client.session[SESSION_KEY] == str(coordinator.pk)


def test_required_setting_leaves_other_roles_alone(client, volunteer_user, settings):
    settings.XK_REQUIRE_2FA_FOR_COORDINATORS = True
    assert _password_step(client, username="vol").url == reverse("home")


def test_required_setting_is_off_by_default(client, coordinator):
    assert _password_step(client).url == reverse("home")
