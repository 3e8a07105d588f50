"""Delete rejected sign-up requests once their retention period is over.

Idempotent: run it daily with the other purges (docs/deployment.md). Prints how many it deleted.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from xungkich.accounts.signup import REJECTED_KEEP_DAYS, purge_rejected


class Command(BaseCommand):
    help = f"Delete rejected sign-up requests {REJECTED_KEEP_DAYS} days after the decision (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"rejected sign-up requests deleted: {purge_rejected()}")
