import pytest
from django.urls import reverse

from xungkich.core.models import AuditEntry
from xungkich.people.models import OrgUnit


def test_list_shows_the_subtree(client_for, coordinator, units):
    response = client_for(coordinator).get(reverse("people:unit_list"))
    assert response.status_code == 200
    assert [u.name for u in response.context["units"]] == ["Đoàn phường Hội An", "Chi đoàn Minh An"]
    assert response.context["can_create"] is True


def test_viewer_reads_the_list_but_cannot_create(client_for, viewer):
    response = client_for(viewer).get(reverse("people:unit_list"))
    assert response.status_code == 200
    assert response.context["can_create"] is False
    assert client_for(viewer).get(reverse("people:unit_create")).status_code == 403


@pytest.mark.parametrize("persona", ["kiosk", "volunteer_user"])
def test_list_is_forbidden_to_kiosk_and_volunteers(request, client_for, persona):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse("people:unit_list")).status_code == 403


def test_list_rejects_post(client_for, coordinator):
    assert client_for(coordinator).post(reverse("people:unit_list")).status_code == 405


def test_detail_in_scope_outsider_and_method(client_for, coordinator, outsider, units):
    url = reverse("people:unit_detail", args=[units["branch"].pk])
    response = client_for(coordinator).get(url)
    assert response.status_code == 200
    assert response.context["can_edit"] is True
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(coordinator).post(url).status_code == 405


def test_coordinator_cannot_edit_their_own_scope_root(client_for, coordinator, units):
    response = client_for(coordinator).get(reverse("people:unit_detail", args=[units["hoian"].pk]))
    assert response.context["can_edit"] is False
    assert (
        client_for(coordinator).get(reverse("people:unit_edit", args=[units["hoian"].pk])).status_code == 403
    )


def test_create_under_own_unit(client_for, coordinator, units):
    response = client_for(coordinator).post(
        reverse("people:unit_create"),
        {"name": "Chi đoàn Cẩm Phô", "kind": "branch", "parent": units["hoian"].pk},
    )
    assert response.status_code == 302
    unit = OrgUnit.objects.get(name="Chi đoàn Cẩm Phô")
    assert unit.is_within(units["hoian"])
    assert AuditEntry.objects.filter(action="unit.create", object_id=str(unit.pk), actor=coordinator).exists()


def test_create_refuses_a_parent_outside_scope(client_for, coordinator, units):
    response = client_for(coordinator).post(
        reverse("people:unit_create"), {"name": "Lạ", "kind": "branch", "parent": units["other"].pk}
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    assert not OrgUnit.objects.filter(name="Lạ").exists()


def test_create_reports_duplicates(client_for, coordinator, units):
    response = client_for(coordinator).post(
        reverse("people:unit_create"),
        {"name": "CHI ĐOÀN MINH AN", "kind": "branch", "parent": units["hoian"].pk},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert OrgUnit.objects.filter(parent=units["hoian"]).count() == 1


def test_create_rejects_wrong_method(client_for, coordinator):
    assert client_for(coordinator).delete(reverse("people:unit_create")).status_code == 405


def test_edit_renames_and_audits(client_for, coordinator, units):
    url = reverse("people:unit_edit", args=[units["branch"].pk])
    response = client_for(coordinator).post(
        url, {"name": "Chi đoàn Minh An 2", "kind": "branch", "parent": units["hoian"].pk}
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="unit.update")
    assert (entry.before["name"], entry.after["name"]) == ("Chi đoàn Minh An", "Chi đoàn Minh An 2")


def test_edit_is_403_for_leader_and_404_for_outsider(client_for, unit_leader, outsider, units):
    url = reverse("people:unit_edit", args=[units["branch"].pk])
    assert client_for(unit_leader).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 404


def test_edit_rejects_wrong_method(client_for, coordinator, units):
    assert (
        client_for(coordinator).put(reverse("people:unit_edit", args=[units["branch"].pk])).status_code == 405
    )
