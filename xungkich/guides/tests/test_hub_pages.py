"""The citizen pages stay light (HTML + CSS + JS under 150 KB) and cheap (pinned query counts)."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse

from xungkich.guides import services
from xungkich.guides.content import load_seed_files

pytestmark = pytest.mark.django_db

BUDGET = 150 * 1024


@pytest.fixture
def seeded():
    call_command("load_procedures", stdout=io.StringIO())
    services.load_guides(seeds=load_seed_files())


def transferred_bytes(client, url: str) -> tuple[int, list[str]]:
    """The page's HTML plus every stylesheet and script it links (images are lazy and optional)."""
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'<link rel="stylesheet" href="/static/([^"]+)"', html)
    assets += re.findall(r'<script src="/static/([^"]+)"', html)
    total = len(response.content)
    for asset in assets:
        path = finders.find(asset)
        assert path, asset
        with open(str(path), "rb") as handle:
            total += len(handle.read())
    return total, assets


@pytest.mark.parametrize("slug", [None, "cai-dat-vneid-muc-1", "nop-ho-so-truc-tuyen"])
def test_citizen_pages_stay_under_150_kb(client, seeded, slug):
    url = reverse("guides:hub") if slug is None else reverse("guides:guide", args=[slug])
    total, assets = transferred_bytes(client, url)
    print(f"{url}: {total} bytes with {', '.join(assets)}")
    assert "css/guides.css" in assets
    assert total < BUDGET


def test_hub_query_count_does_not_grow_with_guides(client, seeded, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(reverse("guides:hub"))
    assert response.content.decode().count('class="hub-list"') >= 3


def test_guide_page_query_count(client, seeded, django_assert_num_queries):
    # The guide with its published version, then its linked procedures.
    with django_assert_num_queries(2):
        client.get(reverse("guides:guide", args=["nop-ho-so-truc-tuyen"]))


def test_hub_groups_guides_by_need(client, seeded):
    page = client.get(reverse("guides:hub")).content.decode()
    assert 'id="need-account"' in page and 'id="need-dossier"' in page and 'id="need-payment"' in page


def test_hub_search_box_goes_to_the_search_page(client, seeded):
    page = client.get(reverse("guides:hub")).content.decode()
    assert f'action="{reverse("search:search")}"' in page
    assert 'id="hub-q"' in page and 'name="q"' in page


def test_hub_starts_with_installing_vneid(client, seeded):
    page = client.get(reverse("guides:hub")).content.decode()
    first = page.index(reverse("guides:guide", args=["cai-dat-vneid-muc-1"]))
    assert first < page.index(reverse("guides:guide", args=["dang-nhap-cong-dvc-bang-vneid"]))
    assert first < page.index('id="need-dossier"')
