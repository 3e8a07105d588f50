from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from xungkich.demo.area import DEMO_PASSWORD, load_demo
from xungkich.demo.campaigns import load_demo_campaigns
from xungkich.demo.history import Summary, load_demo_history


def _volume(value: str) -> float:
    try:
        volume = float(value)
    except ValueError:
        volume = -1
    if not 0 <= volume <= 5:
        raise CommandError(_("The volume is a number from 0 to 5 (1: a realistic few weeks; 0: none)."))
    return volume


class Command(BaseCommand):
    help = (
        "Load the Hội An demo data (idempotent): units, volunteers, service points, the last weeks of "
        "rosters, queue, help sessions, ratings and campaigns, and print the demo logins."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--volume",
            type=_volume,
            default=1.0,
            help=(
                "Scale of the demo weeks' tickets and help sessions (1: realistic; 0.1: a quick sample; "
                "0: no weeks, only the units, people, service points, logins and the catalogue)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        volume = options["volume"]
        if isinstance(volume, str):  # call_command(..., volume="0.5") skips the parser's type
            volume = _volume(volume)
        logins = load_demo()
        load_demo_campaigns()  # a 10/10 campaign with its parade event
        call_command("load_procedures", stdout=self.stdout)  # the procedure catalogue (xungkich.catalogue)
        call_command("load_guides", stdout=self.stdout)  # the step-by-step guides, linked to it
        history = load_demo_history(volume=float(volume)) if volume else None  # the last weeks
        self.stdout.write(self.style.SUCCESS(_("Demo data is ready.")))
        if history is not None:
            self._weeks(history)
        self.stdout.write(
            _("Sign in at http://127.0.0.1:8000/ with password “%(pw)s”:") % {"pw": DEMO_PASSWORD}
        )
        for login in logins:
            self.stdout.write(f"  {login.username:<12} {login.role:<28} {login.unit}")

    def _weeks(self, history: Summary) -> None:
        figures = {
            "start": history.start.strftime("%d/%m/%Y"),
            "end": history.end.strftime("%d/%m/%Y"),
            "sessions": history.counts["sessions"],
            "shifts": history.counts["shifts"],
            "ratings": history.counts["ratings"],
        }
        if history.loaded:
            message = _(
                "Demo data (“dữ liệu mẫu”, not real people) from %(start)s to %(end)s: %(sessions)s help "
                "sessions, %(shifts)s shifts, %(ratings)s ratings."
            )
        else:
            message = _(
                "Demo data (“dữ liệu mẫu”, not real people) from %(start)s to %(end)s is already loaded for "
                "today: %(sessions)s help sessions, %(shifts)s shifts, %(ratings)s ratings."
            )
        self.stdout.write(message % figures)
