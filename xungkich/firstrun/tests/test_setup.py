"""The first-run page: only a superuser, only before any Youth Union unit exists, all or nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from xungkich.conftest import PASSWORD
from xungkich.core.errors import DomainError
from xungkich.core.models import AuditEntry
from xungkich.firstrun import setup
from xungkich.people.models import AdminUnit, OrgUnit, Role, User
from xungkich.places.models import ServicePoint

URL = reverse("firstrun:setup")
FORM = {
    "province": "46",
    "full_name": "Hoàng Thị Huế",
    "username": "dieuphoi.hue",
    "password1": "Song-Huong-2025",
    "password2": "Song-Huong-2025",
    "point_name": "Trung tâm Phục vụ hành chính công thành phố Huế",
    "point_address": "01 Lê Lai",
}


@pytest.fixture
def root(db) -> User:
    return User.objects.create_superuser(username="root", password=PASSWORD, email="")


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="xungkich.people.backends.UserBackend")
    return client


def test_the_superuser_sets_up_hue_in_one_step(root):
    response = _client(root).post(URL, FORM)
    assert response.status_code == 302 and response.url == reverse("people:unit_list")
    city = OrgUnit.objects.get(parent=None)
    assert (city.name, city.kind, city.admin_unit.code) == ("Thành đoàn Huế", OrgUnit.Kind.CITY, "46")
    bases = city.children.all()
    assert bases.count() == AdminUnit.objects.filter(province__code="46").count() == 40
    assert {unit.kind for unit in bases} == {OrgUnit.Kind.BASE}
    assert bases.filter(name="Đoàn phường Thuận Hóa", admin_unit__code="19789").exists()
    coordinator = User.objects.get(username="dieuphoi.hue")
    assert (coordinator.role, coordinator.unit, coordinator.full_name) == (
        Role.COORDINATOR,
        city,
        "Hoàng Thị Huế",
    )
    assert coordinator.check_password("Song-Huong-2025")
    point = ServicePoint.objects.get()
    assert (point.unit, point.address) == (city, "01 Lê Lai")
    entry = AuditEntry.objects.get(action="setup.province")
    assert entry.actor == root and entry.unit == city
    assert AuditEntry.objects.filter(action="unit.create").count() == 41


def test_the_page_shows_the_34_provinces_to_the_superuser(root):
    response = _client(root).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    select = html[html.index('name="province"') : html.index("</select>", html.index('name="province"'))]
    assert select.count("<option") == 35  # the blank choice and the 34 provinces
    assert "Thành phố Hà Nội (01)" in select


def test_home_sends_the_superuser_of_a_fresh_install_to_the_setup_page(root):
    assert _client(root).get(reverse("home")).url == URL


def test_a_second_submit_is_refused(root):
    client = _client(root)
    client.post(URL, FORM)
    assert client.post(URL, {**FORM, "username": "khac"}).status_code == 404
    assert client.get(URL).status_code == 404
    with pytest.raises(DomainError) as refused:
        setup.set_up_province(
            by=root,
            province_code="01",
            username="khac",
            full_name="",
            password="Song-Huong-2025",
            point_name="X",
        )
    assert refused.value.code == "setup_done"
    assert OrgUnit.objects.filter(parent=None).count() == 1
    assert not User.objects.filter(username="khac").exists()


def test_nothing_is_written_when_a_step_fails(root):
    User.objects.create_user(username="dieuphoi.hue", password=PASSWORD, role=Role.VOLUNTEER)
    response = _client(root).post(URL, FORM)
    assert response.status_code == 200
    assert "dieuphoi.hue" in response.content.decode()
    assert not OrgUnit.objects.exists()
    assert not ServicePoint.objects.exists()
    assert not AdminUnit.objects.filter(province__code="46").exists()
    assert not AuditEntry.objects.filter(action__in=["setup.province", "unit.create"]).exists()


def test_the_form_refuses_a_weak_or_mistyped_password(root):
    client = _client(root)
    for password1, password2 in (("123", "123"), ("Song-Huong-2025", "Song-Huong-2026")):
        response = client.post(URL, {**FORM, "password1": password1, "password2": password2})
        assert response.status_code == 200
    assert not OrgUnit.objects.exists()


def test_names_of_the_youth_unions():
    assert setup.city_union_name("Thành phố Hà Nội") == "Thành đoàn Hà Nội"
    assert setup.city_union_name("Tỉnh Nghệ An") == "Tỉnh đoàn Nghệ An"
    assert setup.base_union_name("Phường Hội An") == "Đoàn phường Hội An"
    assert setup.base_union_name("Xã Tam Mỹ") == "Đoàn xã Tam Mỹ"
    assert setup.base_union_name("Đặc khu Hoàng Sa") == "Đoàn đặc khu Hoàng Sa"


# --- Who may open it --------------------------------------------------------------------------


def test_before_setup_only_a_superuser_may_open_it(db):
    assert Client().get(URL).status_code == 302  # anonymous: to the sign-in page
    assert Client().post(URL, FORM).status_code == 302
    for role in (Role.VOLUNTEER, Role.KIOSK):
        user = User.objects.create_user(username=role, password=PASSWORD, role=role)
        assert _client(user).get(URL).status_code == 403
        assert _client(user).post(URL, FORM).status_code == 403
    assert not OrgUnit.objects.exists()


@pytest.mark.parametrize(
    "who", ["coordinator", "unit_leader", "viewer", "kiosk", "volunteer_user", "outsider"]
)
def test_after_setup_no_role_may_open_it(who, request):
    user = request.getfixturevalue(who)
    assert _client(user).get(URL).status_code == 403
    assert _client(user).post(URL, FORM).status_code == 403


def test_after_setup_the_superuser_gets_not_found(units, root):
    assert _client(root).get(URL).status_code == 404
    assert _client(root).post(URL, FORM).status_code == 404
    assert not User.objects.filter(username="dieuphoi.hue").exists()
