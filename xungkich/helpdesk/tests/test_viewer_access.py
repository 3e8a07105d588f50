"""The report viewer reads figures only: no help-session records (notes, places, helper names)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from xungkich.api.services import create_token
from xungkich.helpdesk.tests.conftest import make_session


def test_viewer_gets_403_on_the_session_list(client_for, viewer, session):
    response = client_for(viewer).get(reverse("helpdesk:session_list"))
    assert response.status_code == 403
    assert session.helped_by.get_full_name() not in response.content.decode()


def test_viewer_gets_404_on_a_session_outside_scope(client_for, viewer, outsider, other_point):
    outside = make_session(outsider, other_point)
    assert client_for(viewer).get(reverse("helpdesk:session_detail", args=[outside.pk])).status_code == 404


def test_viewer_gets_403_on_session_detail(client_for, viewer, session):
    response = client_for(viewer).get(reverse("helpdesk:session_detail", args=[session.pk]))
    assert response.status_code == 403


def test_viewer_gets_403_on_the_sessions_api(viewer, session):
    token = create_token(user=viewer)
    response = Client().get("/api/v1/help-sessions", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403


def test_coordinator_still_reads_them(client_for, coordinator, session):
    client = client_for(coordinator)
    assert client.get(reverse("helpdesk:session_list")).status_code == 200
    assert client.get(reverse("helpdesk:session_detail", args=[session.pk])).status_code == 200
