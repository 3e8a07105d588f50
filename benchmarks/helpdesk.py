"""Help desk API benchmark: recording and listing help sessions, side by side, in one run.

    XK_VAR_DIR=/tmp/xk-bench .venv/bin/python benchmarks/helpdesk.py            # SQLite in XK_VAR_DIR
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xk_bench .venv/bin/python benchmarks/helpdesk.py

In-process (Django's test client, no network, one thread): the figures are the app's own cost per
request (routing, token check, validation, privacy screen, transaction, audit entry), not a web
server's. Rows, in one run against one database:

- ``POST`` without a key; ``POST`` with a fresh ``Idempotency-Key`` (one more insert and update);
- ``POST`` retried with the same key (the replay: no session is written);
- ``POST`` refused for a secret in the notes (400, nothing written);
- ``GET`` a page of 50 from a list of all sessions written above.

The database is migrated and filled from scratch (``migrate`` into the configured database: point it
at a scratch one).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xungkich.settings")


def measure(run: Callable[[int], int], count: int) -> tuple[float, float, float, int]:
    """(mean ms, p50 ms, p95 ms, queries per request) over ``count`` calls."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    times: list[float] = []
    queries = 0
    for i in range(count):
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            status = run(i)
            times.append((time.perf_counter() - start) * 1000)
        queries = len(ctx)
        assert status in (200, 201, 400), status
    times.sort()
    return statistics.mean(times), times[len(times) // 2], times[int(len(times) * 0.95) - 1], queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300, help="requests per row (default 300)")
    args = parser.parse_args()

    import django

    django.setup()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 400 row is expected
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from scratch_db import ensure_database

    ensure_database(os.environ.get("DATABASE_URL", ""))
    call_command("migrate", verbosity=0)
    from django.conf import settings

    from xungkich.api.services import create_token
    from xungkich.helpdesk.models import HelpSession
    from xungkich.people import services as people
    from xungkich.people.models import OrgUnit, Role, User
    from xungkich.places.models import ServicePoint

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the in-process client's host
    city = OrgUnit.objects.filter(name="Bench city", parent=None).first() or people.create_unit(
        by=None, name="Bench city", kind=OrgUnit.Kind.CITY, parent=None
    )
    unit = OrgUnit.objects.filter(parent=city, name="Bench ward").first() or people.create_unit(
        by=None, name="Bench ward", kind=OrgUnit.Kind.BASE, parent=city
    )
    user = User.objects.filter(username="bench-volunteer").first() or User.objects.create_user(
        username="bench-volunteer", password=None, role=Role.VOLUNTEER, unit=unit
    )
    point, _ = ServicePoint.objects.get_or_create(name="Bench centre", unit=unit)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {create_token(user=user)}"}
    client = Client()
    url = "/api/v1/help-sessions"
    body = {
        "service_point": point.pk,
        "need": "account",
        "outcome": "done",
        "notes": "Cài VNeID mức 2, gọi lại số 0905 123 456 khi có kết quả",
    }
    payload = json.dumps(body)
    run_id = str(time.time_ns())

    def post(i: int, **headers: str) -> int:
        return client.post(url, payload, content_type="application/json", **auth, **headers).status_code

    rows = [
        ("POST, no key", lambda i: post(i)),
        ("POST, fresh Idempotency-Key", lambda i: post(i, HTTP_IDEMPOTENCY_KEY=f"{run_id}-{i}")),
        ("POST, retried key (replay)", lambda i: post(i, HTTP_IDEMPOTENCY_KEY=f"{run_id}-0")),
        (
            "POST, secret in notes (400)",
            lambda i: (
                client.post(
                    url, json.dumps(body | {"notes": "OTP 482913"}), content_type="application/json", **auth
                ).status_code
            ),
        ),
        ("GET, page of 50", lambda i: client.get(url, {"limit": 50}, **auth).status_code),
    ]
    print(
        f"database: {connection.vendor}; {args.count} requests per row; sessions before: "
        f"{HelpSession.objects.count()}"
    )
    print()
    print("| request | mean ms | p50 ms | p95 ms | queries |")
    print("|---|---:|---:|---:|---:|")
    for label, run in rows:
        mean, p50, p95, queries = measure(run, args.count)
        print(f"| {label} | {mean:.1f} | {p50:.1f} | {p95:.1f} | {queries} |")
    print()
    print(f"sessions after: {HelpSession.objects.count()}")


if __name__ == "__main__":
    main()
