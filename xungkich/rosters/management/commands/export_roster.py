"""Write a roster period as a solver instance.

    manage.py export_roster PERIOD_ID --out INSTANCE.json

The instance follows ``xungkich-roster/1`` (see ``xungkich/rosters/plan/instance.py``) and holds what is
still to plan (see ``xungkich/rosters/plan/planning.py``). Solve it with ``manage.py solve_roster`` and
bring the result back with ``manage.py import_roster_solution``. ``--out -`` writes to stdout.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xungkich.rosters.models import RosterPeriod
from xungkich.rosters.plan import planning


class Command(BaseCommand):
    help = "Export a roster period as a solver instance (xungkich-roster/1 JSON)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("period", type=int, help="Id of the roster period.")
        parser.add_argument("--out", required=True, help="Where to write the instance JSON ('-': stdout).")

    def handle(self, *args: Any, **options: Any) -> None:
        period = RosterPeriod.objects.select_related("unit").filter(pk=options["period"]).first()
        if period is None:
            raise CommandError(f"No roster period with id {options['period']}.")
        document = planning.build_instance(period)
        payload = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
        if options["out"] == "-":
            sys.stdout.write(payload)
            return
        out = Path(options["out"])
        try:
            out.write_text(payload, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"{out}: cannot write the instance ({exc})") from exc
        places = sum(s["demand"] for s in document["shifts"])
        self.stdout.write(
            f"{period.name}: {len(document['shifts'])} shifts, {places} places to plan, "
            f"{len(document['volunteers'])} volunteers -> {out}"
        )
