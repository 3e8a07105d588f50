"""A refused help-session form opens with an error summary at its top ("Có lỗi cần sửa", a link to
each field in error), and keeps everything that was typed."""

import re

import pytest
from django.urls import reverse

from xungkich.helpdesk.models import HelpSession
from xungkich.helpdesk.tests.conftest import post_data

pytestmark = pytest.mark.django_db

NEW = reverse("helpdesk:session_new")


def summary(html: str) -> str:
    found = re.search(r'<div class="error-summary"(.*?)</div>', html, re.S)
    assert found, "no error summary"
    return found.group(0)


def test_a_refused_note_gets_a_summary_at_the_top_of_the_form(client_for, volunteer_user, point):
    data = post_data(point=point.pk, notes="Bác quên, đặt lại mật khẩu là Hoa@2024", duration_minutes="25")
    response = client_for(volunteer_user).post(NEW, data, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    html = response.content.decode()
    box = summary(html)
    assert 'id="error-summary"' in box and 'tabindex="-1"' in box and 'role="alert"' in box
    assert "Có lỗi cần sửa" in box
    assert re.search(r'<a href="#id_notes">[^<]*mật khẩu[^<]*</a>', box)
    # At the top of the form, before its first field.
    form = html.index('id="session-form"')
    assert form < html.index('id="error-summary"') < html.index('id="field-point"')
    # The page title says there is an error (read first by screen readers).
    assert re.search(r"<title>Lỗi: ", html)
    # Everything typed is kept.
    assert "Bác quên, đặt lại mật khẩu là Hoa@2024</textarea>" in html
    assert 'name="duration_minutes" value="25"' in html
    assert not HelpSession.objects.exists()


def test_each_field_in_error_is_linked_and_chips_link_to_their_group(client_for, volunteer_user, point):
    data = post_data(point=point.pk, need="", duration_minutes="-3")
    html = client_for(volunteer_user).post(NEW, data, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    box = summary(html)
    assert 'href="#field-need"' in box  # chips: a group of radio buttons
    assert 'href="#id_duration_minutes"' in box
    assert box.count("<li>") == 2


def test_a_valid_form_and_a_first_visit_have_no_summary(client_for, volunteer_user, point):
    client = client_for(volunteer_user)
    assert "error-summary" not in client.get(NEW).content.decode()
    assert client.post(NEW, post_data(point=point.pk)).status_code == 302
