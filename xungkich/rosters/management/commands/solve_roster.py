"""Solve a duty-rotation instance file without the database.

    manage.py solve_roster INSTANCE.json --out SOLUTION.json [--time-limit SECONDS]

The instance follows the ``xungkich-roster/1`` format (see ``xungkich/rosters/plan/instance.py``); the
solution has ``assignments``, ``unfilled`` (each with a reason code and sentence), ``unmet_skills``
and ``stats``. Progress lines go to stderr, a one-line summary to stdout. A file that cannot be
read or does not follow the format stops the command with a message naming the field and exit 1.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from xungkich.rosters.plan import solver
from xungkich.rosters.plan.instance import InstanceError, dump_solution, load_instance


class Command(BaseCommand):
    help = "Solve a roster instance (xungkich-roster/1 JSON) with CP-SAT; runs without a database."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("instance", help="Instance JSON file (format xungkich-roster/1).")
        parser.add_argument("--out", required=True, help="Where to write the solution JSON ('-': stdout).")
        parser.add_argument(
            "--time-limit", type=float, default=60.0, help="Seconds, model building included (default 60)."
        )
        parser.add_argument("--workers", type=int, default=2, help="CP-SAT worker threads (default 2).")
        parser.add_argument("--seed", type=int, default=0, help="CP-SAT random seed (default 0).")
        parser.add_argument(
            "--language", default=None, help="Language of the reasons, e.g. vi or en (default: settings)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["instance"])
        if options["time_limit"] <= 0:
            raise CommandError("--time-limit: must be more than 0 seconds")
        if options["workers"] < 1:
            raise CommandError("--workers: must be at least 1")
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: cannot read the file ({exc})") from exc
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
            ) from exc

        with translation.override(options["language"] or translation.get_language()):
            try:
                instance = load_instance(data)
            except InstanceError as exc:
                raise CommandError(f"{path}: {exc}") from exc

            def progress(stage: str, objective: float, elapsed: float) -> None:
                self.stderr.write(f"[{elapsed:7.2f}s] {stage:<16} {objective:g}")

            solution = solver.solve(
                instance,
                time_limit=options["time_limit"],
                num_workers=options["workers"],
                random_seed=options["seed"],
                on_progress=progress,
            )
            document = dump_solution(solution)

        payload = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
        if options["out"] == "-":
            sys.stdout.write(payload)
        else:
            out = Path(options["out"])
            try:
                out.write_text(payload, encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"{out}: cannot write the solution ({exc})") from exc
        stats = solution.stats
        summary = (
            f"{instance.name}: {stats['filled']}/{stats['slots']} places filled, "
            f"{stats['skill_needs_unmet']} skill need(s) unmet, busiest {stats['max_load']} shift(s), "
            f"{stats['elapsed']:.1f} s"
        )
        (self.stderr if options["out"] == "-" else self.stdout).write(summary)
