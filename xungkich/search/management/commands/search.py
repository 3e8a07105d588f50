"""manage.py search "QUERY" [--json] [--limit N]: what GET /api/v1/search returns, on the command line."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xungkich.search.services import MAX_LIMIT, search


class Command(BaseCommand):
    help = "Search procedures and guides as the site does."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query")
        parser.add_argument("--json", action="store_true", help="Print the API's JSON.")
        parser.add_argument("--limit", type=int, default=10, help=f"Results to show (1–{MAX_LIMIT}).")

    def handle(self, *args: Any, **options: Any) -> None:
        hits = search(options["query"], limit=options["limit"])
        if options["json"]:
            self.stdout.write(json.dumps({"results": [hit.as_dict() for hit in hits]}, ensure_ascii=False))
            return
        for hit in hits:
            self.stdout.write(f"{hit.score:7.4f}  {hit.type:9}  {hit.code:14}  {hit.title}")
