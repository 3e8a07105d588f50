"""Backup codes of two-step sign-in: shown once at setup, stored hashed, each usable once."""

from __future__ import annotations

import re
from binascii import unhexlify

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from xungkich.accounts.tests.test_two_factor import code_for
from xungkich.conftest import PASSWORD
from xungkich.core.models import AuditEntry

CODE = re.compile(r"<code>([a-z2-7]{5}-[a-z2-7]{5})</code>")


@pytest.fixture(autouse=True)
def _no_device_throttle(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def _set_up(client: Client) -> tuple[list[str], str]:
    client.get(reverse("two_factor_setup"))
    key = client.session["xk_2fa_setup_key"]
    response = client.post(reverse("two_factor_setup"), {"token": code_for(unhexlify(key))})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return CODE.findall(response.content.decode()), key


def _sign_in_with(code: str) -> Client:
    client = Client()
    client.post(reverse("login"), {"username": "coord", "password": PASSWORD})
    client.post(reverse("otp_verify"), {"token": code})
    return client


def test_setup_shows_ten_codes_once_and_stores_them_hashed(client_for, coordinator):
    client = client_for(coordinator)
    codes, _key = _set_up(client)
    assert len(set(codes)) == 10
    stored = set(StaticToken.objects.filter(device__user=coordinator).values_list("token", flat=True))
    assert len(stored) == 10
    assert not stored & {code.replace("-", "") for code in codes} and not stored & set(codes)
    page = client.get(reverse("two_factor_setup")).content.decode()
    assert CODE.findall(page) == []  # never shown again
    assert AuditEntry.objects.filter(action="auth.backup_codes_created").count() == 1


def test_a_backup_code_signs_in_once(client_for, coordinator):
    codes, _key = _set_up(client_for(coordinator))
    client = _sign_in_with(codes[0].upper().replace("-", " "))  # typed loosely
    assert int(client.session[SESSION_KEY]) == coordinator.pk
    assert StaticToken.objects.filter(device__user=coordinator).count() == 9
    again = _sign_in_with(codes[0])
    assert SESSION_KEY not in again.session
    assert AuditEntry.objects.filter(action="auth.backup_code_used").count() == 1


def test_a_made_up_code_is_refused(client_for, coordinator):
    _set_up(client_for(coordinator))
    client = _sign_in_with("abcde-fghij")
    assert SESSION_KEY not in client.session


def test_new_codes_replace_the_old_ones(client_for, coordinator):
    client = client_for(coordinator)
    old, _key = _set_up(client)
    response = client.post(reverse("two_factor_backup_codes"))
    assert response.status_code == 200
    new = CODE.findall(response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert SESSION_KEY not in _sign_in_with(old[1]).session
    assert SESSION_KEY in _sign_in_with(new[1]).session
    assert client.get(reverse("two_factor_backup_codes")).status_code == 405


def test_backup_codes_need_a_verified_authenticator(client_for, coordinator, volunteer_user):
    TOTPDevice.objects.create(user=coordinator, name="authenticator", confirmed=True)
    client = client_for(coordinator)  # signed in without the code
    assert client.post(reverse("two_factor_backup_codes")).status_code == 403
    assert client_for(volunteer_user).post(reverse("two_factor_backup_codes")).status_code == 403
    assert not StaticToken.objects.exists()


def test_turning_off_removes_the_backup_codes(client_for, coordinator):
    client = client_for(coordinator)
    _set_up(client)
    client.post(reverse("two_factor_disable"), {"password": PASSWORD})
    assert not StaticToken.objects.exists()
