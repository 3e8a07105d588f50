"""manage.py load_procedures: the procedure catalogue shipped with the code (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from xungkich.catalogue import services as catalogue


class Command(BaseCommand):
    help = (
        "Load the procedure catalogue shipped in xungkich/catalogue/data/procedures.json (safe to run again)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = catalogue.load_seed()
        self.stdout.write(
            _("Procedures: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
            % {"created": len(result.created), "updated": len(result.updated), "unchanged": result.unchanged}
        )
