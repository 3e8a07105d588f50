"""Invitations: made in scope only, shown once, single use, expiring, revocable, audited."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from xungkich.accounts import services
from xungkich.accounts.models import Invitation
from xungkich.core.errors import DomainError
from xungkich.core.models import AuditEntry
from xungkich.people import services as people_services
from xungkich.people.models import Role, User, Volunteer

NEW_PASSWORD = "Mua-he-xanh-2026"
_LINK = re.compile(r'value="(http://testserver/accounts/invitation/[^"]+/)"')


def _volunteer(unit, name, phone, **extra):
    return people_services.create_volunteer(
        by=None, data={"full_name": name, "unit": unit, "phone": phone, **extra}
    )


@pytest.fixture
def newcomer(units):
    return _volunteer(units["branch"], "Trần Thị Bích", "0905111222", email="bich@example.vn")


@pytest.fixture
def outside_volunteer(units):
    return _volunteer(units["other"], "Hồ Văn Ngoài", "0935111222")


def _links(response) -> list[str]:
    return _LINK.findall(response.content.decode())


# --- services ----------------------------------------------------------------------------------


def test_invite_stores_only_a_digest_and_expires_in_seven_days(coordinator, newcomer):
    invitation, token = services.invite_volunteer(by=coordinator, volunteer=newcomer)
    assert token not in invitation.digest and invitation.digest == services.invitation_digest(token)
    assert not Invitation.objects.filter(digest=token).exists()
    days = (invitation.expires_at - timezone.now()).total_seconds() / 86400
    assert 6.99 < days <= 7
    assert AuditEntry.objects.filter(action="account.invite", object_id=str(newcomer.pk)).exists()


def test_accepting_makes_a_linked_volunteer_account(coordinator, newcomer):
    _invitation, token = services.invite_volunteer(by=coordinator, volunteer=newcomer)
    user = services.accept_invitation(token=token, username="bichtt", password=NEW_PASSWORD)
    newcomer.refresh_from_db()
    assert newcomer.user == user
    assert (user.role, user.unit_id, user.full_name) == (Role.VOLUNTEER, newcomer.unit_id, "Trần Thị Bích")
    assert user.check_password(NEW_PASSWORD)
    assert AuditEntry.objects.filter(action="account.invite_accepted", actor=user).exists()
    with pytest.raises(DomainError) as used:
        services.accept_invitation(token=token, username="other", password=NEW_PASSWORD)
    assert used.value.code == "used"


def test_resend_kills_the_old_link(coordinator, newcomer):
    _old, old_token = services.invite_volunteer(by=coordinator, volunteer=newcomer)
    _new, new_token = services.invite_volunteer(by=coordinator, volunteer=newcomer)
    assert services.invitation_refusal(services.find_invitation(old_token)).code == "revoked"
    assert services.invitation_refusal(services.find_invitation(new_token)) is None
    assert AuditEntry.objects.filter(action="account.invite_resent").count() == 1


def test_expired_and_revoked_links_are_refused(coordinator, newcomer):
    invitation, token = services.invite_volunteer(by=coordinator, volunteer=newcomer)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(DomainError) as expired:
        services.accept_invitation(token=token, username="bich", password=NEW_PASSWORD)
    assert expired.value.code == "expired"
    invitation, token = services.invite_volunteer(by=coordinator, volunteer=newcomer)
    services.revoke_invitation(by=coordinator, invitation=invitation)
    with pytest.raises(DomainError) as revoked:
        services.accept_invitation(token=token, username="bich", password=NEW_PASSWORD)
    assert revoked.value.code == "revoked"
    assert AuditEntry.objects.filter(action="account.invite_revoked").exists()
    assert not User.objects.filter(username="bich").exists()


def test_no_invitation_outside_the_scope_nor_for_an_account_holder(
    unit_leader, outsider, newcomer, outside_volunteer, volunteer
):
    with pytest.raises(DomainError) as outside:
        services.invite_volunteer(by=unit_leader, volunteer=outside_volunteer)
    assert outside.value.code == "out_of_scope"
    with pytest.raises(DomainError):
        services.invite_volunteer(by=outsider, volunteer=newcomer)
    with pytest.raises(DomainError) as has_account:
        services.invite_volunteer(by=unit_leader, volunteer=volunteer)
    assert has_account.value.code == "has_account"


def test_invite_unit_invites_those_without_account_or_working_link(coordinator, units, newcomer, volunteer):
    waiting = _volunteer(units["branch"], "Lê Văn Chờ", "0905333444")
    _volunteer(units["branch"], "Phan Văn Nghỉ", "0905444555", is_active=False)
    services.invite_volunteer(by=coordinator, volunteer=waiting)
    made, skipped = services.invite_unit(by=coordinator, unit=units["branch"])
    assert [inv.volunteer for inv, _token in made] == [newcomer]
    assert skipped == 1
    with pytest.raises(DomainError):
        services.invite_unit(by=coordinator, unit=units["other"])


def test_suggested_user_names_are_free(db):
    assert services.suggest_username("Nguyễn Văn Đức") == "ducnv"
    User.objects.create_user(username="ducnv", password=NEW_PASSWORD)
    assert services.suggest_username("Nguyễn Văn Đức") == "ducnv2"


# --- the coordinator's and the leader's pages --------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator", "unit_leader"])
def test_inviting_one_shows_the_link_once_and_emails_it(request, client_for, persona, newcomer):
    client = client_for(request.getfixturevalue(persona))
    response = client.post(reverse("invite_volunteer", args=[newcomer.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    [link] = _links(response)
    assert "<svg" in response.content.decode()
    assert len(mail.outbox) == 1 and link in mail.outbox[0].body
    assert mail.outbox[0].to == ["bich@example.vn"]


def test_no_email_without_an_address(client_for, coordinator, units):
    person = _volunteer(units["hoian"], "Đỗ Văn Không", "0905999000")
    response = client_for(coordinator).post(reverse("invite_volunteer", args=[person.pk]))
    assert len(_links(response)) == 1
    assert mail.outbox == []


def test_inviting_a_unit_shows_every_link(client_for, coordinator, units, newcomer):
    _volunteer(units["branch"], "Lê Văn Hai", "0905333444")
    response = client_for(coordinator).post(reverse("invite_unit", args=[units["branch"].pk]))
    assert response.status_code == 200
    assert len(_links(response)) == 2
    again = client_for(coordinator).post(reverse("invite_unit", args=[units["branch"].pk]))
    assert again.status_code == 302  # everyone has a working link now


@pytest.mark.parametrize("persona", ["viewer", "kiosk", "volunteer_user"])
def test_other_roles_cannot_invite(request, client_for, persona, units, newcomer):
    client = client_for(request.getfixturevalue(persona))
    one = client.post(reverse("invite_volunteer", args=[newcomer.pk]))
    assert one.status_code in (403, 404)  # a volunteer does not see another's record
    assert client.post(reverse("invite_unit", args=[units["branch"].pk])).status_code == 403
    assert not Invitation.objects.exists()


def test_another_units_ids_are_404(client_for, unit_leader, outsider, units, newcomer, outside_volunteer):
    invitation, _token = services.invite_volunteer(by=outsider, volunteer=outside_volunteer)
    leader = client_for(unit_leader)
    assert leader.post(reverse("invite_volunteer", args=[outside_volunteer.pk])).status_code == 404
    assert leader.post(reverse("invite_unit", args=[units["other"].pk])).status_code == 404
    assert leader.post(reverse("invite_unit", args=[units["hoian"].pk])).status_code == 404  # above
    assert leader.post(reverse("invitation_resend", args=[invitation.pk])).status_code == 404
    assert leader.post(reverse("invitation_revoke", args=[invitation.pk])).status_code == 404
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.OPEN


def test_signed_out_people_are_sent_to_sign_in(client, newcomer, units):
    for name, arg in [
        ("invite_volunteer", newcomer.pk),
        ("invite_unit", units["branch"].pk),
        ("invitation_resend", 1),
        ("invitation_revoke", 1),
    ]:
        response = client.post(reverse(name, args=[arg]))
        assert response.status_code == 302 and response.url.startswith(reverse("login")), name


def test_resend_and_revoke_from_the_accounts_page(client_for, coordinator, newcomer):
    invitation, _token = services.invite_volunteer(by=coordinator, volunteer=newcomer)
    client = client_for(coordinator)
    page = client.get(reverse("account_list"))
    assert newcomer.full_name in page.content.decode()
    resent = client.post(reverse("invitation_resend", args=[invitation.pk]))
    assert len(_links(resent)) == 1
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.REVOKED
    newest = Invitation.objects.exclude(pk=invitation.pk).get()
    assert client.post(reverse("invitation_revoke", args=[newest.pk])).status_code == 302
    newest.refresh_from_db()
    assert newest.state == Invitation.State.REVOKED


def test_only_post_changes_anything(client_for, coordinator, newcomer, units):
    client = client_for(coordinator)
    assert client.get(reverse("invite_volunteer", args=[newcomer.pk])).status_code == 405
    assert client.get(reverse("invite_unit", args=[units["branch"].pk])).status_code == 405


# --- the invitee's page ------------------------------------------------------------------------


def test_the_invitee_makes_the_account_and_lands_on_my_shifts(client, coordinator, newcomer):
    _invitation, token = services.invite_volunteer(by=coordinator, volunteer=newcomer)
    url = reverse("invitation_accept", args=[token])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"]["username"].value() == "bichtt"
    response = client.post(
        url, {"username": "bichtt", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302 and response.url == reverse("rosters:my_shifts")
    assert client.get(reverse("rosters:my_shifts")).status_code == 200
    closed = client.get(url)
    assert closed.status_code == 410
    assert "đã được dùng" in closed.content.decode()


def test_weak_passwords_and_taken_names_are_refused(client, coordinator, newcomer):
    _invitation, token = services.invite_volunteer(by=coordinator, volunteer=newcomer)
    url = reverse("invitation_accept", args=[token])
    weak = client.post(url, {"username": "bichtt", "new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 200 and weak.context["form"].errors["new_password1"]
    taken = client.post(
        url, {"username": "COORD", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert taken.context["form"].errors["username"]
    mismatch = client.post(
        url, {"username": "bichtt", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"}
    )
    assert mismatch.context["form"].errors["new_password2"]
    assert not Volunteer.objects.filter(pk=newcomer.pk, user__isnull=False).exists()


def test_unknown_expired_and_revoked_links_get_a_clear_page(client, coordinator, newcomer):
    assert client.get(reverse("invitation_accept", args=["nothing"])).status_code == 404
    invitation, token = services.invite_volunteer(by=coordinator, volunteer=newcomer)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    expired = client.get(reverse("invitation_accept", args=[token]))
    assert expired.status_code == 410 and "hết hạn" in expired.content.decode()
    invitation, token = services.invite_volunteer(by=coordinator, volunteer=newcomer)
    services.revoke_invitation(by=coordinator, invitation=invitation)
    revoked = client.post(
        reverse("invitation_accept", args=[token]),
        {"username": "bichtt", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert revoked.status_code == 410 and "đã bị hủy" in revoked.content.decode()
    assert not User.objects.filter(username="bichtt").exists()


def test_the_volunteer_page_offers_the_invitation_then_names_the_account(client_for, coordinator, newcomer):
    client = client_for(coordinator)
    url = reverse("people:volunteer_detail", args=[newcomer.pk])
    assert reverse("invite_volunteer", args=[newcomer.pk]) in client.get(url).content.decode()
    _invitation, token = services.invite_volunteer(by=coordinator, volunteer=newcomer)
    user = services.accept_invitation(token=token, username="bichtt", password=NEW_PASSWORD)
    page = client.get(url).content.decode()
    assert reverse("invite_volunteer", args=[newcomer.pk]) not in page
    assert reverse("account_detail", args=[user.pk]) in page


def test_a_mail_server_failure_still_shows_the_link(client_for, coordinator, newcomer, settings):
    settings.EMAIL_BACKEND = "xungkich.accounts.tests.test_invitations.BrokenBackend"
    response = client_for(coordinator).post(reverse("invite_volunteer", args=[newcomer.pk]))
    assert response.status_code == 200 and len(_links(response)) == 1
    assert response.context["links"][0].emailed is False


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")
