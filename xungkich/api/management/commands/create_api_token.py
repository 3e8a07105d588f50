"""manage.py create_api_token USERNAME [--name NAME]: prints a new token once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xungkich.api import services
from xungkich.people.models import User


class Command(BaseCommand):
    help = "Create an API token for a user and print it (it cannot be shown again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for, e.g. the city dashboard.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.select_related("unit").get(username=options["username"], is_active=True)
        except User.DoesNotExist as exc:
            raise CommandError(f"No active user named {options['username']!r}") from exc
        self.stdout.write(services.create_token(user=user, name=options["name"]))
