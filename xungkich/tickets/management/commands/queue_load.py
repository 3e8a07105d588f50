"""Take and call many tickets in a loop at one point, from one process (load and race checks).

    manage.py queue_load --point 1 --take 200                # take 200 tickets, print their numbers
    manage.py queue_load --point 1 --call 100 --desk "Bàn 3" # call (and finish) up to 100 tickets

The output is one JSON object: ``{"taken": [numbers…], "called": [ticket ids…]}``. Two processes
running it against one database show that numbering and calling hold across app processes.
"""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xungkich.core.errors import DomainError
from xungkich.places.models import ServicePoint
from xungkich.tickets import services
from xungkich.tickets.models import Need


class Command(BaseCommand):
    help = "Take and/or call many queue tickets at one service point (load and race checks)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--point", type=int, required=True, help="service point id")
        parser.add_argument("--take", type=int, default=0, help="tickets to take")
        parser.add_argument("--call", type=int, default=0, help="tickets to call next and finish")
        parser.add_argument("--desk", default="Bàn 1", help="the desk that calls")
        parser.add_argument(
            "--start-at",
            type=float,
            default=0.0,
            help="wait until this Unix time (to start processes together)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        point = ServicePoint.objects.select_related("unit").filter(pk=options["point"]).first()
        if point is None:
            raise CommandError("No such service point.")
        delay = options["start_at"] - time.time()
        if delay > 0:
            time.sleep(delay)
        taken: list[int] = []
        called: list[int] = []
        for _ in range(options["take"]):
            taken.append(services.take_ticket(point=point, need=Need.OTHER).ticket.number)
        for _ in range(options["call"]):
            try:
                ticket = services.call_next_ticket(point=point, desk=options["desk"], by=None)
            except DomainError as exc:
                if exc.code == "queue_empty":
                    break
                raise
            called.append(ticket.pk)
            services.finish_ticket(ticket=ticket, by=None)
        self.stdout.write(json.dumps({"taken": taken, "called": called}))
