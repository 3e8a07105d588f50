from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from xungkich.people import services
from xungkich.people.adminunits import AdminListError, parse_official_list

SHIPPED = Path(__file__).resolve().parents[2] / "data" / "admin_units_48.csv"


class Command(BaseCommand):
    help = (
        "Load provinces and communes from the official list of administrative units "
        "(.xlsx or .csv as the statistics office publishes it). Without FILE, the shipped "
        "Đà Nẵng list is loaded."
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
        path = Path(options["file"]) if options["file"] else SHIPPED
        if not path.exists():
            raise CommandError(_("File not found: %(path)s") % {"path": path})
        try:
            rows = parse_official_list(path, path.name, province=options["province"] or None)
        except AdminListError as exc:
            raise CommandError(exc.message) from exc
        created, updated = services.upsert_admin_units(by=None, rows=rows)
        self.stdout.write(
            _("%(rows)s units read: %(created)s created, %(updated)s updated.")
            % {"rows": len(rows), "created": created, "updated": updated}
        )
