from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xungkich.rosters import notify


class Command(BaseCommand):
    help = (
        "List to the unit leaders the published shifts starting within N hours whose volunteers "
        "have not confirmed (each assignment once)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--hours", type=int, default=12)
        parser.add_argument(
            "--base-url", default=None, help="Links in messages start with this (default XK_BASE_URL)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = notify.flag_unconfirmed(within_hours=options["hours"], base_url=options["base_url"])
        self.stdout.write(
            f"Unconfirmed shifts flagged: {len(report.flagged)}; leaders told: {len(report.notified)}"
        )
        for assignment in report.flagged:
            self.stdout.write(f"  {assignment.volunteer} · {assignment.shift}")
        for leader in report.unreachable:
            self.stdout.write(self.style.WARNING(f"  leader not reachable: {leader}"))
