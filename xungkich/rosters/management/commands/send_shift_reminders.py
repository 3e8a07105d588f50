from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xungkich.rosters import notify


class Command(BaseCommand):
    help = (
        "Remind everyone on tomorrow's published shifts (once each; safe to run every hour), "
        "then list unconfirmed shifts starting soon to the unit leaders."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url", default=None, help="Links in messages start with this (default XK_BASE_URL)."
        )
        parser.add_argument(
            "--no-flag", action="store_true", help="Do not run flag_unconfirmed after sending the reminders."
        )
        parser.add_argument(
            "--hours", type=int, default=12, help="flag_unconfirmed: shifts starting within N hours."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = notify.send_shift_reminders(base_url=options["base_url"])
        self.stdout.write(f"Reminders sent: {len(report.sent)}")
        for assignment in report.unreachable:
            self.stdout.write(
                self.style.WARNING(
                    f"  not reachable (no contact details): {assignment.volunteer} · {assignment.shift}"
                )
            )
        for assignment in report.failed:
            self.stdout.write(
                self.style.ERROR(f"  failed, will retry: {assignment.volunteer} · {assignment.shift}")
            )
        if not options["no_flag"]:
            flagged = notify.flag_unconfirmed(within_hours=options["hours"], base_url=options["base_url"])
            self.stdout.write(
                f"Unconfirmed shifts flagged: {len(flagged.flagged)}; leaders told: {len(flagged.notified)}"
            )
            for leader in flagged.unreachable:
                self.stdout.write(self.style.WARNING(f"  leader not reachable: {leader}"))
