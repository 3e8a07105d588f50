from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from xungkich.people import services
from xungkich.people.adminunits import AdminListError, parse_official_list, shipped_list


class Command(BaseCommand):
    help = (
        "Load provinces and communes from the official list of administrative units "
        "(.xlsx or .csv as the statistics office publishes it). Without FILE, the shipped "
        "list of each --province is loaded (Đà Nẵng when no province is named)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="official list file (.xlsx or .csv)")
        parser.add_argument(
            "--province",
            action="append",
            default=[],
            help="only this province code (repeatable), e.g. --province 48",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        provinces = options["province"]
        try:
            if options["file"]:
                paths = [Path(options["file"])]
            else:
                # Each province's list ships in its own file; Đà Nẵng stays the default, as before.
                paths = [shipped_list(code) for code in provinces or ["48"]]
            rows = []
            for path in paths:
                if not path.exists():
                    raise CommandError(_("File not found: %(path)s") % {"path": path})
                rows += parse_official_list(path, path.name, province=provinces or None)
        except AdminListError as exc:
            raise CommandError(exc.message) from exc
        created, updated = services.upsert_admin_units(by=None, rows=rows)
        self.stdout.write(
            _("%(rows)s units read: %(created)s created, %(updated)s updated.")
            % {"rows": len(rows), "created": created, "updated": updated}
        )
