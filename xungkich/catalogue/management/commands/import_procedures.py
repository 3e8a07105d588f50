"""manage.py import_procedures FILE [--dry-run]: a procedure list exported from the national database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xungkich.catalogue import imports as catalogue_import
from xungkich.core.errors import DomainError


class Command(BaseCommand):
    help = "Import procedures from an .xlsx or .csv export (upsert by code; all rows or none)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change; write nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        try:
            preview = catalogue_import.preview_import(data=data, filename=path.name)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        for row in preview.rows:
            code = row.parsed.record.code if row.parsed.record else row.parsed.raw.get("code", "")
            extra = f" ({', '.join(row.changed)})" if row.changed else ""
            self.stdout.write(f"{row.row:>5}  {row.status:9}  {code}{extra}")
        for problem in preview.errors:
            self.stderr.write(problem.message)
        if preview.has_errors:
            raise CommandError(f"{len(preview.errors)} error(s): nothing imported.")
        if options["dry_run"]:
            counts = preview.counts
            self.stdout.write(
                f"dry run: {counts['create']} new, {counts['update']} to update, "
                f"{counts['unchanged']} unchanged"
            )
            return
        try:
            result = catalogue_import.apply_import(data=data, filename=path.name, by=None)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(catalogue_import.result_line(result))
