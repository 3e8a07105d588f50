import pytest
from django.urls import reverse

from xungkich.core.models import AuditEntry
from xungkich.people import services
from xungkich.people.models import Volunteer


@pytest.fixture
def other_volunteer(units):
    return services.create_volunteer(
        by=None, data={"full_name": "Hồ Thị Khác", "unit": units["other"], "phone": "0935000111"}
    )


# --- list ---


def test_list_works_for_coordinator_and_folds_diacritics(client_for, coordinator, volunteer, other_volunteer):
    response = client_for(coordinator).get(reverse("people:volunteer_list"), {"q": "nguyen van"})
    assert response.status_code == 200
    assert list(response.context["page"]) == [volunteer]


def test_list_shows_only_the_users_units(client_for, outsider, volunteer, other_volunteer):
    response = client_for(outsider).get(reverse("people:volunteer_list"))
    assert list(response.context["page"]) == [other_volunteer]


def test_list_searches_by_phone_in_any_spelling(client_for, unit_leader, volunteer):
    response = client_for(unit_leader).get(reverse("people:volunteer_list"), {"q": "0905 123"})
    assert list(response.context["page"]) == [volunteer]


@pytest.mark.parametrize("persona", ["viewer", "kiosk", "volunteer_user"])
def test_list_is_forbidden_to_roles_without_personal_data_access(request, client_for, persona):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse("people:volunteer_list")).status_code == 403


def test_list_rejects_post(client_for, coordinator):
    assert client_for(coordinator).post(reverse("people:volunteer_list")).status_code == 405


def test_list_requires_login(client):
    response = client.get(reverse("people:volunteer_list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_list_query_count_does_not_grow_with_rows(client_for, coordinator, units, django_assert_num_queries):
    for i in range(12):
        services.create_volunteer(
            by=None,
            data={"full_name": f"Tình nguyện viên {i}", "unit": units["branch"], "phone": f"09051230{i:02d}"},
        )
    client = client_for(coordinator)
    # session, user with unit and profile, count, unit choices of the filter form, page rows,
    # skills of the page's rows: the same 6 whatever the number of rows.
    with django_assert_num_queries(6):
        response = client.get(reverse("people:volunteer_list"))
    assert response.status_code == 200


# --- detail ---


def test_detail_works_in_scope(client_for, coordinator, volunteer):
    response = client_for(coordinator).get(reverse("people:volunteer_detail", args=[volunteer.pk]))
    assert response.status_code == 200
    assert response.context["can_edit"] is True
    assert "0905 123 456" in response.content.decode()


def test_volunteer_sees_own_profile_read_only(client_for, volunteer_user, volunteer):
    response = client_for(volunteer_user).get(reverse("people:volunteer_detail", args=[volunteer.pk]))
    assert response.status_code == 200
    assert response.context["can_edit"] is False


def test_detail_is_404_for_outsiders(client_for, outsider, volunteer):
    response = client_for(outsider).get(reverse("people:volunteer_detail", args=[volunteer.pk]))
    assert response.status_code == 404


def test_detail_is_403_for_the_viewer_in_scope(client_for, viewer, volunteer):
    response = client_for(viewer).get(reverse("people:volunteer_detail", args=[volunteer.pk]))
    assert response.status_code == 403  # read-only role: figures only, not people
    assert volunteer.full_name not in response.content.decode()


def test_detail_rejects_post(client_for, coordinator, volunteer):
    response = client_for(coordinator).post(reverse("people:volunteer_detail", args=[volunteer.pk]))
    assert response.status_code == 405


# --- create / edit ---


def test_create_normalises_and_audits(client_for, coordinator, units):
    response = client_for(coordinator).post(
        reverse("people:volunteer_create"),
        {
            "full_name": "  Pha\u0323m   Thi\u0323 Hoa ",
            "unit": units["branch"].pk,
            "phone": "0905.777.888",
            "birth_date": "05/09/2001",
            "gender": "female",
        },
    )
    assert response.status_code == 302
    created = Volunteer.objects.get(phone="+84905777888")
    assert created.full_name == "Phạm Thị Hoa"
    assert created.birth_date.isoformat() == "2001-09-05"
    entry = AuditEntry.objects.get(action="volunteer.create", object_id=str(created.pk))
    assert entry.actor == coordinator


def test_create_refuses_a_unit_outside_scope(client_for, unit_leader, units):
    response = client_for(unit_leader).post(
        reverse("people:volunteer_create"), {"full_name": "Ai Đó", "unit": units["other"].pk}
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not Volunteer.objects.filter(full_name="Ai Đó").exists()


def test_create_reports_bad_phone_and_duplicate_phone(client_for, coordinator, units, volunteer):
    client = client_for(coordinator)
    bad = client.post(
        reverse("people:volunteer_create"), {"full_name": "A", "unit": units["branch"].pk, "phone": "12"}
    )
    assert bad.context["form"].errors["phone"][0].startswith("Nhập số điện thoại")
    taken = client.post(
        reverse("people:volunteer_create"),
        {"full_name": "B", "unit": units["branch"].pk, "phone": "+84 905 123 456"},
    )
    assert "phone" in taken.context["form"].errors
    assert Volunteer.objects.count() == 1


def test_create_is_forbidden_to_read_only_roles(client_for, viewer, volunteer_user):
    for user in (viewer, volunteer_user):
        assert client_for(user).get(reverse("people:volunteer_create")).status_code == 403


def test_create_rejects_put(client_for, coordinator):
    assert client_for(coordinator).put(reverse("people:volunteer_create")).status_code == 405


def test_edit_works_and_records_before_and_after(client_for, unit_leader, volunteer, units):
    response = client_for(unit_leader).post(
        reverse("people:volunteer_edit", args=[volunteer.pk]),
        {
            "full_name": volunteer.full_name,
            "unit": units["branch"].pk,
            "phone": "0905123456",
            "email": "An@Example.vn",
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="volunteer.update")
    assert entry.before["email"] == ""
    assert entry.after["email"] == "an@example.vn"


def test_edit_is_403_for_the_volunteer_and_404_for_outsiders(client_for, volunteer_user, outsider, volunteer):
    url = reverse("people:volunteer_edit", args=[volunteer.pk])
    assert client_for(volunteer_user).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 404


def test_edit_rejects_delete(client_for, coordinator, volunteer):
    response = client_for(coordinator).delete(reverse("people:volunteer_edit", args=[volunteer.pk]))
    assert response.status_code == 405


# --- active flag ---


def test_set_active_toggles(client_for, coordinator, volunteer):
    url = reverse("people:volunteer_set_active", args=[volunteer.pk])
    assert client_for(coordinator).post(url, {"active": "0"}).status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.is_active is False


def test_set_active_permissions_and_method(client_for, coordinator, volunteer_user, outsider, volunteer):
    url = reverse("people:volunteer_set_active", args=[volunteer.pk])
    assert client_for(volunteer_user).post(url, {"active": "0"}).status_code == 403
    assert client_for(outsider).post(url, {"active": "0"}).status_code == 404
    assert client_for(coordinator).get(url).status_code == 405
    volunteer.refresh_from_db()
    assert volunteer.is_active is True
