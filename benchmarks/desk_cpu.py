"""The desk endpoints' own Python CPU per request, in-process, against the trivial view.

    .venv/bin/python benchmarks/desk_cpu.py                   # PostgreSQL xk_desk_cpu, 1000 requests each
    .venv/bin/python benchmarks/desk_cpu.py --requests 3000

``benchmarks/desk.py`` measures the endpoints through gunicorn under load, where the server, the
database, Redis and the load generator share the machine's cores. This one isolates the app's
part: Django's test client in one thread (no network, no HTTP server), ``time.process_time`` around
each batch of requests — the CPU this process spent, whatever the database did meanwhile. Rows, in
one run against one database and one Redis: ``GET /api/v1/ping`` (the trivial view), take a ticket,
call next, record a help session (the same bodies as desk.py), each with its ratio to ping.

The database is migrated and loaded with the demo data (point it at a scratch one); the cache is
Redis (``--redis-url``), as in production.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from scratch_db import ensure_database

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = """
from xungkich.settings import *  # noqa: F401,F403

XK_TICKETS_RATE_PER_IP = (10**9, 600)
XK_TICKETS_RATE_PER_POINT = (10**9, 600)
CACHES = {{"default": {{"BACKEND": "xungkich.core.cache.RedisCache", "LOCATION": {url!r},
                        "KEY_PREFIX": "xk-bench-desk-cpu"}}}}
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/xk_desk_cpu")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--requests", type=int, default=1000, help="requests per endpoint (after 20 warm-up)")
    parser.add_argument(
        "--root",
        type=Path,
        default=ROOT,
        help="the checkout to measure (e.g. a git worktree of an earlier commit, for before/after)",
    )
    args = parser.parse_args()
    root = args.root.resolve()

    workdir = Path(tempfile.mkdtemp(prefix="xk-bench-desk-cpu-"))
    (workdir / "bench_desk_cpu_settings.py").write_text(SETTINGS.format(url=args.redis_url))
    sys.path[:0] = [str(workdir), str(root)]
    os.environ.update(
        {
            "DATABASE_URL": args.database_url,
            "DJANGO_SETTINGS_MODULE": "bench_desk_cpu_settings",
            "XK_VAR_DIR": str(workdir / "var"),
            "DEBUG": "0",
            "SECRET_KEY": "benchmark-only-not-secret-" + "x" * 40,
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "0",
        }
    )
    ensure_database(args.database_url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from xungkich.api.services import create_token
    from xungkich.people.models import User
    from xungkich.places.models import ServicePoint

    call_command("migrate", verbosity=0)
    call_command("load_demo", volume=0, stdout=open(os.devnull, "w"))  # noqa: SIM115 — closed at exit
    point = ServicePoint.objects.order_by("pk").first()
    assert point is not None
    token = create_token(user=User.objects.get(username="dieuphoi"), name="benchmark desk_cpu")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    nonce = time.time_ns()

    def post(path: str, body: dict[str, object]) -> int:
        return client.post(path, json.dumps(body), content_type="application/json").status_code

    endpoints: list[tuple[str, Callable[[int], int]]] = [
        ("GET /api/v1/ping (trivial view)", lambda i: client.get("/api/v1/ping").status_code),
        ("POST /api/v1/tickets (take a ticket)", lambda i: post("/api/v1/tickets", {
            "service_point": point.pk, "need": "account"})),
        ("POST /api/v1/desk/call-next (call next)", lambda i: post("/api/v1/desk/call-next", {
            "service_point": point.pk, "desk": f"C{nonce}-{i}"})),
        ("POST /api/v1/help-sessions (record a help session)", lambda i: post("/api/v1/help-sessions", {
            "service_point": point.pk, "need": "account", "outcome": "done",
            "notes": f"Cài VNeID mức 2 cho khách {i}"})),
    ]  # fmt: skip
    for name, run in endpoints:  # warm every path up first
        for i in range(20):
            status = run(-i - 1)
            if status >= 300:
                raise SystemExit(f"{name} answered {status}")
    # Call next needs waiting tickets: the take row, measured before it, leaves enough.
    rows: list[tuple[str, float, float]] = []
    for name, run in endpoints:
        cpu, wall = time.process_time(), time.perf_counter()
        for i in range(args.requests):
            run(i)
        rows.append(
            (
                name,
                (time.process_time() - cpu) / args.requests * 1000,
                (time.perf_counter() - wall) / args.requests * 1000,
            )
        )

    ping_cpu = rows[0][1]
    database = args.database_url.rsplit("@", 1)[-1]
    print(f"{args.requests} requests each, in-process, one thread; database {database}; code {root}")
    print()
    print("| request | Python CPU ms / request | wall ms / request | CPU × ping |")
    print("|---|---:|---:|---:|")
    for name, cpu_ms, wall_ms in rows:
        print(f"| {name} | {cpu_ms:.2f} | {wall_ms:.2f} | {cpu_ms / ping_cpu:.1f} |")


if __name__ == "__main__":
    main()
