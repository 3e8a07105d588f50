"""Pages and files that carry personal data are never kept by a browser or a shared cache."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse

from xungkich.navigation import navigation

PERSONAS = ["coordinator", "unit_leader", "viewer", "volunteer_user", "kiosk"]


def no_store(response) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return (
        "no-store" in directives
        and "public" not in directives
        and not any(part.startswith("max-age=") and part != "max-age=0" for part in directives)
    )


def menu_urls(client: Client, user) -> list[str]:
    request = client.get(reverse("home")).wsgi_request
    request.user = user
    return [url for url, _label in navigation(request)["nav_items"]]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_in_a_signed_in_menu_is_no_store(request, client_for, volunteer, persona):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    urls = menu_urls(client, user)
    assert len(urls) >= 2
    seen = []
    for url in urls:
        response = client.get(url, follow=True)
        # Some menu pages refuse a persona without a service point (403): refusals are no-store too.
        assert response.status_code in (200, 403), url
        assert no_store(response), (url, response.get("Cache-Control"))
        seen.append(response.status_code)
    assert seen.count(200) >= 2


def test_a_csv_download_of_volunteer_hours_is_no_store(client_for, coordinator, volunteer, units):
    response = client_for(coordinator).get(
        reverse("rosters:unit_hours_csv", args=[units["hoian"].pk]), {"month": "2026-12"}
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Tình nguyện viên"
    assert no_store(response), response.get("Cache-Control")


def test_a_photo_of_an_activity_is_no_store(client_for, coordinator, units, settings, tmp_path):
    from PIL import Image

    from xungkich.campaigns import services as campaigns
    from xungkich.campaigns.models import Activity
    from xungkich.campaigns.tests.conftest import jpeg_with_gps

    settings.MEDIA_ROOT = tmp_path
    campaign = campaigns.create_campaign(
        by=coordinator,
        data={
            "name": "Ngày Chuyển đổi số",
            "unit": units["hoian"],
            "start_date": dt.date(2026, 10, 1),
            "end_date": dt.date(2026, 10, 31),
        },
        units=[],
    )
    activity = campaigns.record_activity(
        campaign=campaign,
        by=coordinator,
        data={"kind": Activity.Kind.BANNERS, "title": "Treo băng rôn", "date": dt.date(2026, 10, 3)},
        units=[],
    )
    photo = campaigns.add_activity_photo(activity=activity, by=coordinator, content=jpeg_with_gps())
    response = client_for(coordinator).get(reverse("campaigns:activity_photo", args=[photo.pk]))
    assert response.status_code == 200
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).format == "JPEG"
    assert no_store(response), response.get("Cache-Control")


def test_signed_out_pages_are_left_to_their_views(client):
    login = client.get(reverse("login"))
    assert login.status_code == 200
    # The sign-in page carries nothing personal; the favicon redirect stays cacheable.
    favicon = client.get("/favicon.ico")
    assert "public" in favicon["Cache-Control"]


def test_the_api_answers_a_token_with_no_store(client, coordinator):
    from xungkich.api import services as api

    token = api.create_token(user=coordinator)
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response.json()["username"] == coordinator.username
    assert no_store(response), response.get("Cache-Control")
