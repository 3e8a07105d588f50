from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from xungkich.campaigns.services import RETENTION_DAYS, purge_old_registrations


class Command(BaseCommand):
    help = "Erase names and phone numbers of event registrations older than the retention period (run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = purge_old_registrations()
        self.stdout.write(
            _("%(count)s registrations erased (events more than %(days)s days ago).")
            % {"count": count, "days": RETENTION_DAYS}
        )
