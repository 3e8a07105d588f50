"""The report viewer downloads figures (Word, PDF), never records (CSV of sessions, Excel records sheets)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document as read_docx

from xungkich.reports.models import ReportExport
from xungkich.reports.services import start_export
from xungkich.reports.tests.test_views import DEC, december, start  # noqa: F401 — the fixture


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_viewer_cannot_ask_for_a_records_export(client_for, viewer, units, kind):
    assert start(client_for(viewer), units["hoian"], kind).status_code == 403
    assert not ReportExport.objects.exists()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_viewer_gets_403_on_a_records_export_made_by_a_coordinator(
    client_for, viewer, coordinator, units, kind
):
    export = start_export(
        kind=kind, unit=units["hoian"], start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 31), by=coordinator
    )
    client = client_for(viewer)
    assert client.get(reverse("reports:export_detail", args=[export.pk])).status_code == 403
    assert client.get(reverse("reports:export_download", args=[export.pk])).status_code == 403
    # The coordinator who runs the work still downloads it.
    assert (
        client_for(coordinator).get(reverse("reports:export_download", args=[export.pk])).status_code == 200
    )


def test_viewer_is_offered_only_the_figures_report(client_for, viewer, units):
    response = client_for(viewer).get(reverse("reports:dashboard"))
    assert response.status_code == 200
    kinds = [value for value, _label in response.context["export_form"].fields["kind"].choices]
    assert kinds == ["docx", "pdf"]
    content = response.content.decode()
    assert 'value="csv"' not in content and 'value="xlsx"' not in content


def test_viewer_still_downloads_the_figures_report(client_for, viewer, units, december):  # noqa: F811
    client = client_for(viewer)
    assert start(client, units["hoian"], "docx").status_code == 302
    export = ReportExport.objects.get()
    download = client.get(reverse("reports:export_download", args=[export.pk]))
    assert download.status_code == 200
    text = "\n".join(p.text for p in read_docx(io.BytesIO(b"".join(download.streaming_content))).paragraphs)
    assert "BÁO CÁO" in text
