"""A pg_dump restores into a fresh database exactly (docs/deployment.md, "Backups")."""

from __future__ import annotations

import shutil

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from xungkich.core import backup
from xungkich.core.models import AuditEntry
from xungkich.people.imports import service as import_service
from xungkich.people.imports.tests.samples import issue_workbook
from xungkich.people.models import Volunteer

pytestmark = pytest.mark.django_db(transaction=True)  # committed rows, so pg_dump sees them


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        reason = f"pg_dump/pg_restore need PostgreSQL; this run uses {connection.vendor}"
        print(reason)
        pytest.skip(reason)
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        reason = "the PostgreSQL client programs (pg_dump, pg_restore) are not installed"
        print(reason)
        pytest.skip(reason)
    db = connection.settings_dict
    scratch = f"{db['NAME']}_restored"[:63]
    backup.drop(db=db, name=scratch)
    yield db, scratch
    backup.drop(db=db, name=scratch)


def test_a_dump_restores_into_a_fresh_database_table_for_table(
    postgres, coordinator, volunteer_user, units, tmp_path
):
    db, scratch = postgres
    result = import_service.apply_import(
        data=issue_workbook(), filename="danh sách.xlsx", by=coordinator, default_unit=units["branch"]
    )
    assert len(result.created) == 6
    assert Volunteer.objects.count() == 7 and AuditEntry.objects.exists()
    path = tmp_path / "xungkich.dump"

    backup.dump(db=db, path=path)
    backup.restore(db=db, path=path, into=scratch)

    original = backup.fingerprints(db=db, name=db["NAME"])
    restored = backup.fingerprints(db=db, name=scratch)
    assert original["people_volunteer"][0] == 7
    assert original["core_auditentry"][0] >= 7
    assert {name for name in original if name.startswith("sequence ")}
    assert restored == original  # every table: row count and checksum of its rows; every sequence


def test_restore_check_restores_a_dump_and_lists_its_tables(postgres, volunteer_user, tmp_path, capsys):
    db, scratch = postgres
    path = tmp_path / "xungkich.dump"
    backup.dump(db=db, path=path)
    call_command("restore_check", str(path), "--into", scratch)
    out = capsys.readouterr().out
    assert "all migrations applied" in out
    assert [line.split() for line in out.splitlines() if line.startswith("people_volunteer ")] == [
        ["people_volunteer", "1"]
    ]
    with connection.cursor() as cursor:  # the scratch database is dropped again
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [scratch])
        assert cursor.fetchone() == (0,)


def test_restore_check_fails_on_a_file_that_is_not_a_dump(postgres, tmp_path):
    _db, scratch = postgres
    path = tmp_path / "broken.dump"
    path.write_bytes(b"not a dump")
    with pytest.raises(CommandError, match="pg_restore failed"):
        call_command("restore_check", str(path), "--into", scratch)
