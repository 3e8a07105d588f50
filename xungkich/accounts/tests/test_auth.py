"""Sign in / out, lock-out after repeated failures (django-axes), password reset by email."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from xungkich.conftest import PASSWORD
from xungkich.core.models import AuditEntry

NEW_PASSWORD = "Hoi-An-moi-2026!"


def _login(client: Client, username: str, password: str, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def _english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# --- login page ---------------------------------------------------------------------------------


def test_login_page_works_and_is_vietnamese_by_default(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert 'lang="vi"' in response.content.decode()
    assert set(response.context["form"].fields) == {"username", "password"}
    assert reverse("password_reset") in response.content.decode()


def test_login_signs_in_and_goes_home(client, coordinator):
    response = _login(client, "coord", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.session[SESSION_KEY] == str(coordinator.pk)
    assert client.get(reverse("home")).status_code == 200


def test_login_follows_a_local_next_but_not_another_site(client, coordinator):
    response = client.post(
        reverse("login"), {"username": "coord", "password": PASSWORD, "next": "/people/volunteers/"}
    )
    assert response.url == "/people/volunteers/"
    client.post(reverse("logout"))
    response = client.post(
        reverse("login"), {"username": "coord", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response.url == reverse("home")


def test_signed_in_user_is_sent_on_from_the_login_page(client_for, volunteer_user):
    response = client_for(volunteer_user).get(reverse("login"))
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_wrong_password_gets_a_clear_error(client, coordinator):
    response = _login(client, "coord", "not-the-password")
    assert response.status_code == 200
    assert response.context["form"].has_error("__all__", "invalid_login")
    assert SESSION_KEY not in client.session


def test_wrong_password_message_is_english_with_the_language_cookie(client, coordinator):
    response = _login(_english(client), "coord", "not-the-password")
    assert 'lang="en"' in response.content.decode()
    assert "The user name or password is not right" in response.content.decode()


def test_empty_login_form_says_what_is_missing(client, db):
    response = client.post(reverse("login"), {})
    form = response.context["form"]
    assert form.has_error("username", "required")
    assert form.has_error("password", "required")


def test_inactive_account_cannot_sign_in(client, coordinator):
    coordinator.is_active = False
    coordinator.save(update_fields=["is_active"])
    response = _login(client, "coord", PASSWORD)
    assert response.status_code == 200
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_login_rejects_other_methods(client, db, method):
    assert getattr(client, method)(reverse("login")).status_code == 405


# --- logout -------------------------------------------------------------------------------------


def test_logout_is_post_only(client_for, coordinator):
    client = client_for(coordinator)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == reverse("login") + "?signed_out=1"  # the phone then forgets its kept pages
    assert SESSION_KEY not in client.session
    assert client.get(reverse("home")).status_code == 302


def test_logout_when_signed_out_just_goes_to_login(client, db):
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == reverse("login") + "?signed_out=1"


# --- lock-out after repeated failures (django-axes) ---------------------------------------------


def _fail_five_times(client: Client, username: str = "coord", **extra) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, username, "wrong-password", **extra).status_code == 200
    # The limit-th failure already locks the pair: the answer is the lock-out page.
    assert _login(client, username, "wrong-password", **extra).status_code == 429


def test_five_failures_lock_the_account_even_for_the_right_password(client, coordinator):
    _fail_five_times(client)
    response = _login(client, "coord", PASSWORD)
    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    content = response.content.decode()
    assert reverse("password_reset") in content
    assert 'lang="vi"' in content


def test_lock_out_page_says_when_to_try_again_in_english(client, coordinator):
    _fail_five_times(_english(client))
    response = _login(client, "coord", PASSWORD)
    assert response.status_code == 429
    assert "wait 15 minutes" in response.content.decode()


def test_lock_out_is_per_user_name_and_address(client, coordinator, unit_leader):
    _fail_five_times(client)
    # Another account from the same address still signs in…
    assert _login(Client(), "leader", PASSWORD).status_code == 302
    # …and so does the same account from another address.
    assert _login(Client(), "coord", PASSWORD, REMOTE_ADDR="10.1.2.3").status_code == 302


def test_lock_out_ends_after_the_cool_off(client, coordinator):
    _fail_five_times(client)
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time.replace(year=2020))
    assert _login(client, "coord", PASSWORD).status_code == 302


def test_success_before_the_limit_clears_the_count(client, coordinator):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "coord", "wrong-password")
    assert _login(client, "coord", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    assert _login(client, "coord", "wrong-password").status_code == 200  # not locked


# --- password reset by email --------------------------------------------------------------------


@pytest.fixture
def with_email(coordinator):
    coordinator.email = "dieuphoi@example.vn"
    coordinator.save(update_fields=["email"])
    return coordinator


def _reset_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/password-reset/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_reset_form_works(client, db):
    response = client.get(reverse("password_reset"))
    assert response.status_code == 200
    assert "email" in response.context["form"].fields


def test_reset_by_email_end_to_end(client, with_email):
    response = client.post(reverse("password_reset"), {"email": "dieuphoi@example.vn"})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert client.get(response.url).status_code == 200
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dieuphoi@example.vn"]
    assert "\n" not in message.subject
    assert "coord" in message.body  # the user name is reminded

    response = client.get(_reset_link(message))  # Django swaps the token for a session marker
    assert response.status_code == 302
    form_page = client.get(response.url)
    assert form_page.status_code == 200
    assert form_page.context["validlink"] is True

    response = client.post(response.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_complete")
    assert client.get(response.url).status_code == 200
    # Not signed in by the reset (so two-step sign-in is never skipped): sign in with the new one.
    assert SESSION_KEY not in client.session
    assert _login(client, "coord", NEW_PASSWORD).status_code == 302
    assert AuditEntry.objects.filter(action="auth.password_reset", object_id=str(with_email.pk)).exists()


def test_reset_email_is_in_english_with_the_language_cookie(client, with_email):
    _english(client).post(reverse("password_reset"), {"email": "dieuphoi@example.vn"})
    assert "Reset your Xung Kích Số password" in mail.outbox[0].subject
    assert "choose a new password" in mail.outbox[0].body


def test_reset_does_not_reveal_unknown_addresses(client, with_email):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.vn"})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_reset_rejects_a_malformed_address(client, db):
    response = client.post(reverse("password_reset"), {"email": "not-an-address"})
    assert response.status_code == 200
    assert response.context["form"].has_error("email", "invalid")
    assert mail.outbox == []


def test_reset_new_passwords_must_match(client, with_email):
    client.post(reverse("password_reset"), {"email": "dieuphoi@example.vn"})
    set_url = client.get(_reset_link(mail.outbox[0])).url
    response = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"})
    assert response.status_code == 200
    assert response.context["form"].has_error("new_password2", "password_mismatch")


def test_reset_rejects_a_weak_password(client, with_email):
    client.post(reverse("password_reset"), {"email": "dieuphoi@example.vn"})
    set_url = client.get(_reset_link(mail.outbox[0])).url
    response = client.post(set_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    assert response.context["form"].has_error("new_password2", "password_entirely_numeric")


def test_reset_link_works_only_once(client, with_email):
    client.post(reverse("password_reset"), {"email": "dieuphoi@example.vn"})
    link = _reset_link(mail.outbox[0])
    set_url = client.get(link).url
    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    response = Client().get(link)
    assert response.status_code == 200
    assert response.context["validlink"] is False


def test_a_forged_reset_link_is_refused(client, with_email):
    response = client.get(
        reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "abc-123"}),
    )
    assert response.status_code == 200
    assert response.context["validlink"] is False


def test_reset_lifts_the_lock_out(client, with_email):
    _fail_five_times(client)
    client.post(reverse("password_reset"), {"email": "dieuphoi@example.vn"})
    set_url = client.get(_reset_link(mail.outbox[0])).url
    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert _login(client, "coord", NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("password_reset", "put"),
        ("password_reset_done", "post"),
        ("password_reset_complete", "post"),
    ],
)
def test_reset_pages_reject_other_methods(client, db, name, method):
    assert getattr(client, method)(reverse(name)).status_code == 405


def test_reset_confirm_rejects_other_methods(client, db):
    url = reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "abc-123"})
    assert client.put(url).status_code == 405


def test_the_login_page_after_signing_out_lets_the_phone_forget_its_kept_pages(client, db):
    assert "js/offline/forget.js" in client.get(reverse("login") + "?signed_out=1").content.decode()
    assert "js/offline/forget.js" not in client.get(reverse("login")).content.decode()
