"""Mark no-shows and close forgotten check-outs: run it every 15 minutes (cron or the task worker).

    manage.py mark_no_shows            # now
    manage.py mark_no_shows --at "2026-03-05T18:00+07:00"

Idempotent: a second run changes nothing. Every change is in the audit log, by "system".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from xungkich.rosters.attendance import services as attendance


class Command(BaseCommand):
    help = "Mark holding assignments of published shifts that ended without a check-in as no-shows."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--at", help="Pretend it is this ISO time (default: now).")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options.get("at"):
            try:
                now = dt.datetime.fromisoformat(options["at"])
            except ValueError as exc:
                raise CommandError(f"--at: not an ISO date-time: {options['at']}") from exc
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        result = attendance.mark_no_shows(now=now)
        self.stdout.write(
            f"{result.no_shows} no-show(s) marked, {result.closed} forgotten check-out(s) closed."
        )
