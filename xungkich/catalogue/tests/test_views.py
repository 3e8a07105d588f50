"""Procedure pages and the coordinators' import pages."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xungkich.catalogue import services as catalogue
from xungkich.catalogue.models import Procedure
from xungkich.catalogue.tests.procedure_samples import ROWS, workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT = reverse("catalogue:procedure_import")
BUDGET = 150 * 1024


@pytest.fixture
def seeded(db):
    catalogue.load_seed()


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }


def _page_bytes(client, response):
    """The page and every stylesheet and script it links (what a phone downloads on first visit)."""
    html = response.content.decode()
    total = len(response.content)
    for asset in re.findall(r'(?:href|src)="/static/([^"]+)"', html):
        total += Path(finders.find(asset)).stat().st_size
    return total


# --- Procedure page -----------------------------------------------------------------------------


def test_procedure_page_is_public_and_plain(client, seeded, django_assert_num_queries):
    with django_assert_num_queries(4):  # procedure, channels, fees; its published guides
        response = client.get(reverse("catalogue:procedure_detail", args=["2.001194"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="procedure-name"' in html and "Cấp lại thẻ căn cước" in html
    assert 'id="procedure-ways"' in html and 'id="procedure-official"' in html
    # The fee in force today (halved from 1/7/2025), not the old one.
    assert "35.000 đồng" in html and "70.000 đồng" not in html
    assert 'id="procedure-unverified"' not in html  # verified on the police portal


def test_unverified_procedure_is_labelled(client, seeded):
    response = client.get(reverse("catalogue:procedure_detail", args=["1.001193"]))
    assert 'id="procedure-unverified"' in response.content.decode()


def test_procedure_page_size_budget(client, seeded):
    response = client.get(reverse("catalogue:procedure_detail", args=["3.000722"]))
    assert _page_bytes(client, response) < BUDGET


def test_linked_guides_hook(seeded):
    source = Path("xungkich/catalogue/templates/catalogue/procedures/detail.html").read_text(encoding="utf-8")
    assert "{% block linked_guides %}" in source


def test_unknown_procedure_404(client, db):
    assert client.get(reverse("catalogue:procedure_detail", args=["9.999999"])).status_code == 404


def test_procedure_page_wrong_method(client, seeded):
    assert client.post(reverse("catalogue:procedure_detail", args=["1.001193"])).status_code == 405


def test_procedure_list_public(client, seeded):
    response = client.get(reverse("catalogue:procedure_list"))
    assert response.status_code == 200
    assert reverse("catalogue:procedure_detail", args=["1.001193"]) in response.content.decode()
    assert client.post(reverse("catalogue:procedure_list")).status_code == 405


# --- Import pages -------------------------------------------------------------------------------


def _upload(client, data=None):
    return client.post(IMPORT, {"file": SimpleUploadedFile("dm.xlsx", data or workbook(), content_type=XLSX)})


def test_import_upload_preview_confirm(client_for, coordinator):
    client = client_for(coordinator)
    assert client.get(IMPORT).status_code == 200
    response = _upload(client)
    assert response.status_code == 302
    preview = client.get(response.url)
    assert preview.status_code == 200
    assert 'id="procedure-import-confirm"' in preview.content.decode()
    assert not Procedure.objects.exists()
    token = response.url.rstrip("/").split("/")[-1]
    done = client.post(reverse("catalogue:procedure_import_confirm", args=[token]))
    assert done.status_code == 302 and Procedure.objects.count() == 3
    # The token is spent.
    assert client.get(response.url).status_code == 404


def test_import_preview_with_errors_has_no_confirm(client_for, coordinator):
    rows = [list(row) for row in ROWS]
    rows[0][2] = ""
    client = client_for(coordinator)
    preview = client.get(_upload(client, workbook(rows)).url)
    html = preview.content.decode()
    assert 'id="procedure-import-errors"' in html and 'id="procedure-import-confirm"' not in html


def test_import_unreadable_file_shows_error(client_for, coordinator):
    response = _upload(client_for(coordinator), b"not a spreadsheet at all")
    assert response.status_code == 200
    assert not Procedure.objects.exists()


def test_import_read_only_roles_get_403(client_for, viewer, unit_leader, volunteer_user):
    for user in (viewer, unit_leader, volunteer_user):
        assert client_for(user).get(IMPORT).status_code == 403


def test_import_anonymous_redirected_to_login(client, db):
    assert client.get(IMPORT).status_code == 302


def test_import_preview_of_someone_else_404(client_for, coordinator, outsider):
    url = _upload(client_for(coordinator)).url
    token = url.rstrip("/").split("/")[-1]
    other = client_for(outsider)
    assert other.get(url).status_code == 404
    assert other.post(reverse("catalogue:procedure_import_confirm", args=[token])).status_code == 404


def test_import_wrong_methods(client_for, coordinator):
    client = client_for(coordinator)
    url = _upload(client).url
    token = url.rstrip("/").split("/")[-1]
    assert client.post(url).status_code == 405
    assert client.get(reverse("catalogue:procedure_import_confirm", args=[token])).status_code == 405
    assert client.put(IMPORT).status_code == 405
