"""Apply a solver solution to a roster period.

    manage.py import_roster_solution PERIOD_ID SOLUTION.json [--user USERNAME]

The solution is what ``manage.py solve_roster`` writes for the instance ``export_roster`` made. Like
the "Run the solver" button, it replaces the period's solver-made planned assignments and keeps the
ones made by hand, taken or confirmed; all or nothing. The audit log names ``--user`` (default:
"system"). Unknown shift or volunteer ids stop the command with exit status 1.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xungkich.core.errors import DomainError
from xungkich.people.models import User
from xungkich.rosters.models import RosterPeriod
from xungkich.rosters.plan import planning


class Command(BaseCommand):
    help = "Apply a roster solution (JSON from solve_roster) to a roster period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("period", type=int, help="Id of the roster period.")
        parser.add_argument("solution", help="Solution JSON file ('-': stdin).")
        parser.add_argument("--user", default=None, help="Username the audit log names (default: system).")

    def handle(self, *args: Any, **options: Any) -> None:
        period = RosterPeriod.objects.select_related("unit").filter(pk=options["period"]).first()
        if period is None:
            raise CommandError(f"No roster period with id {options['period']}.")
        if period.status == RosterPeriod.Status.SOLVING:
            raise CommandError(
                f"{period.name}: the solver is working on this period; try again when it is done."
            )
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user named {options['user']}.")
        path = options["solution"]
        try:
            text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: cannot read the file ({exc})") from exc
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
            ) from exc
        if not isinstance(data, dict):
            raise CommandError(f"{path}: expected a JSON object with “assignments”")
        try:
            summary = planning.apply_solution(period=period, solution=data, by=user)
        except DomainError as exc:
            raise CommandError(f"{path}: {exc} [{exc.code}]") from exc
        self.stdout.write(
            f"{period.name}: {summary['filled']}/{summary['places']} places filled "
            f"({summary['created']} from the solution, {summary['kept']} kept, "
            f"{summary['removed']} replaced, {summary['rejected']} left out)"
        )
