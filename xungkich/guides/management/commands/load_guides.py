from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from xungkich.guides.content import ContentError
from xungkich.guides.services import load_guides


class Command(BaseCommand):
    help = (
        "Create or update the step-by-step guides of xungkich/guides/content/ (idempotent), "
        "publish them and put every published guide in the search index."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = load_guides()
        except ContentError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Guides: %(created)s created, %(updated)s updated, %(unchanged)s unchanged; %(indexed)s indexed."  # noqa: E501
                )
                % {
                    "created": len(report.created),
                    "updated": len(report.updated),
                    "unchanged": len(report.unchanged),
                    "indexed": report.indexed,
                }
            )
        )
        for slug in report.kept_edited:
            self.stdout.write(_("Kept the version edited in the app: %(slug)s") % {"slug": slug})
        for slug, codes in report.missing_procedures.items():
            self.stdout.write(
                _("%(slug)s: procedures not in the catalogue yet: %(codes)s")
                % {"slug": slug, "codes": ", ".join(codes)}
            )
