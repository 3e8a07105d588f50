"""Screen free text already stored (every field of xungkich/core/free_text.py) with the privacy screen.

Identifiers are masked as the forms mask them today; a password or code found in old data is
reported (record and kind, never the value) and replaced by a mask too; invisible characters are
removed. ``--dry-run`` only counts.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from xungkich.core.free_text import SCREENED
from xungkich.core.privacy import Screening, screen_text
from xungkich.lib.vietnamese import normalize_input

SECRET_MASK = "[BÍ MẬT]"  # noqa: S105 — the mask, not a secret


def targets() -> list[tuple[Any, tuple[str, ...]]]:
    """(model, free-text fields) screened by the command: every screened field of the project."""
    return [(apps.get_model(label), tuple(fields)) for label, fields in SCREENED.items()]


def scrub(screening: Screening, original: str) -> str:
    """The masked text with every secret's span also replaced by ``SECRET_MASK``.

    Secrets and identifiers are found in the normalised input (invisible characters removed, NFC);
    both are applied in one pass over it so offsets stay right.
    """
    from xungkich.core.privacy import MASKS

    text = normalize_input(original)
    spans = [(f.start, f.end, SECRET_MASK) for f in screening.secrets]
    spans += [(f.start, f.end, MASKS.get(f.kind, "[?]")) for f in screening.masked]
    spans.sort()
    out: list[str] = []
    pos = 0
    for start, end, mask in spans:
        if start < pos:  # overlapping findings: the first one wins
            continue
        out.append(text[pos:start])
        out.append(mask)
        pos = end
    out.append(text[pos:])
    return "".join(out)


class Command(BaseCommand):
    help = "Mask identifiers and secrets already stored in the help desk's free-text fields."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count only; change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        scanned = masked = secrets = 0
        with transaction.atomic():
            for model, fields in targets():
                for row in model.objects.only("pk", *fields).iterator():
                    scanned += 1
                    changed: list[str] = []
                    for name in fields:
                        value = getattr(row, name)
                        if not value:
                            continue
                        screening = screen_text(value)
                        if not (screening.secrets or screening.masked):
                            if screening.text != value:  # invisible characters, decomposed marks
                                setattr(row, name, screening.text)
                                changed.append(name)
                            continue
                        if screening.secrets:
                            secrets += 1
                            kinds = ", ".join(sorted({f.kind for f in screening.secrets}))
                            self.stdout.write(f"secret: {model._meta.label_lower} #{row.pk} {name} ({kinds})")
                        else:
                            masked += 1
                        new = scrub(screening, value) if screening.secrets else screening.text
                        if new != value:
                            setattr(row, name, new)
                            changed.append(name)
                    if changed and not dry_run:
                        row.save(update_fields=changed)
            if dry_run:
                transaction.set_rollback(True)
        verb = "would change" if dry_run else "changed"
        self.stdout.write(
            f"scanned {scanned} records; identifiers masked in {masked} fields; "
            f"secrets found in {secrets} fields ({verb})"
        )
