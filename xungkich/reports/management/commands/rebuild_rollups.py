"""``manage.py rebuild_rollups [--from dd/mm/yyyy] [--to dd/mm/yyyy] [--source roster]``.

Recomputes the daily figures from the raw records (a month per transaction). Without dates: from
the first recorded day to today. Run it after an import or a data fix; the services keep the
figures current otherwise.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from xungkich.lib.dates import InvalidDate, parse_date
from xungkich.reports import rollups
from xungkich.reports.sources import SOURCES
from xungkich.rosters.models import Shift


def _date(value: str) -> dt.date:
    try:
        return parse_date(value)
    except InvalidDate as exc:
        raise CommandError(f"Not a date (dd/mm/yyyy): {value!r}") from exc


class Command(BaseCommand):
    help = "Recompute the report rollups from the raw records."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", help="first day, dd/mm/yyyy (default: first record)")
        parser.add_argument("--to", dest="end", help="last day, dd/mm/yyyy (default: today)")
        parser.add_argument("--source", action="append", choices=sorted(SOURCES), help="only this source")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        end = _date(options["end"]) if options["end"] else today
        if options["start"]:
            start = _date(options["start"])
        else:
            first = Shift.objects.order_by("start").values_list("start", flat=True).first()
            start = timezone.localtime(first).date() if first else end
        if end < start:
            raise CommandError("--to is before --from")
        began = time.monotonic()

        def progress(source: str, day: dt.date, count: int) -> None:
            sys.stderr.write(f"\r{source}: up to {day:%d/%m/%Y} (+{count} rows)   ")
            sys.stderr.flush()

        written = rollups.rebuild(start=start, end=end, sources=options["source"], on_progress=progress)
        sys.stderr.write("\n")
        self.stdout.write(
            f"{written} rows from {start:%d/%m/%Y} to {end:%d/%m/%Y} in {time.monotonic() - began:.1f} s"
        )
