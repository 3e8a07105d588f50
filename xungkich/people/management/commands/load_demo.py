from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from xungkich.people.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the Hội An demo data (idempotent) and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = load_demo()
        __import__("xungkich.campaigns.demo").campaigns.demo.load_demo_campaigns()
        self.stdout.write(self.style.SUCCESS(_("Demo data is ready.")))
        self.stdout.write(
            _("Sign in at http://127.0.0.1:8000/ with password “%(pw)s”:") % {"pw": DEMO_PASSWORD}
        )
        for login in logins:
            self.stdout.write(f"  {login.username:<12} {login.role:<28} {login.unit}")
