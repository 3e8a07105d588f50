"""The desk form picks the procedure from the catalogue by search (the way volunteers type)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from xungkich.catalogue import services as catalogue
from xungkich.helpdesk.models import HelpSession
from xungkich.helpdesk.tests.conftest import make_session

pytestmark = pytest.mark.django_db

PICK = reverse("helpdesk:procedure_search")


@pytest.fixture
def procedures():
    """The shipped catalogue, indexed for search."""
    catalogue.load_seed()
    return catalogue


def test_typing_without_diacritics_finds_the_procedure(client_for, volunteer_user, procedures):
    response = client_for(volunteer_user).get(PICK, {"q": "dang ky khai sinh"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="procedure-pick"' in html
    assert "Đăng ký khai sinh" in html
    assert 'data-code="' in html


def test_an_unknown_procedure_says_to_type_it(client_for, volunteer_user, procedures):
    html = client_for(volunteer_user).get(PICK, {"q": "zzqx wwvv"}).content.decode()
    assert "Không có thủ tục nào trong danh mục khớp" in html
    assert 'class="procedure-pick"' not in html
    assert client_for(volunteer_user).get(PICK).content.decode().strip() == ""  # nothing typed


def test_the_picker_is_for_people_on_duty(client_for, viewer, kiosk, volunteer_user, procedures):
    assert Client().get(PICK, {"q": "khai sinh"}).status_code == 302  # to the sign-in page
    assert client_for(viewer).get(PICK, {"q": "khai sinh"}).status_code == 403
    assert client_for(kiosk).get(PICK, {"q": "khai sinh"}).status_code == 403
    assert client_for(volunteer_user).post(PICK, {"q": "khai sinh"}).status_code == 405


def test_the_desk_form_has_the_picker(client_for, volunteer_user, point):
    html = client_for(volunteer_user).get(reverse("helpdesk:session_new")).content.decode()
    assert 'id="procedure-search"' in html
    assert f'hx-get="{PICK}"' in html


def test_a_code_without_a_name_gets_the_catalogue_name(volunteer_user, point, procedures):
    from xungkich.catalogue.models import Procedure

    procedure = Procedure.objects.order_by("code").first()
    session = make_session(volunteer_user, point, need="dossier", procedure_code=procedure.code)
    assert HelpSession.objects.get(pk=session.pk).procedure_name == procedure.name
    typed = make_session(
        volunteer_user, point, need="dossier", procedure_code="9.999999", procedure_name="Tự gõ"
    )
    assert (typed.procedure_code, typed.procedure_name) == ("9.999999", "Tự gõ")
