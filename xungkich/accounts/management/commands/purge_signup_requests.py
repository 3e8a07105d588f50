"""Delete rejected or long-undecided sign-up requests once their retention period is over.

Idempotent: run it daily with the other purges (docs/deployment.md). Prints how many it deleted.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from xungkich.accounts.signup import PENDING_KEEP_DAYS, REJECTED_KEEP_DAYS, purge_requests


class Command(BaseCommand):
    help = (
        f"Delete rejected sign-up requests {REJECTED_KEEP_DAYS} days after the decision, and requests "
        f"still undecided after {PENDING_KEEP_DAYS} days (idempotent)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"sign-up requests deleted: {purge_requests()}")
