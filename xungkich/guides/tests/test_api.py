"""GET /api/v1/guides and /api/v1/guides/{slug}: public, published versions only."""

from __future__ import annotations

import pytest

from xungkich.guides import services
from xungkich.guides.tests.guide_data import draft, make_guide, make_procedure

pytestmark = pytest.mark.django_db


def test_list_shows_published_guides_only(client, coordinator):
    make_guide(slug="cong-khai", by=coordinator)
    make_guide(slug="nhap", by=coordinator, publish=False)
    response = client.get("/api/v1/guides")
    assert response.status_code == 200
    assert [row["slug"] for row in response.json()] == ["cong-khai"]
    assert response.json()[0]["version"] == 1 and response.json()[0]["url"] == "/huong-dan/cong-khai/"


def test_detail_is_the_published_version(client, coordinator):
    procedure = make_procedure("1.001193", "Đăng ký khai sinh")
    guide = make_guide(slug="khai-sinh", by=coordinator, procedures=[procedure])
    services.save_draft(guide=guide, by=coordinator, draft=draft(title="Bản nháp chưa công bố"))
    body = client.get("/api/v1/guides/khai-sinh").json()
    assert body["title"] == "Đăng ký tài khoản VNeID"
    assert [s["title"] for s in body["steps"]] == ["Mở ứng dụng VNeID", "Bấm Đăng ký"]
    assert body["steps"][0]["tip"] == "Cần có mạng." and body["steps"][0]["image_url"] is None
    assert body["procedures"] == ["1.001193"]
    assert body["handout_a4"] == "/huong-dan/khai-sinh/to-huong-dan-a4.pdf"


def test_unknown_or_draft_guide_is_404_with_a_code(client, coordinator):
    make_guide(slug="nhap", by=coordinator, publish=False)
    for slug in ("nhap", "khong-co"):
        response = client.get(f"/api/v1/guides/{slug}")
        assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_guides_api_is_read_only(client):
    assert client.post("/api/v1/guides").status_code == 405
