"""``manage.py generate_load --sessions N [--days 365] [--wards 20] [--points 3] [--no-roster]``.

Fills the database with synthetic help sessions (COPY on PostgreSQL, batched bulk_create on
SQLite), and a published roster with check-ins for the same days, under a unit tree named
"… (tải thử)". For benchmarks and load tests only: never on a production database.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from xungkich.lib.dates import InvalidDate, parse_date
from xungkich.reports import load


class Command(BaseCommand):
    help = "Fill the database with synthetic help sessions, shifts and check-ins (benchmarks)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sessions", type=int, required=True, help="how many help sessions")
        parser.add_argument("--days", type=int, default=365, help="spread over this many days (default 365)")
        parser.add_argument("--end", help="last day, dd/mm/yyyy (default: today)")
        parser.add_argument("--wards", type=int, default=20, help="ward units (default 20)")
        parser.add_argument("--points", type=int, default=3, help="service points per ward (default 3)")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--no-roster", action="store_true", help="help sessions only (no shifts, activities)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["sessions"] < 0 or options["days"] < 1 or options["wards"] < 1 or options["points"] < 1:
            raise CommandError("--sessions must be ≥ 0; --days, --wards and --points ≥ 1")
        try:
            end = parse_date(options["end"]) if options["end"] else timezone.localdate()
        except InvalidDate as exc:
            raise CommandError(f"Not a date (dd/mm/yyyy): {options['end']!r}") from exc
        began = time.monotonic()
        result = load.generate(
            sessions=options["sessions"],
            days=options["days"],
            wards=options["wards"],
            points_per_ward=options["points"],
            end=end,
            seed=options["seed"],
            roster=not options["no_roster"],
            out=sys.stderr,
        )
        self.stdout.write(
            f"{result['sessions']} help sessions, {result['shifts']} shifts, "
            f"{result['assignments']} assignments, {result['activities']} campaign activities "
            f"under unit {result['city']} "
            f"in {time.monotonic() - began:.1f} s"
        )
