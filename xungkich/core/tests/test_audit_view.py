import pytest
from django.urls import reverse

from xungkich.people import services


def test_coordinator_sees_entries_of_their_subtree_only(client_for, coordinator, units):
    services.create_unit(by=coordinator, name="Chi đoàn Cẩm Nam", kind="branch", parent=units["hoian"])
    services.create_unit(by=None, name="Chi đoàn Thạch Thang", kind="branch", parent=units["other"])
    response = client_for(coordinator).get(reverse("core:audit_list"))
    assert response.status_code == 200
    shown = [entry.object_repr for entry in response.context["page"]]
    assert "Chi đoàn Cẩm Nam" in shown
    assert "Chi đoàn Thạch Thang" not in shown


def test_filter_by_action(client_for, coordinator, units):
    services.create_volunteer(by=coordinator, data={"full_name": "Lê Lọc", "unit": units["branch"]})
    response = client_for(coordinator).get(reverse("core:audit_list"), {"action": "volunteer."})
    assert [e.action for e in response.context["page"]] == ["volunteer.create"]


@pytest.mark.parametrize("persona", ["unit_leader", "viewer", "kiosk", "volunteer_user"])
def test_other_roles_get_403(request, client_for, persona):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse("core:audit_list")).status_code == 403


def test_wrong_method(client_for, coordinator):
    assert client_for(coordinator).post(reverse("core:audit_list")).status_code == 405


def test_home_and_health(client_for, client, coordinator, kiosk, db):
    assert client_for(coordinator).get(reverse("home")).status_code == 200
    assert client_for(kiosk).get(reverse("home")).status_code == 200
    assert client.get(reverse("home")).status_code == 302
    assert client.get(reverse("healthz")).json() == {"status": "ok"}
    assert client.post(reverse("healthz")).status_code == 405
