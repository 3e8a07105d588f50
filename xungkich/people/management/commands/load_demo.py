from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from xungkich.campaigns.demo import load_demo_campaigns
from xungkich.people.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the Hội An demo data (idempotent) and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = load_demo()
        load_demo_campaigns()  # a 10/10 campaign with its parade event
        call_command("load_procedures", stdout=self.stdout)  # the procedure catalogue (xungkich.guides)
        call_command("load_guides", stdout=self.stdout)  # the step-by-step guides, linked to it
        self.stdout.write(self.style.SUCCESS(_("Demo data is ready.")))
        self.stdout.write(
            _("Sign in at http://127.0.0.1:8000/ with password “%(pw)s”:") % {"pw": DEMO_PASSWORD}
        )
        for login in logins:
            self.stdout.write(f"  {login.username:<12} {login.role:<28} {login.unit}")
