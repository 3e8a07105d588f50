"""``manage.py refresh_rollups``: refresh the figures whose records changed since the last run.

Schedule it every few minutes (see docs/reports.md). Services may also call
``rollups.refresh_for`` in their own transaction, which makes the figures current at once.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from xungkich.reports import rollups


class Command(BaseCommand):
    help = "Refresh the report rollups of records changed since the last run."

    def handle(self, *args: Any, **options: Any) -> None:
        done = rollups.catch_up()
        self.stdout.write(", ".join(f"{name}: {count} keys" for name, count in done.items()))
