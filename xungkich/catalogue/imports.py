"""Importing procedure lists: a preview checked against the catalogue, then one atomic write.

``preview_import`` reads the file and marks each row new / update / unchanged / error;
``apply_import`` does the same inside one transaction and writes only when no row is in error.
The coordinator's upload page and ``manage.py import_procedures`` both use these two functions.
Reading the file itself (headers, cells, fees) is ``import_parsing``, which needs no database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from xungkich.catalogue import services as catalogue
from xungkich.catalogue.import_parsing import ParsedProcedure, parse_table, read_table
from xungkich.catalogue.models import Procedure
from xungkich.catalogue.services import FIELDS, UpsertResult
from xungkich.core.errors import DomainError
from xungkich.people.imports.reading import Problem
from xungkich.people.models import User

CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"
# The private-storage folder where an uploaded list waits between preview and confirm; here rather
# than in the views so the retention job (reports) can clear it without importing a view.
UPLOAD_DIR = "procedure-imports"


@dataclass
class PreviewRow:
    parsed: ParsedProcedure
    status: str = CREATE
    existing: Procedure | None = None
    changed: list[str] = field(default_factory=list)

    @property
    def row(self) -> int:
        return self.parsed.row

    @property
    def status_label(self) -> str:
        labels = {CREATE: _("New"), UPDATE: _("Update"), UNCHANGED: _("Unchanged"), ERROR: _("Error")}
        return labels[self.status]


@dataclass
class ImportPreview:
    filename: str
    rows: list[PreviewRow]
    header_row: int = 0
    sheet: str = ""

    @property
    def errors(self) -> list[Problem]:
        return [problem for row in self.rows for problem in row.parsed.problems if problem.is_error]

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    @property
    def counts(self) -> dict[str, int]:
        counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0, ERROR: 0}
        for row in self.rows:
            counts[row.status] += 1
        return counts

    @property
    def can_confirm(self) -> bool:
        counts = self.counts
        return not self.has_errors and bool(counts[CREATE] or counts[UPDATE])


def preview_import(*, data: bytes, filename: str) -> ImportPreview:
    """What importing the file would do, row by row. Writes nothing; ImportFileError if unreadable."""
    table = read_table(data, filename)
    parsed = parse_table(table, source=_source(filename))
    codes = [item.record.code for item in parsed if item.record is not None]
    existing = {
        procedure.code: procedure
        for procedure in Procedure.objects.filter(code__in=codes).prefetch_related("channels__fees")
    }
    rows = []
    for item in parsed:
        row = PreviewRow(item)
        if item.record is None:
            row.status = ERROR
        else:
            procedure = existing.get(item.record.code)
            if procedure is not None:
                row.existing = procedure
                row.changed = _changed(procedure, item)
                row.status = UPDATE if row.changed else UNCHANGED
        rows.append(row)
    return ImportPreview(filename, rows, table.header_row, table.sheet)


def _source(filename: str) -> str:
    return (_("Import: %(file)s") % {"file": filename.rsplit("/", 1)[-1]})[:300]


def _changed(procedure: Procedure, item: ParsedProcedure) -> list[str]:
    record = item.record
    assert record is not None
    values = catalogue._normalised(record)
    names = [name for name in FIELDS if record.given is None or name in record.given]
    changed = [name for name in names if getattr(procedure, name) != values[name]]
    if record.channels is not None and catalogue._channels_snapshot(procedure) != catalogue._records_snapshot(
        record.channels
    ):
        changed.append("channels")
    return changed


def apply_import(*, data: bytes, filename: str, by: User | None) -> UpsertResult:
    """Import the whole file or nothing: DomainError (listing rows) when any row has an error."""
    with transaction.atomic():
        preview = preview_import(data=data, filename=filename)
        if preview.has_errors:
            errors = preview.errors
            raise DomainError(
                ngettext(
                    "%(count)s problem must be fixed first: %(first)s",
                    "%(count)s problems must be fixed first: %(first)s",
                    len(errors),
                )
                % {"count": len(errors), "first": "; ".join(problem.message for problem in errors[:5])},
                "import_has_errors",
                details=[problem.message for problem in errors],
            )
        records = [row.parsed.record for row in preview.rows if row.parsed.record is not None]
        return catalogue.upsert_procedures(records=records, by=by)


def result_line(result: UpsertResult) -> str:
    return _("%(created)s new, %(updated)s updated, %(unchanged)s unchanged.") % {
        "created": len(result.created),
        "updated": len(result.updated),
        "unchanged": result.unchanged,
    }
