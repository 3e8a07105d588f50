"""purge_private_files: abandoned uploads and exports past their retention leave the disk."""

from __future__ import annotations

import datetime as dt
import io
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from xungkich.reports.models import ReportExport


@pytest.fixture
def private_root(settings, tmp_path):
    configured = settings.STORAGES["private"]
    root = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**configured, "OPTIONS": {**configured.get("OPTIONS", {}), "location": root}},
    }
    return root


def put(name: str, *, age: dt.timedelta, data: bytes = b"Nguyen Van A,0905123456\n") -> str:
    storage = storages["private"]
    saved = storage.save(name, ContentFile(data))
    when = (timezone.now() - age).timestamp()
    os.utime(storage.path(saved), (when, when))
    return saved


def run() -> str:
    out = io.StringIO()
    call_command("purge_private_files", stdout=out)
    return out.getvalue()


def export(
    units, *, finished_days_ago: float, status=ReportExport.Status.DONE, with_file=True
) -> ReportExport:
    finished = timezone.now() - dt.timedelta(days=finished_days_ago)
    item = ReportExport.objects.create(
        kind=ReportExport.Kind.CSV,
        unit=units["hoian"],
        start=dt.date(2026, 12, 1),
        end=dt.date(2026, 12, 31),
        status=status,
        percent=100,
        finished_at=finished,
    )
    if with_file:
        item.file_name = put(f"reports/{item.pk}/bao-cao.csv", age=dt.timedelta(days=finished_days_ago))
        item.save(update_fields=["file_name"])
    return item


def test_abandoned_uploads_older_than_a_day_are_deleted(private_root, db):
    old_list = put("imports/abc.xlsx", age=dt.timedelta(hours=25))
    fresh_list = put("imports/def.xlsx", age=dt.timedelta(hours=2))
    old_procedures = put("procedure-imports/ghi.xlsx", age=dt.timedelta(days=3))
    out = run()
    assert not (private_root / old_list).exists()
    assert not (private_root / old_procedures).exists()
    assert (private_root / fresh_list).read_bytes() == b"Nguyen Van A,0905123456\n"
    assert "uploads: 2" in out


def test_exports_past_their_retention_are_deleted_and_say_so(
    client_for, coordinator, units, private_root, settings
):
    settings.XK_EXPORT_KEEP_DAYS = 7
    old = export(units, finished_days_ago=8)
    recent = export(units, finished_days_ago=2)
    old_path = private_root / old.file_name
    assert old_path.exists()
    out = run()
    assert "exports: 1" in out
    assert not old_path.exists()
    assert not old_path.parent.exists()  # the export's own folder goes too
    assert (private_root / recent.file_name).exists()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.file_name == "" and recent.file_name
    client = client_for(coordinator)
    assert client.get(reverse("reports:export_download", args=[old.pk])).status_code == 404
    page = client.get(reverse("reports:export_detail", args=[old.pk])).content.decode()
    assert 'id="export-download"' not in page
    assert 'id="export-expired"' in page
    assert "Tệp đã được xoá 7 ngày sau khi tạo vì có dữ liệu cá nhân." in page
    assert client.get(reverse("reports:export_download", args=[recent.pk])).status_code == 200


def test_files_of_failed_or_vanished_exports_are_deleted(units, private_root):
    failed = export(units, finished_days_ago=0.5, status=ReportExport.Status.FAILED)
    stray = put("reports/999999/bao-cao.csv", age=dt.timedelta(hours=3))
    just_written = put("reports/999998/bao-cao.csv", age=dt.timedelta(minutes=1))  # a build finishing now
    run()
    assert not (private_root / failed.file_name).exists()
    assert not (private_root / stray).exists()
    assert (private_root / just_written).exists()


def test_it_is_idempotent_and_works_with_nothing_on_disk(units, private_root):
    assert "uploads: 0; exports: 0" in run()
    put("imports/abc.xlsx", age=dt.timedelta(days=2))
    export(units, finished_days_ago=30)
    assert "uploads: 1; exports: 1" in run()
    assert "uploads: 0; exports: 0" in run()
