"""manage.py import_volunteers FILE [--dry-run] [--unit UNIT] [--user USERNAME]

The same import as the web upload: prints every problem by spreadsheet row number, then a summary.
Exits with status 1 when the file has errors (nothing is written), 0 otherwise.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from xungkich.core.errors import DomainError
from xungkich.lib.vietnamese import fold
from xungkich.people.imports import service as import_service
from xungkich.people.imports.service import ImportPreview
from xungkich.people.models import OrgUnit, User
from xungkich.people.scope import can_manage_people, managed_units


class Command(BaseCommand):
    help = (
        "Import volunteers from an .xlsx or .csv list. Prints every problem by row number; "
        "exits with status 1 and writes nothing when the file has errors."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the .xlsx or .csv file")
        parser.add_argument("--dry-run", action="store_true", help="check and report only; write nothing")
        parser.add_argument(
            "--unit", help="id or name of the unit for rows without one (and files without a unit column)"
        )
        parser.add_argument(
            "--user",
            help="import as this user (their units only, audit entries in their name); default: the system",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc.strerror or exc}
            ) from exc
        by = self._user(options["user"])
        unit = self._unit(options["unit"], by)
        try:
            if options["dry_run"]:
                preview = import_service.preview_import(
                    data=data, filename=path.name, by=by, default_unit=unit
                )
                self._report(preview)
                if preview.has_errors:
                    raise CommandError(_("The file has errors; nothing would be imported."))
                self.stdout.write(_("Dry run: nothing was saved."))
                return
            result = import_service.apply_import(data=data, filename=path.name, by=by, default_unit=unit)
        except DomainError as exc:
            if isinstance(exc.details, ImportPreview):
                self._report(exc.details)
            raise CommandError(str(exc)) from exc
        self._report(result.preview)
        self.stdout.write(self.style.SUCCESS(import_service.result_line(result)))

    def _report(self, preview: ImportPreview) -> None:
        for line in import_service.report_lines(preview):
            self.stdout.write(line)

    def _user(self, username: str | None) -> User | None:
        if not username:
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(_("No active user is called “%(name)s”.") % {"name": username})
        if not can_manage_people(user):
            raise CommandError(
                _("%(name)s may not import volunteers: only coordinators and unit leaders may.")
                % {"name": username}
            )
        return user

    def _unit(self, value: str | None, by: User | None) -> OrgUnit | None:
        if not value:
            return None
        units = managed_units(by) if by is not None else OrgUnit.objects.all()
        if value.isdigit():
            found = list(units.filter(pk=int(value)))
        else:
            found = [unit for unit in units if fold(unit.name) == fold(value)]
        if len(found) != 1:
            raise CommandError(
                _("“%(unit)s” does not name exactly one unit you may import into.") % {"unit": value}
            )
        return found[0]
