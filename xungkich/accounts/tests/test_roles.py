"""Roles in the app: who may grant what, where; deactivation; the pages per role and per unit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xungkich.accounts import services
from xungkich.core.errors import DomainError
from xungkich.core.models import AuditEntry
from xungkich.people.models import Role, User


def _account(username, role, unit):
    return User.objects.create_user(username=username, password="x", role=role, unit=unit, full_name=username)


@pytest.fixture
def branch_member(units):
    return _account("member", Role.VOLUNTEER, units["branch"])


@pytest.fixture
def outside_member(units):
    return _account("faraway", Role.VOLUNTEER, units["other"])


# --- grant rules -------------------------------------------------------------------------------


def test_a_coordinator_grants_any_role_within_the_subtree(coordinator, units, branch_member):
    services.change_role(by=coordinator, account=branch_member, role=Role.UNIT_LEADER, unit=units["branch"])
    services.change_role(by=coordinator, account=branch_member, role=Role.COORDINATOR, unit=units["hoian"])
    branch_member.refresh_from_db()
    assert (branch_member.role, branch_member.unit) == (Role.COORDINATOR, units["hoian"])
    entry = AuditEntry.objects.filter(action="account.role_changed").latest("pk")
    assert entry.before["role"] == Role.UNIT_LEADER and entry.after["role"] == Role.COORDINATOR


def test_a_coordinator_never_grants_above_their_unit(coordinator, units, branch_member, outside_member):
    for unit in (units["city"], units["other"]):
        with pytest.raises(DomainError) as refused:
            services.change_role(by=coordinator, account=branch_member, role=Role.COORDINATOR, unit=unit)
        assert refused.value.code == "unit_out_of_scope"
    with pytest.raises(DomainError) as outside:
        services.change_role(by=coordinator, account=outside_member, role=Role.VIEWER, unit=units["hoian"])
    assert outside.value.code == "out_of_scope"


def test_a_unit_leader_grants_volunteer_or_kiosk_in_their_unit_only(unit_leader, units, branch_member):
    services.change_role(by=unit_leader, account=branch_member, role=Role.KIOSK, unit=units["branch"])
    for role in (Role.COORDINATOR, Role.UNIT_LEADER, Role.VIEWER):
        with pytest.raises(DomainError) as refused:
            services.change_role(by=unit_leader, account=branch_member, role=role, unit=units["branch"])
        assert refused.value.code == "role_not_allowed"
    with pytest.raises(DomainError):
        services.change_role(by=unit_leader, account=branch_member, role=Role.VOLUNTEER, unit=units["hoian"])


def test_a_unit_leader_cannot_touch_a_coordinator_of_their_unit(unit_leader, units):
    boss = _account("boss", Role.COORDINATOR, units["branch"])
    with pytest.raises(DomainError) as refused:
        services.change_role(by=unit_leader, account=boss, role=Role.VOLUNTEER, unit=units["branch"])
    assert refused.value.code == "out_of_scope"
    with pytest.raises(DomainError):
        services.set_account_active(by=unit_leader, account=boss, active=False)


def test_no_one_changes_their_own_account_and_only_superusers_touch_superusers(coordinator, units):
    with pytest.raises(DomainError) as own:
        services.change_role(by=coordinator, account=coordinator, role=Role.VIEWER, unit=units["hoian"])
    assert own.value.code == "own_account"
    with pytest.raises(DomainError):
        services.set_account_active(by=coordinator, account=coordinator, active=False)
    root = User.objects.create_superuser(
        username="root", password="x", role=Role.COORDINATOR, unit=units["hoian"]
    )
    with pytest.raises(DomainError):
        services.change_role(by=coordinator, account=root, role=Role.VIEWER, unit=units["hoian"])


def test_a_superuser_grants_anything_anywhere(units, branch_member):
    root = User.objects.create_superuser(username="root", password="x")
    services.change_role(by=root, account=branch_member, role=Role.COORDINATOR, unit=units["city"])
    branch_member.refresh_from_db()
    assert branch_member.unit == units["city"]


def test_deactivate_and_reactivate_are_audited_and_stop_sign_in(client, coordinator, branch_member):
    def signs_in() -> bool:
        response = client.post(reverse("login"), {"username": "member", "password": "x"})
        return response.status_code == 302

    services.set_account_active(by=coordinator, account=branch_member, active=False)
    assert not signs_in()
    services.set_account_active(by=coordinator, account=branch_member, active=True)
    assert signs_in()
    entries = AuditEntry.objects.filter(object_id=str(branch_member.pk))
    actions = list(entries.values_list("action", flat=True))
    assert "account.deactivated" in actions and "account.reactivated" in actions


# --- pages -------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator", "unit_leader"])
def test_managers_see_the_accounts_of_their_scope(
    request, client_for, persona, branch_member, outside_member
):
    response = client_for(request.getfixturevalue(persona)).get(reverse("account_list"))
    assert response.status_code == 200
    names = [a.username for a in response.context["page"]]
    assert "member" in names and "faraway" not in names


@pytest.mark.parametrize("persona", ["viewer", "kiosk", "volunteer_user"])
def test_other_roles_get_403(request, client_for, persona, branch_member):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("account_list")).status_code == 403
    assert client.get(reverse("account_detail", args=[branch_member.pk])).status_code == 403
    assert client.post(reverse("account_set_active", args=[branch_member.pk])).status_code == 403


def test_signed_out_people_are_sent_to_sign_in(client, branch_member):
    for url in (
        reverse("account_list"),
        reverse("account_detail", args=[branch_member.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    response = client.post(reverse("account_set_active", args=[branch_member.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["unit_leader", "coordinator"])
def test_another_units_accounts_are_404(request, client_for, persona, outside_member):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("account_detail", args=[outside_member.pk])).status_code == 404
    response = client.post(reverse("account_detail", args=[outside_member.pk]), {"role": Role.VOLUNTEER})
    assert response.status_code == 404
    assert client.post(reverse("account_set_active", args=[outside_member.pk])).status_code == 404
    outside_member.refresh_from_db()
    assert outside_member.is_active


def test_the_role_form_offers_only_what_may_be_granted(client_for, unit_leader, coordinator, branch_member):
    url = reverse("account_detail", args=[branch_member.pk])
    leader_form = client_for(unit_leader).get(url).context["form"]
    assert [value for value, _label in leader_form.fields["role"].choices] == [Role.VOLUNTEER, Role.KIOSK]
    coordinator_form = client_for(coordinator).get(url).context["form"]
    assert len(coordinator_form.fields["role"].choices) == len(Role.choices)


def test_changing_a_role_on_the_page(client_for, coordinator, units, branch_member):
    client = client_for(coordinator)
    url = reverse("account_detail", args=[branch_member.pk])
    response = client.post(url, {"role": Role.UNIT_LEADER, "unit": units["branch"].pk})
    assert response.status_code == 302
    branch_member.refresh_from_db()
    assert branch_member.role == Role.UNIT_LEADER


def test_a_leader_posting_coordinator_is_refused(client_for, unit_leader, units, branch_member):
    url = reverse("account_detail", args=[branch_member.pk])
    response = client_for(unit_leader).post(url, {"role": Role.COORDINATOR, "unit": units["branch"].pk})
    assert response.status_code == 200 and response.context["form"].errors
    branch_member.refresh_from_db()
    assert branch_member.role == Role.VOLUNTEER


def test_a_read_only_account_page_refuses_posts(client_for, unit_leader, units):
    boss = _account("boss", Role.COORDINATOR, units["branch"])
    client = client_for(unit_leader)
    assert client.get(reverse("account_detail", args=[boss.pk])).status_code == 200
    assert client.post(reverse("account_detail", args=[boss.pk]), {"role": "volunteer"}).status_code == 403
    assert client.post(reverse("account_set_active", args=[boss.pk])).status_code == 403


def test_switching_off_on_the_page(client_for, coordinator, branch_member):
    client = client_for(coordinator)
    client.post(reverse("account_set_active", args=[branch_member.pk]), {"active": "0"})
    branch_member.refresh_from_db()
    assert not branch_member.is_active
    client.post(reverse("account_set_active", args=[branch_member.pk]), {"active": "1"})
    branch_member.refresh_from_db()
    assert branch_member.is_active


def test_coordinators_of_one_unit_cannot_demote_each_other(coordinator, units):
    peer = _account("peer", Role.VOLUNTEER, units["hoian"])
    services.change_role(by=coordinator, account=peer, role=Role.COORDINATOR, unit=units["hoian"])
    with pytest.raises(DomainError) as refused:
        services.change_role(by=coordinator, account=peer, role=Role.VOLUNTEER, unit=units["hoian"])
    assert refused.value.code == "out_of_scope"
    with pytest.raises(DomainError):
        services.set_account_active(by=coordinator, account=peer, active=False)
    below = _account("below", Role.COORDINATOR, units["branch"])
    services.set_account_active(by=coordinator, account=below, active=False)
