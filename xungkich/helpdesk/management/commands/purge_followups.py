"""Delete follow-up phone numbers whose call is over or whose retention period has ended.

Idempotent: run it daily (cron or the scheduler; see docs/helpdesk.md). Prints what it deleted.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from xungkich.helpdesk.services import purge_followups


class Command(BaseCommand):
    help = "Delete follow-up phone numbers after the call or the retention period (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = purge_followups()
        self.stdout.write(
            f"expired (never called, retention over): {result.expired}; "
            f"cleared after the call: {result.cleared}"
        )
