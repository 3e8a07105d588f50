"""Self sign-up by a unit's link: the public form, the leaders' pages, approval and rejection."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xungkich.accounts import signup
from xungkich.accounts.models import SignupLink, SignupRequest
from xungkich.core.models import AuditEntry
from xungkich.people.models import Role, Skill, User, Volunteer

NEW_PASSWORD = "Tinh-nguyen-2026!"


@pytest.fixture
def link(units, coordinator) -> SignupLink:
    return signup.publish_link(by=coordinator, unit=units["branch"])


@pytest.fixture
def other_link(units, outsider) -> SignupLink:
    return signup.publish_link(by=outsider, unit=units["other"])


def form_data(**changes: Any) -> dict[str, Any]:
    data = {
        "full_name": "  Đỗ   Thị Mới ",
        "birth_date": "03/04/2004",
        "gender": "",
        "phone": "0912 345 678",
        "email": "",
        "username": "domoi",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "consent": "on",
    }
    data.update(changes)
    return data


def send(link: SignupLink, **changes: Any) -> Any:
    return Client().post(reverse("signup_join", kwargs={"token": link.token}), form_data(**changes))


def signs_in(username: str, password: str) -> bool:
    """Through the sign-in page, as the person would (django-axes needs the request)."""
    client = Client()
    client.post(reverse("login"), {"username": username, "password": password})
    return "_auth_user_id" in client.session


@pytest.fixture
def pending(link) -> SignupRequest:
    skill = Skill.objects.create(code="vneid", name="VNeID")
    response = send(link, skills=[skill.pk])
    assert response.status_code == 302, response.context["form"].errors
    return SignupRequest.objects.get()


# --- the public form -------------------------------------------------------------------------------


def test_the_form_opens_signed_out_and_shows_the_unit_and_consent(link):
    response = Client().get(reverse("signup_join", kwargs={"token": link.token}))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Chi đoàn Minh An" in text
    assert signup.consent_text()[:40] in text


def test_a_request_keeps_the_hash_never_the_password_and_makes_no_account(pending):
    assert pending.full_name == "Đỗ Thị Mới"
    assert pending.phone == "+84912345678"
    assert pending.birth_date == dt.date(2004, 4, 3)
    assert pending.status == SignupRequest.Status.PENDING
    assert NEW_PASSWORD not in pending.password_hash and pending.password_hash.startswith(
        ("pbkdf2", "argon2")
    )
    assert [s.code for s in pending.skills.all()] == ["vneid"]
    assert pending.consent_version == signup.CONSENT_VERSION
    assert not User.objects.filter(username="domoi").exists()
    assert not Volunteer.objects.filter(phone="+84912345678").exists()
    assert AuditEntry.objects.filter(action="signup.request", object_id=str(pending.pk)).exists()


def test_consent_is_required(link):
    response = send(link, consent="")
    assert response.status_code == 200
    assert "consent" in response.context["form"].errors


def test_a_duplicate_phone_gets_a_clear_message(link, volunteer):
    response = send(link, phone="0905 123 456")
    assert response.context["form"].has_error("phone", "phone_taken")
    assert not SignupRequest.objects.exists()


def test_a_phone_already_waiting_gets_the_same_message(link, pending):
    response = send(link, username="someone-else")
    assert response.context["form"].has_error("phone", "phone_taken")


def test_a_taken_username_and_a_weak_password_are_refused(link, volunteer_user):
    response = send(link, username="VOL", password1="123", password2="123")
    errors = response.context["form"].errors
    assert "username" in errors and "password1" in errors


def test_an_invalid_phone_is_refused(link):
    assert "phone" in send(link, phone="12").context["form"].errors


def test_a_closed_or_unknown_link_is_404(link, coordinator):
    signup.close_link(by=coordinator, link=link)
    assert Client().get(reverse("signup_join", kwargs={"token": link.token})).status_code == 404
    assert Client().get(reverse("signup_join", kwargs={"token": "nope"})).status_code == 404


def test_the_form_is_rate_limited_per_address(link, settings):
    from xungkich.accounts import views_signup

    for _ in range(views_signup.SIGNUPS_PER_HOUR):
        send(link, phone="12")
    assert send(link).status_code == 429
    assert not SignupRequest.objects.exists()


# --- approval and rejection -------------------------------------------------------------------------


def test_approval_makes_a_usable_account_linked_to_a_new_volunteer(client_for, unit_leader, pending):
    response = client_for(unit_leader).post(
        reverse("signup_request", kwargs={"pk": pending.pk}), {"action": "approve"}
    )
    assert response.status_code == 302
    user = User.objects.get(username="domoi")
    assert (user.role, user.unit_id, user.is_active) == (Role.VOLUNTEER, pending.unit_id, True)
    assert signs_in("domoi", NEW_PASSWORD)
    volunteer = Volunteer.objects.get(user=user)
    assert (volunteer.full_name, volunteer.phone) == ("Đỗ Thị Mới", "+84912345678")
    assert [s.code for s in volunteer.skills.all()] == ["vneid"]
    pending.refresh_from_db()
    assert (pending.status, pending.user, pending.password_hash) == ("approved", user, "")
    assert AuditEntry.objects.filter(action="signup.approve", actor=unit_leader).exists()


def test_rejection_makes_no_account_and_the_data_goes_after_the_retention(client_for, coordinator, pending):
    response = client_for(coordinator).post(
        reverse("signup_request", kwargs={"pk": pending.pk}), {"action": "reject", "reason": "Không rõ"}
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.status, pending.reason, pending.password_hash) == ("rejected", "Không rõ", "")
    assert not User.objects.filter(username="domoi").exists()
    assert not signs_in("domoi", NEW_PASSWORD)
    assert signup.purge_requests() == 0
    SignupRequest.objects.filter(pk=pending.pk).update(decided_at=timezone.now() - dt.timedelta(days=31))
    call_command("purge_signup_requests")
    assert not SignupRequest.objects.exists()
    assert not AuditEntry.objects.filter(object_repr__contains="Mới").exists()


def test_a_request_nobody_decides_on_is_deleted_after_its_retention(pending):
    SignupRequest.objects.filter(pk=pending.pk).update(created_at=timezone.now() - dt.timedelta(days=59))
    assert signup.purge_requests() == 0  # still waiting for a leader
    SignupRequest.objects.filter(pk=pending.pk).update(created_at=timezone.now() - dt.timedelta(days=61))
    call_command("purge_signup_requests")
    assert not SignupRequest.objects.exists()
    assert not User.objects.filter(username="domoi").exists()


def test_a_decided_request_cannot_be_decided_again(client_for, coordinator, pending):
    signup.reject(by=coordinator, request=pending)
    client_for(coordinator).post(reverse("signup_request", kwargs={"pk": pending.pk}), {"action": "approve"})
    assert not User.objects.filter(username="domoi").exists()


def test_the_reason_is_screened(client_for, coordinator, pending):
    response = client_for(coordinator).post(
        reverse("signup_request", kwargs={"pk": pending.pk}),
        {"action": "reject", "reason": "mật khẩu: Abc12345"},
    )
    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.status == SignupRequest.Status.PENDING


# --- permissions per role and per unit --------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator", "unit_leader"])
def test_leaders_see_their_units_requests_and_links(request, client_for, persona, pending, other_link):
    client = client_for(request.getfixturevalue(persona))
    listing = client.get(reverse("signup_requests"))
    assert list(listing.context["pending"]) == [pending]
    assert client.get(reverse("signup_request", kwargs={"pk": pending.pk})).status_code == 200
    page = client.get(reverse("signup_link", kwargs={"unit_pk": pending.unit_id}))
    assert page.status_code == 200 and "<svg" in page.content.decode()
    assert client.get(reverse("signup_links")).status_code == 200


def test_another_units_request_and_link_are_404(client_for, outsider, pending, units):
    client = client_for(outsider)
    assert list(client.get(reverse("signup_requests")).context["pending"]) == []
    assert client.get(reverse("signup_request", kwargs={"pk": pending.pk})).status_code == 404
    post = client.post(reverse("signup_request", kwargs={"pk": pending.pk}), {"action": "approve"})
    assert post.status_code == 404
    assert client.get(reverse("signup_link", kwargs={"unit_pk": units["branch"].pk})).status_code == 404
    close = client.post(reverse("signup_link", kwargs={"unit_pk": units["branch"].pk}), {"action": "close"})
    assert close.status_code == 404
    assert not User.objects.filter(username="domoi").exists()


def test_a_unit_leader_manages_only_their_own_unit(client_for, unit_leader, units):
    client = client_for(unit_leader)
    assert client.get(reverse("signup_link", kwargs={"unit_pk": units["hoian"].pk})).status_code == 404


@pytest.mark.parametrize("persona", ["viewer", "kiosk", "volunteer_user"])
def test_other_roles_are_forbidden(request, client_for, persona, pending, units):
    client = client_for(request.getfixturevalue(persona))
    for url in (
        reverse("signup_requests"),
        reverse("signup_request", kwargs={"pk": pending.pk}),
        reverse("signup_links"),
        reverse("signup_link", kwargs={"unit_pk": units["branch"].pk}),
    ):
        assert client.get(url).status_code == 403, url
    assert (
        client.post(reverse("signup_request", kwargs={"pk": pending.pk}), {"action": "approve"}).status_code
        == 403
    )
    assert not User.objects.filter(username="domoi").exists()


def test_anonymous_people_are_sent_to_sign_in(pending, units):
    for url in (
        reverse("signup_requests"),
        reverse("signup_request", kwargs={"pk": pending.pk}),
        reverse("signup_links"),
        reverse("signup_link", kwargs={"unit_pk": units["branch"].pk}),
    ):
        response = Client().get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_renew_changes_the_token_and_close_stops_the_link(client_for, coordinator, link, units):
    client = client_for(coordinator)
    url = reverse("signup_link", kwargs={"unit_pk": units["branch"].pk})
    old = link.token
    client.post(url, {"action": "renew"})
    link.refresh_from_db()
    assert link.token != old and link.is_active
    assert Client().get(reverse("signup_join", kwargs={"token": old})).status_code == 404
    client.post(url, {"action": "close"})
    link.refresh_from_db()
    assert not link.is_active
    client.post(url, {"action": "publish"})
    link.refresh_from_db()
    assert link.is_active
    actions = set(
        AuditEntry.objects.filter(object_type="accounts.signuplink").values_list("action", flat=True)
    )
    assert actions == {"signup_link.publish", "signup_link.renew", "signup_link.close"}


def test_approval_fails_whole_when_the_phone_was_taken_meanwhile(client_for, coordinator, pending, units):
    from xungkich.people import services

    services.create_volunteer(
        by=None, data={"full_name": "Đã Có", "unit": units["hoian"], "phone": pending.phone}
    )
    response = client_for(coordinator).post(
        reverse("signup_request", kwargs={"pk": pending.pk}), {"action": "approve"}, follow=True
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not User.objects.filter(username="domoi").exists()
    pending.refresh_from_db()
    assert pending.status == SignupRequest.Status.PENDING and pending.password_hash
