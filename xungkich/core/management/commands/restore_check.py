"""Restore a pg_dump into a scratch database and check it: every migration of this code applied,
every table there, each table's row count printed. Exit status 1 when the restore fails or lags."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.db.migrations.loader import MigrationLoader

from xungkich.core import backup


class Command(BaseCommand):
    help = "Restore a pg_dump (custom format) into a scratch database and check it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dump", type=Path, help="a file written by pg_dump -Fc")
        parser.add_argument(
            "--into", default="xungkich_restore_check", help="the scratch database (dropped first)"
        )
        parser.add_argument("--keep", action="store_true", help="keep the scratch database afterwards")

    def handle(self, *args: Any, **options: Any) -> None:
        connection = connections["default"]
        if connection.vendor != "postgresql":
            raise CommandError("restore_check needs PostgreSQL (DATABASE_URL=postgres://…).")
        db = connection.settings_dict
        dump: Path = options["dump"]
        into: str = options["into"]
        if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", into):
            raise CommandError("The scratch database name may hold only a-z, 0-9 and _.")
        if into == db["NAME"]:
            raise CommandError("The scratch database must not be the live one.")
        if not dump.is_file():
            raise CommandError(f"{dump} is not a file.")
        try:
            backup.drop(db=db, name=into)
            backup.restore(db=db, path=dump, into=into)
            applied = backup.applied_migrations(db=db, name=into)
            counts = {
                table: count for table, (count, _digest) in backup.fingerprints(db=db, name=into).items()
            }
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            if not options["keep"]:
                backup.drop(db=db, name=into)
        known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
        missing = sorted(known - applied)
        for table, count in counts.items():
            self.stdout.write(f"{table:<48} {count:>10}")
        if missing:
            names = ", ".join(f"{app}.{name}" for app, name in missing)
            raise CommandError(f"The restored database lacks {len(missing)} migration(s): {names}")
        self.stdout.write(
            self.style.SUCCESS(f"{dump}: {len(counts)} tables restored, all migrations applied.")
        )
