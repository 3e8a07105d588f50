"""Hand-written SQL against the ORM on the desk's hot paths, side by side, end to end through the API.

    .venv/bin/python benchmarks/rows_vs_orm.py                                   # SQLite (scratch file)
    .venv/bin/python benchmarks/rows_vs_orm.py --database-url postgres://postgres@127.0.0.1:5432/xk_rows
    .venv/bin/python benchmarks/rows_vs_orm.py --paths orm,rows --endpoints call   # a subset

The app runs every use below through the ORM. This script can put back, one use at a time, the
hand-written path each once had (``hand_rows.py``: one SELECT turned into model instances, one
INSERT statement per model), by replacing the function or the model's ``save`` for the run:

- ``token``: the API token of every request (token, user and unit in one SELECT);
- ``point``: the service point of a desk action, with its unit;
- ``ahead``: the people ahead of a new ticket (the sliced count);
- ``called``: the ticket call next returns (the UPDATE's RETURNING built into a Ticket);
- ``audit``: the audit entry's INSERT;
- ``mark``: the pending-figures mark's INSERT;
- ``session``: the help session's INSERT.

Each endpoint runs under the paths ``orm`` (the app as it is), ``rows`` (every use of the
endpoint hand-written), ``rows:USE`` (that one use hand-written, the rest ORM) and ``orm:USE`` (every
use hand-written but that one); ``--paths`` picks some (``orm`` always runs). In each round every
(endpoint, path) pair runs ``--requests`` requests in a shuffled order, so a loaded machine slows all
of them alike; ratios are taken within a round and their median over the rounds is printed.

What a use saves is given twice, as the share of the whole request's time it removes: alone
(``rows:USE`` against ``orm``) and on top of the other uses (``rows`` against ``orm:USE``). The
savings do not add up exactly (Python's garbage collector runs more often the more the ORM
allocates), so both are shown. In-process (Django's test client, one thread,
no HTTP server), so "wall" is the whole request: routing, validation, the app's Python, every round
trip to the database and the cache. "CPU" is this process's own time (the database server's is
not in it).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scratch_db import ensure_database

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = """
from xungkich.settings import *  # noqa: F401,F403

XK_TICKETS_RATE_PER_IP = (10**9, 600)
XK_TICKETS_RATE_PER_POINT = (10**9, 600)
{caches}
"""
REDIS = """
CACHES = {{"default": {{"BACKEND": "xungkich.core.cache.RedisCache", "LOCATION": {url!r},
                        "KEY_PREFIX": "xk-bench-rows-{nonce}"}}}}
"""

ENDPOINT_USES = {
    "me": ("token",),
    "take": ("point", "ahead"),
    "call": ("token", "point", "called", "audit"),
    "record": ("token", "point", "audit", "mark", "session"),
}
ENDPOINT_NAMES = {
    "me": "GET /api/v1/me (token check only)",
    "take": "POST /api/v1/tickets (take a ticket)",
    "call": "POST /api/v1/desk/call-next (call next)",
    "record": "POST /api/v1/help-sessions (record a help session)",
}


class HandWritten:
    """The hand-written variant of each use, and switching them in and out of the running app."""

    def __init__(self) -> None:
        from django.db import connection, transaction
        from django.utils import timezone
        from django.utils.translation import gettext_lazy as _
        from hand_rows import Inserter, Part, RowShape

        from xungkich.api import services as api_services
        from xungkich.api.models import ApiToken
        from xungkich.core.errors import DomainError
        from xungkich.core.models import AuditEntry
        from xungkich.helpdesk import access as helpdesk_access
        from xungkich.helpdesk.models import HelpSession
        from xungkich.people.models import OrgUnit, User
        from xungkich.places.models import ServicePoint
        from xungkich.reports.models import PendingChange
        from xungkich.tickets import access as tickets_access
        from xungkich.tickets import api as tickets_api
        from xungkich.tickets import services as tickets
        from xungkich.tickets.models import Ticket

        token_row = RowShape(
            Part(ApiToken, "t"), Part(User, "u", parent=(0, "user")), Part(OrgUnit, "o", parent=(1, "unit"))
        )
        token_sql = (
            f"SELECT {token_row.columns()} FROM {token_row.table(0)}"  # noqa: S608 — our tables
            f" JOIN {token_row.table(1)} ON u.id = t.user_id"
            f" LEFT JOIN {token_row.table(2)} ON o.id = u.unit_id"
            " WHERE t.digest = %s AND t.revoked_at IS NULL AND u.is_active = %s"
        )

        def user_for_token(token: str) -> Any:
            objects = token_row.fetch_one(token_sql, [api_services.digest_of(token), True])
            if objects is None:
                return None
            row, user = objects[0], objects[1]
            assert isinstance(row, ApiToken)
            now = timezone.now()
            if row.last_used_at is None or now - row.last_used_at > api_services.LAST_USED_RESOLUTION:
                ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
            return user

        point_row = RowShape(Part(ServicePoint, "p"), Part(OrgUnit, "o", parent=(0, "unit")))
        point_sql = (
            f"SELECT {point_row.columns()} FROM {point_row.table(0)}"  # noqa: S608 — our tables
            f" JOIN {point_row.table(1)} ON o.id = p.unit_id WHERE p.id = %s AND p.is_active = %s"
        )

        def active_point(pk: int) -> Any:
            objects = point_row.fetch_one(point_sql, [pk, True])
            return None if objects is None else objects[0]

        def people_ahead(ticket: Any) -> int:
            if ticket.status != Ticket.Status.WAITING:
                return 0
            sql = (
                f"SELECT COUNT(*) FROM (SELECT 1 FROM {tickets._table(Ticket)} WHERE point_id = %s"  # noqa: S608
                f" AND day = %s AND status = %s AND number < %s LIMIT {tickets.AHEAD_LIMIT}) ahead"
            )
            day = connection.ops.adapt_datefield_value(ticket.day)
            with connection.cursor() as cursor:
                cursor.execute(sql, [ticket.point_id, day, Ticket.Status.WAITING, ticket.number])
                (count,) = cursor.fetchone()
            return int(count)

        called_row = RowShape(Part(Ticket, ""))

        def call_next_ticket(*, point: Any, desk: str, by: Any) -> Any:
            # tickets.services.call_next_ticket with the RETURNING row built by hand_rows.
            desk = tickets.clean_desk(desk)
            day = tickets.local_today()
            table = tickets._table(Ticket)
            lock = " FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
            sql = (
                f"UPDATE {table} SET status = %(called)s, desk = %(desk)s, served_by_id = %(by)s,"  # noqa: S608
                " called_at = %(now)s, calls = 1"
                f" WHERE id = (SELECT id FROM {table} WHERE point_id = %(point)s AND day = %(day)s"
                f" AND status = %(waiting)s ORDER BY number LIMIT 1{lock})"
                f" AND NOT EXISTS (SELECT 1 FROM {table} WHERE point_id = %(point)s AND day = %(day)s"
                " AND desk = %(desk)s AND status IN (%(called)s, %(serving)s))"
                f" RETURNING {called_row.columns()}"
            )
            params = {
                "called": Ticket.Status.CALLED,
                "serving": Ticket.Status.SERVING,
                "waiting": Ticket.Status.WAITING,
                "desk": desk,
                "by": by.pk if by is not None and by.pk else None,
                "now": connection.ops.adapt_datetimefield_value(timezone.now()),
                "point": point.pk,
                "day": connection.ops.adapt_datefield_value(day),
            }
            with transaction.atomic():
                called = called_row.fetch_one(sql, params)
                if called is None:
                    if Ticket.objects.filter(
                        point=point, day=day, desk=desk, status__in=tickets.ACTIVE
                    ).exists():
                        raise DomainError(
                            _("%(desk)s is still serving a number: finish it first.") % {"desk": desk},
                            "desk_busy",
                        )
                    raise DomainError(_("Nobody is waiting."), "queue_empty")
                ticket = called[0]
                assert isinstance(ticket, Ticket)
                ticket.point = point
                tickets._queue_changed(point.pk, day, stats=True)
                tickets._audit(ticket, "call", by, desk=desk)
            return ticket

        def saving_with(model: Any) -> Callable[..., None]:
            """``model.save`` inserting new rows through ``Inserter`` (``objects.create`` included)."""
            inserter = Inserter(model)
            original = model.save

            def save(self: Any, *args: Any, **kwargs: Any) -> None:
                if self._state.adding and not args and set(kwargs) <= {"force_insert", "using"}:
                    inserter.insert(self, using=kwargs.get("using") or "default")
                else:
                    original(self, *args, **kwargs)

            return save

        # use -> [(owner, attribute, hand-written value)]
        self.patches: dict[str, list[tuple[Any, str, Any]]] = {
            "token": [(api_services, "user_for_token", user_for_token)],
            "point": [
                (tickets_access, "active_point", active_point),
                (tickets_api, "active_point", active_point),
                (helpdesk_access, "active_point", active_point),
            ],
            "ahead": [(tickets, "people_ahead", people_ahead)],
            "called": [(tickets, "call_next_ticket", call_next_ticket)],
            "audit": [(AuditEntry, "save", saving_with(AuditEntry))],
            "mark": [(PendingChange, "save", saving_with(PendingChange))],
            "session": [(HelpSession, "save", saving_with(HelpSession))],
        }
        self.originals = {
            (id(owner), name): (owner, name, owner.__dict__.get(name))
            for patches in self.patches.values()
            for owner, name, _value in patches
        }

    def use(self, uses: tuple[str, ...]) -> None:
        """Put the ORM back everywhere, then the hand-written path for ``uses``."""
        for owner, name, original in self.originals.values():
            if original is None:
                if name in owner.__dict__:
                    delattr(owner, name)
            else:
                setattr(owner, name, original)
        for use in uses:
            for owner, name, value in self.patches[use]:
                setattr(owner, name, value)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file")
    parser.add_argument(
        "--redis-url", default="redis://127.0.0.1:6379/9", help="'' for the local memory cache"
    )
    parser.add_argument("--requests", type=int, default=100, help="requests per batch (after warm-up)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--endpoints", default=",".join(ENDPOINT_USES), help="me,take,call,record")
    parser.add_argument(
        "--paths", default="", help="orm, rows, rows:USE, orm:USE (comma-separated); default: every path"
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="xk-bench-rows-"))
    caches = REDIS.format(url=args.redis_url, nonce=time.time_ns()) if args.redis_url else ""
    (workdir / "bench_rows_settings.py").write_text(SETTINGS.format(caches=caches))
    sys.path[:0] = [str(workdir), str(ROOT)]
    database_url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "bench_rows_settings",
            "XK_VAR_DIR": str(workdir / "var"),
            "DEBUG": "0",
            "SECRET_KEY": "benchmark-only-not-secret-" + "x" * 40,
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "0",
        }
    )
    ensure_database(database_url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone

    from xungkich.api.services import create_token
    from xungkich.people import services as people
    from xungkich.people.models import OrgUnit, Role, User
    from xungkich.places.models import ServicePoint
    from xungkich.tickets.models import Ticket, TicketCounter

    call_command("migrate", verbosity=0)
    nonce = time.time_ns()
    city = people.create_unit(by=None, name=f"Bench city {nonce}", kind=OrgUnit.Kind.CITY, parent=None)
    unit = people.create_unit(by=None, name=f"Bench ward {nonce}", kind=OrgUnit.Kind.BASE, parent=city)
    user = User.objects.create_user(username=f"bench-{nonce}", password=None, role=Role.VOLUNTEER, unit=unit)
    point = ServicePoint.objects.create(name=f"Bench centre {nonce}", unit=unit)  # no hours: always open
    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(user=user)}")

    endpoints = [name for name in args.endpoints.split(",") if name]
    chosen = [path for path in args.paths.split(",") if path]
    plan: list[tuple[str, str]] = []
    for endpoint in endpoints:
        uses = ENDPOINT_USES[endpoint]
        paths = ["orm", "rows", *(f"rows:{use}" for use in uses)]
        paths += [f"orm:{use}" for use in uses] if len(uses) > 1 else []
        plan.extend((endpoint, path) for path in paths if not chosen or path in chosen or path == "orm")

    # Call next takes a waiting ticket per request: fill today's queue once, numbers after the counter.
    calls = sum(1 for endpoint, _ in plan if endpoint == "call") * (args.rounds * args.requests + 20)
    day = timezone.localdate()
    with transaction.atomic():
        counter, _ = TicketCounter.objects.get_or_create(point=point, day=day)
        Ticket.objects.bulk_create(
            Ticket(point=point, day=day, number=counter.last_number + 1 + i, need="account", source="api",
                   public_token=secrets.token_urlsafe(24))
            for i in range(calls)
        )  # fmt: skip
        counter.last_number += calls
        counter.save()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE tickets_ticket")

    def post(path: str, body: dict[str, object]) -> int:
        return client.post(path, json.dumps(body), content_type="application/json").status_code

    requests: dict[str, Callable[[str], int]] = {
        "me": lambda n: client.get("/api/v1/me").status_code,
        "take": lambda n: post("/api/v1/tickets", {"service_point": point.pk, "need": "account"}),
        "call": lambda n: post("/api/v1/desk/call-next", {"service_point": point.pk, "desk": f"B{n}"}),
        "record": lambda n: post("/api/v1/help-sessions", {
            "service_point": point.pk, "need": "account", "outcome": "done",
            "notes": f"Cài VNeID mức 2 cho khách {n}"}),
    }  # fmt: skip
    hand = HandWritten()

    def uses_of(endpoint: str, path: str) -> tuple[str, ...]:
        if path == "orm":
            return ()
        if path == "rows":
            return ENDPOINT_USES[endpoint]
        kind, use = path.split(":", 1)
        return (use,) if kind == "rows" else tuple(u for u in ENDPOINT_USES[endpoint] if u != use)

    def batch(endpoint: str, path: str, count: int, label: str) -> tuple[float, float]:
        hand.use(uses_of(endpoint, path))
        run = requests[endpoint]
        cpu, wall = time.process_time(), time.perf_counter()
        for i in range(count):
            status = run(f"{label}-{i}")
            if status >= 300:
                raise SystemExit(f"{endpoint} under {path} answered {status}")
        return (time.process_time() - cpu) / count * 1000, (time.perf_counter() - wall) / count * 1000

    for endpoint, path in plan:  # warm every path up (statements, caches, converters)
        batch(endpoint, path, 10, f"warm-{path}")
    results: dict[tuple[str, str], list[tuple[float, float]]] = {pair: [] for pair in plan}
    order = list(plan)
    for round_ in range(args.rounds):
        random.shuffle(order)
        for endpoint, path in order:
            results[endpoint, path].append(batch(endpoint, path, args.requests, f"r{round_}-{path}"))
    hand.use(())

    def ratio(path: str, base: str, index: int) -> float:
        """Median over the rounds of (time per request under ``path``) / (under ``base``)."""
        return statistics.median(
            figures[index] / baseline[index]
            for figures, baseline in zip(results[endpoint, path], results[endpoint, base], strict=True)
        )

    print(
        f"database {connection.vendor}; cache {'redis' if args.redis_url else 'local memory'}; "
        f"{args.rounds} rounds × {args.requests} requests per path, shuffled; medians over the rounds"
    )
    print()
    print("| endpoint | path | wall ms | CPU ms | wall × orm | CPU × orm |")
    print("|---|---|---:|---:|---:|---:|")
    for endpoint in endpoints:
        for path in (path for name, path in plan if name == endpoint):
            figures = results[endpoint, path]
            print(
                f"| {ENDPOINT_NAMES[endpoint]} | {path} | {statistics.median(w for _c, w in figures):.2f} | "
                f"{statistics.median(c for c, _w in figures):.2f} | {ratio(path, 'orm', 1):.2f} | "
                f"{ratio(path, 'orm', 0):.2f} |"
            )
    print()
    print("Share of the whole request removed by each use's hand-written path (wall; CPU in brackets):")
    print()
    print("| endpoint | use | alone (rows:USE vs orm) | on top of the others (rows vs orm:USE) |")
    print("|---|---|---:|---:|")
    for endpoint in endpoints:
        for use in ENDPOINT_USES[endpoint]:
            alone = (endpoint, f"rows:{use}") in results
            rest = f"orm:{use}" if (endpoint, f"orm:{use}") in results else "orm"
            on_top = (endpoint, "rows") in results and (rest != "orm" or len(ENDPOINT_USES[endpoint]) == 1)
            cells = [
                f"{1 - ratio(f'rows:{use}', 'orm', 1):+.0%} ({1 - ratio(f'rows:{use}', 'orm', 0):+.0%})"
                if alone
                else "–",
                f"{1 - ratio('rows', rest, 1):+.0%} ({1 - ratio('rows', rest, 0):+.0%})" if on_top else "–",
            ]
            print(f"| {ENDPOINT_NAMES[endpoint]} | {use} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main()
