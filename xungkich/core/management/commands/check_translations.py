"""Fail when the Vietnamese catalog lags behind the code.

Runs makemessages for Vietnamese, then checks that every msgid in the code is in the catalog,
translated and not fuzzy, and that the compiled .mo carries the same translations as the .po.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Check that locale/vi is complete and compiled."

    def handle(self, *args: Any, **options: Any) -> None:
        po_path = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"
        mo_path = po_path.with_suffix(".mo")
        if not po_path.exists() or not mo_path.exists():
            raise CommandError(f"{po_path} or {mo_path} is missing")
        original = po_path.read_bytes()
        try:
            call_command(
                "makemessages",
                locale=["vi"],
                no_obsolete=True,
                no_location=True,
                ignore_patterns=[".venv/*", "var/*", "node_modules/*"],
                verbosity=0,
            )
            fresh = polib.pofile(str(po_path))
        finally:
            po_path.write_bytes(original)
        committed = polib.pofile(str(po_path))
        committed_ids = {(e.msgctxt, e.msgid) for e in committed if not e.obsolete}
        problems: list[str] = []
        for entry in fresh:
            if (entry.msgctxt, entry.msgid) not in committed_ids:
                problems.append(f"not in the catalog: {entry.msgid!r}")
        for entry in committed:
            if entry.obsolete:
                continue
            if "fuzzy" in entry.flags:
                problems.append(f"fuzzy: {entry.msgid!r}")
            elif not entry.translated():
                problems.append(f"untranslated: {entry.msgid!r}")
        compiled = {
            (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in polib.mofile(str(mo_path))
        }
        for entry in committed:
            if entry.obsolete or not entry.translated() or "fuzzy" in entry.flags:
                continue
            key = (entry.msgctxt, entry.msgid)
            if compiled.get(key) != (entry.msgstr, tuple(sorted(entry.msgstr_plural.items()))):
                problems.append(f"the .mo is out of date for: {entry.msgid!r} (run make messages)")
        if problems:
            raise CommandError("\n".join(problems[:200]) + f"\n{len(problems)} problem(s)")
        self.stdout.write(f"locale/vi: {len(committed)} entries, all translated and compiled.")
