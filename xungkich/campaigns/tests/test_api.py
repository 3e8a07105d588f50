"""GET /api/v1/campaigns/{pk}/progress with a bearer token."""

from __future__ import annotations

import pytest
from django.test import Client

from xungkich.api.services import create_token

pytestmark = pytest.mark.django_db


def get(user, path):
    return Client().get(path, HTTP_AUTHORIZATION=f"Bearer {create_token(user=user)}")


def test_progress_for_a_reader(viewer, campaign, activity):
    response = get(viewer, f"/api/v1/campaigns/{campaign.pk}/progress")
    assert response.status_code == 200
    body = response.json()
    materials = next(f for f in body["figures"] if f["key"] == "materials")
    assert (materials["value"], materials["target"], materials["percent"]) == (12, 20, 60)
    assert body["activities"] == 1


def test_progress_outside_scope_and_for_kiosks(outsider, kiosk, campaign):
    assert get(outsider, f"/api/v1/campaigns/{campaign.pk}/progress").json()["code"] == "not_found"
    assert get(kiosk, f"/api/v1/campaigns/{campaign.pk}/progress").status_code == 403
    assert Client().get(f"/api/v1/campaigns/{campaign.pk}/progress").status_code == 401
    assert Client().post(f"/api/v1/campaigns/{campaign.pk}/progress").status_code == 405
