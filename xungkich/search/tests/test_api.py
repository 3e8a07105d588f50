"""GET /api/v1/search and manage.py search."""

import json

import pytest
from django.core.management import call_command

from xungkich.catalogue import services as catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def seeded(db):
    catalogue.load_seed()


def test_contract(client):
    response = client.get("/api/v1/search", {"q": "lam giay khai sinh", "limit": 3})
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"results"}
    assert len(data["results"]) == 3
    first = data["results"][0]
    assert set(first) == {"type", "code", "title", "url", "score"}
    assert first == {
        "type": "procedure",
        "code": "1.001193",
        "title": "Đăng ký khai sinh",
        "url": "/thu-tuc/1.001193/",
        "score": first["score"],
    }
    assert isinstance(first["score"], float)


def test_public_without_token(client):
    assert client.get("/api/v1/search", {"q": "cccd"}).status_code == 200


def test_default_limit_and_empty_query(client):
    assert len(client.get("/api/v1/search", {"q": "dang ky"}).json()["results"]) == 10
    assert client.get("/api/v1/search").json() == {"results": []}


@pytest.mark.parametrize("limit", [0, 51, "x"])
def test_bad_limit(client, limit):
    response = client.get("/api/v1/search", {"q": "cccd", "limit": limit})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_wrong_method(client):
    assert client.post("/api/v1/search", {"q": "cccd"}).status_code == 405


def test_in_openapi_schema(client):
    assert "/api/v1/search" in client.get("/api/v1/openapi.json").json()["paths"]


def test_command_prints_what_the_api_returns(client, capsys):
    call_command("search", "doi gplx", "--json", "--limit", "4")
    printed = json.loads(capsys.readouterr().out)
    assert printed == client.get("/api/v1/search", {"q": "doi gplx", "limit": 4}).json()
    assert printed["results"][0]["code"] == "3.000346"


def test_command_plain_output(capsys):
    call_command("search", "so do")
    out = capsys.readouterr().out
    assert "1.012753" in out and "Giấy chứng nhận" in out
