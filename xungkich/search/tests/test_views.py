"""The search page: public, a plain page or the htmx partial of its results."""

import pytest
from django.urls import reverse

from xungkich.catalogue import services as catalogue


@pytest.fixture
def seeded(db):
    catalogue.load_seed()


def test_search_page_public(client, seeded):
    response = client.get(reverse("search:search"), {"q": "so do"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="search-q"' in html and 'hx-get="' in html
    assert reverse("catalogue:procedure_detail", args=["1.012753"]) in html


def test_search_page_htmx_partial(client, seeded):
    response = client.get(reverse("search:search"), {"q": "cap lai cccd"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and 'id="search-result-list"' in html
    assert "/thu-tuc/2.001194/" in html


def test_search_page_nothing_found(client, seeded):
    html = client.get(reverse("search:search"), {"q": "zzzz qqqq"}).content.decode()
    assert 'id="search-empty"' in html


def test_search_page_wrong_method(client, db):
    assert client.post(reverse("search:search")).status_code == 405
