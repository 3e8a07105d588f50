"""The volunteer's own profile and password change: only the signed-in person's own record."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from xungkich.conftest import PASSWORD
from xungkich.core.models import AuditEntry
from xungkich.people import services
from xungkich.people.models import Skill, Volunteer


def test_a_volunteer_sees_and_changes_their_phone_and_skills(client_for, volunteer_user, volunteer):
    skill = Skill.objects.create(code="dvc", name="Dịch vụ công")
    client = client_for(volunteer_user)
    page = client.get(reverse("profile"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Nguyễn Văn An" in text and reverse("rosters:availability") in text
    response = client.post(reverse("profile"), {"phone": "0905 999 888", "skills": [skill.pk]})
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.phone == "+84905999888"
    assert list(volunteer.skills.all()) == [skill]
    assert AuditEntry.objects.filter(action="volunteer.update", actor=volunteer_user).exists()


def test_another_volunteers_phone_is_refused(client_for, volunteer_user, units):
    services.create_volunteer(
        by=None, data={"full_name": "Khác", "unit": units["other"], "phone": "0935000111"}
    )
    response = client_for(volunteer_user).post(reverse("profile"), {"phone": "0935000111"})
    assert response.status_code == 200
    assert "phone" in response.context["form"].errors
    assert Volunteer.objects.get(user=volunteer_user).phone == "+84905123456"


@pytest.mark.parametrize("persona", ["coordinator", "unit_leader", "viewer"])
def test_staff_without_a_volunteer_record_see_only_their_account(request, client_for, persona, volunteer):
    client = client_for(request.getfixturevalue(persona))
    page = client.get(reverse("profile"))
    assert page.status_code == 200
    assert page.context["form"] is None and "Nguyễn Văn An" not in page.content.decode()
    assert client.post(reverse("profile"), {"phone": "0905 999 888"}).status_code == 403


def test_the_kiosk_has_no_profile(client_for, kiosk):
    client = client_for(kiosk)
    assert client.get(reverse("profile")).status_code == 403
    assert client.get(reverse("password_change")).status_code == 403


@pytest.mark.parametrize("name", ["profile", "password_change"])
def test_anonymous_people_are_sent_to_sign_in(db, name):
    response = Client().get(reverse(name))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_password_change_needs_the_old_password(client_for, volunteer_user):
    client = client_for(volunteer_user)
    new = "Mat-khau-moi-2026!"
    wrong = client.post(
        reverse("password_change"), {"old_password": "nope", "new_password1": new, "new_password2": new}
    )
    assert wrong.status_code == 200
    right = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert right.status_code == 302 and right["Location"] == reverse("profile")
    volunteer_user.refresh_from_db()
    assert volunteer_user.check_password(new)
    assert client.get(reverse("profile")).status_code == 200  # still signed in
