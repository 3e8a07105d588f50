"""Private files (exports, uploads waiting for confirmation) are readable by the app's user only."""

from __future__ import annotations

import csv
import io
import stat

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xungkich.people.imports.tests.samples import issue_workbook
from xungkich.reports.export_files import session_columns
from xungkich.reports.models import ReportExport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def private_root(settings, tmp_path):
    """The private storage exactly as configured, only somewhere else on disk."""
    configured = settings.STORAGES["private"]
    root = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**configured, "OPTIONS": {**configured.get("OPTIONS", {}), "location": root}},
    }
    return root


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_an_export_file_and_its_folders_are_private(client_for, coordinator, units, private_root):
    client = client_for(coordinator)
    response = client.post(
        reverse("reports:export_start"),
        {"from": "01/12/2026", "to": "31/12/2026", "unit": units["hoian"].pk, "kind": "csv"},
    )
    assert response.status_code == 302
    export = ReportExport.objects.get()
    assert export.status == ReportExport.Status.DONE
    written = private_root / export.file_name
    header = next(csv.reader(io.StringIO(written.read_text(encoding="utf-8-sig"))))
    assert len(header) == len(session_columns())
    assert mode(written) == 0o600
    assert mode(written.parent) == 0o700  # reports/<pk>/
    assert mode(written.parent.parent) == 0o700  # reports/
    assert mode(private_root) == 0o700


def test_an_uploaded_volunteer_list_is_private(client_for, coordinator, private_root):
    client = client_for(coordinator)
    data = issue_workbook()  # made once: a workbook carries the time it was written
    upload = SimpleUploadedFile("danh sách.xlsx", data, content_type=XLSX)
    response = client.post(reverse("people:import_upload"), {"file": upload})
    assert response.status_code == 302
    (stored,) = (private_root / "imports").iterdir()
    assert stored.read_bytes() == data
    assert mode(stored) == 0o600
    assert mode(stored.parent) == 0o700
