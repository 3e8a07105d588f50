"""Delete private files nobody needs any more: abandoned import uploads, old report exports.

Idempotent: run it daily (cron or a systemd timer; see docs/deployment.md). Prints what it deleted.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from xungkich.reports.retention import purge_private_files


class Command(BaseCommand):
    help = (
        "Delete uploads never confirmed (older than 24 h) and report export files past "
        "XK_EXPORT_KEEP_DAYS (idempotent)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = purge_private_files()
        self.stdout.write(f"deleted files: uploads: {result.uploads}; exports: {result.exports}")
