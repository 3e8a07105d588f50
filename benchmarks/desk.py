"""Queue benchmark: the help-desk endpoints under load, each against the trivial JSON view.

    .venv/bin/python benchmarks/desk.py                                   # PostgreSQL xk_tickets, 10 s each
    .venv/bin/python benchmarks/desk.py --duration 20 --connections 32
    .venv/bin/python benchmarks/desk.py --loader python                   # without wrk

What it does, in one run:

1. migrates the database named by ``--database-url`` (PostgreSQL by default) and loads the demo
   data (``load_demo``: the Hội An centre is the service point), makes an API token for the demo
   coordinator ``dieuphoi``;
2. starts gunicorn (``--workers`` processes × 4 threads, DEBUG off) on ``--port``, with the cache in
   Redis (``--redis-url``; the production setup) and the ticket rate limits raised so that one
   load generator is not refused (the limit check itself still runs on every request);
3. loads each endpoint from a second process: ``wrk`` when installed (``apt-get install -y wrk``),
   else a small Python generator (threads, keep-alive connections); the script prints which;
4. reports requests per second and p95 latency of each endpoint and its ratio to ``GET /api/v1/ping``
   measured on the same server in the same run: ping is loaded before the first endpoint and after
   each one, and each endpoint is divided by the mean of the two ping runs around it and by the
   median of all ping runs (a target is met when both ratios meet it).

Targets: reads ≥ 0.5× and writes ≥ 0.3× the trivial view. The first row, ``GET /api/v1/me`` (one
query: the token), has no target: it shows what one database round trip costs against the trivial view.

To add an endpoint, add an ``Endpoint`` to ``ENDPOINTS`` below; optional entries whose path is not
in /api/v1/openapi.json are skipped with a note.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

from scratch_db import ensure_database

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


@dataclass
class Endpoint:
    name: str
    kind: str  # "read" or "write" (sets the target ratio)
    method: str
    path: str  # may hold {point}
    body: str = ""  # JSON; {n} is replaced by a per-request counter (unique desks)
    auth: bool = False
    schema_path: str = ""  # the path as written in the OpenAPI schema, to skip missing endpoints
    optional: bool = False


ENDPOINTS: list[Endpoint] = [
    # Not a target: the cheapest authenticated request (one query, the token), to show what a
    # single database round trip costs here against the trivial view.
    Endpoint("token check", "reference", "GET", "/api/v1/me", auth=True, schema_path="/api/v1/me"),
    Endpoint("board refresh", "read", "GET", "/api/v1/board/{point}", schema_path="/api/v1/board/{point_id}"),
    Endpoint(
        "take a ticket",
        "write",
        "POST",
        "/api/v1/tickets",
        body='{{"service_point": {point}, "need": "account"}}',
        schema_path="/api/v1/tickets",
    ),
    Endpoint(
        "call next",
        "write",
        "POST",
        "/api/v1/desk/call-next",
        # A new desk label per request: a desk with a called number must finish it first.
        body='{{"service_point": {point}, "desk": "B{nonce}-{n}"}}',
        auth=True,
        schema_path="/api/v1/desk/call-next",
    ),
    # The help desk app: recording a help session (a walk-in at the point: a ticket takes one
    # session only; the notes go through the privacy screen on every request).
    Endpoint(
        "record a help session",
        "write",
        "POST",
        "/api/v1/help-sessions",
        body='{{"service_point": {point}, "need": "account", "outcome": "done", '
        '"notes": "Cài VNeID mức 2 cho khách {n}"}}',
        auth=True,
        schema_path="/api/v1/help-sessions",
        optional=True,
    ),
]
TARGETS = {"read": 0.5, "write": 0.3}  # reference rows have none

BENCH_SETTINGS = """
from xungkich.settings import *  # noqa: F401,F403

# One load generator on one address: raise the ticket limits (the check still runs).
XK_TICKETS_RATE_PER_IP = (10**9, 600)
XK_TICKETS_RATE_PER_POINT = (10**9, 600)
"""
BENCH_REDIS = """
CACHES = {{"default": {{"BACKEND": "xungkich.core.cache.RedisCache", "LOCATION": {url!r},
                        "KEY_PREFIX": "xk-bench-desk"}}}}
"""


PREFILL = """
from xungkich.places.models import ServicePoint
from xungkich.rosters.models import ShiftPattern
from xungkich.tickets import services
from xungkich.tickets.models import Ticket, TicketCounter
point = ServicePoint.objects.select_related("unit").get(pk={point})
# A benchmark runs at any hour: without duty hours the point takes numbers at any time (the hours
# are still looked up, from the cache, on every take).
ShiftPattern.objects.filter(point=point).update(is_active=False)
Ticket.objects.filter(point=point).delete()
TicketCounter.objects.filter(point=point).delete()
for index in range(300):
    services.take_ticket(point=point, need="account")
for desk in range(1, 7):
    services.call_next_ticket(point=point, desk=f"Bàn {{desk}}", by=None)
"""


# Before call next is loaded: enough waiting tickets that the queue never runs dry during the run
# (numbers continue the day's counter, so they stay unique).
TOP_UP = """
import secrets
from django.db import transaction
from django.utils import timezone
from xungkich.tickets.models import Ticket, TicketCounter
day = timezone.localdate()
with transaction.atomic():
    counter, _ = TicketCounter.objects.select_for_update().get_or_create(point_id={point}, day=day)
    first = counter.last_number + 1
    Ticket.objects.bulk_create(
        Ticket(point_id={point}, day=day, number=first + i, need="account", source="api",
               public_token=secrets.token_urlsafe(24))
        for i in range({count})
    )
    counter.last_number = first + {count} - 1
    counter.save()
# The table grew by tens of thousands of rows in seconds; a server's autovacuum analyses it within
# a minute. Without fresh statistics the planner scans a whole day for the desk check.
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("ANALYZE tickets_ticket")
"""


@dataclass
class Result:
    rps: float
    p95_ms: float
    requests: int
    errors: int
    extra: dict[str, Any] = field(default_factory=dict)


# --- Load generators ------------------------------------------------------------------------------

WRK_SCRIPT = """
local counter = 0
local thread_id = 0
local threads = {}
setup = function(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
init = function(args)
  method = args[1]
  body = args[2] or ""
  token = ""
  local index = 0
  for t in string.gmatch(args[3] or "", "[^,]+") do
    index = index + 1
    if index == tid then token = t end
    if token == "" then token = t end
  end
end
request = function()
  counter = counter + 1
  local headers = {["Content-Type"] = "application/json"}
  if token ~= "" then headers["Authorization"] = "Bearer " .. token end
  local b = nil
  if method == "POST" then b = string.gsub(body, "{n}", tid .. "-" .. counter) end
  return wrk.format(method, nil, headers, b)
end
done = function(summary, latency, requests)
  local bad = summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout
  io.write(string.format('XKJSON {"requests": %d, "seconds": %f, "p95_us": %f, "errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(95), bad))
end
"""


def run_wrk(url: str, ep: Endpoint, body: str, token: str, args: argparse.Namespace, script: Path) -> Result:
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        url,
        "--",
        ep.method,
        body,
        token if ep.auth else "",
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    line = next(line for line in out.splitlines() if line.startswith("XKJSON "))
    data = json.loads(line[len("XKJSON ") :])
    return Result(
        rps=data["requests"] / data["seconds"],
        p95_ms=data["p95_us"] / 1000,
        requests=data["requests"],
        errors=data["errors"],
    )


def run_python(url: str, ep: Endpoint, body: str, token: str, args: argparse.Namespace) -> Result:
    """Threads with keep-alive connections; one process (the GIL caps it: use wrk for big numbers)."""
    host, port = "127.0.0.1", args.port
    path = url.split(f":{port}", 1)[1]
    deadline = time.monotonic() + args.duration
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    counter = iter(range(10**9))

    def worker(tid: int) -> None:
        nonlocal errors
        conn = HTTPConnection(host, port, timeout=10)
        all_tokens = token.split(",")
        mine_token = all_tokens[tid % len(all_tokens)]
        mine: list[float] = []
        bad = 0
        while time.monotonic() < deadline:
            headers = {"Content-Type": "application/json"}
            if ep.auth:
                headers["Authorization"] = f"Bearer {mine_token}"
            payload = body.replace("{n}", f"{tid}-{next(counter)}") if ep.method == "POST" else None
            start = time.perf_counter()
            try:
                conn.request(ep.method, path, body=payload, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status >= 400:
                    bad += 1
            except OSError:
                bad += 1
                conn.close()
                conn = HTTPConnection(host, port, timeout=10)
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)
            errors += bad

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1] * 1000 if latencies else 0.0
    return Result(rps=len(latencies) / elapsed, p95_ms=p95, requests=len(latencies), errors=errors)


# --- Server -------------------------------------------------------------------------------------


def manage(env: dict[str, str], *command: str) -> str:
    done = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 — our own server
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer at {url}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/xk_tickets")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9", help="'' for the database cache")
    parser.add_argument("--port", type=int, default=8590)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="gthread", help="gunicorn worker class (sync, gthread)")
    parser.add_argument("--server-threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument(
        "--threads", type=int, default=4, help="load generator threads (wrk: one API token each)"
    )
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=int, default=10, help="seconds per endpoint")
    parser.add_argument("--loader", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument(
        "--only", action="append", default=[], help="measure only this endpoint (by name; repeatable)"
    )
    args = parser.parse_args()

    loader = args.loader
    if loader == "auto":
        loader = "wrk" if shutil.which("wrk") else "python"
    if loader == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install -y wrk)")
    print(f"load generator: {loader}" + ("" if loader == "wrk" else " (wrk not found: Python threads)"))

    workdir = Path(tempfile.mkdtemp(prefix="xk-bench-desk-"))
    settings_text = BENCH_SETTINGS + (BENCH_REDIS.format(url=args.redis_url) if args.redis_url else "")
    (workdir / "bench_desk_settings.py").write_text(settings_text)
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "XK_VAR_DIR": str(workdir / "var"),
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-not-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "TASKS_BACKEND": "immediate",
        "PYTHONPATH": f"{workdir}{os.pathsep}{ROOT}",
        "DJANGO_SETTINGS_MODULE": "bench_desk_settings",
    }
    ensure_database(args.database_url)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "createcachetable")
    manage(env, "load_demo", "--volume", "0")  # the demo without its weeks: an empty queue, as before
    point = manage(
        env,
        "shell",
        "-c",
        "from xungkich.places.models import ServicePoint; print(ServicePoint.objects.first().pk)",
    ).split()[-1]
    # One token per connection, as each volunteer has their own (a token row is updated on use).
    tokens = [
        manage(env, "create_api_token", "dieuphoi", "--name", f"benchmark {i}").strip().splitlines()[-1]
        for i in range(args.connections)
    ]
    token = ",".join(tokens)
    # A realistic queue to start from: today's tickets of the point cleared, 300 waiting, six desks
    # with a called number (what the board shows).
    manage(env, "shell", "-c", PREFILL.format(point=point))
    nonce = f"{int(time.time()) % 100000:05d}"
    print(
        f"database: {args.database_url.rsplit('@', 1)[-1]}  cache: {args.redis_url or 'database'}"
        f"  point: {point}"
    )

    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(  # noqa: S603
        [
            str(Path(PYTHON).with_name("gunicorn")),
            "xungkich.wsgi",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            args.worker_class,
            "--threads",
            str(args.server_threads),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        wait_for(f"{base}/api/v1/ping")
        schema = json.loads(urllib.request.urlopen(f"{base}/api/v1/openapi.json").read())  # noqa: S310
        paths = {f"/api/v1{p}" if not p.startswith("/api/v1") else p for p in schema.get("paths", {})}
        script = workdir / "bench.lua"
        script.write_text(WRK_SCRIPT)

        def measure(ep: Endpoint) -> Result:
            url = base + ep.path.format(point=point)
            body = ep.body.format(point=point, n="{n}", nonce=nonce, ticket=0) if ep.body else ""
            if loader == "wrk":
                return run_wrk(url, ep, body, token, args, script)
            return run_python(url, ep, body, token, args)

        ping = Endpoint("trivial JSON view", "read", "GET", "/api/v1/ping")
        # Warm up every worker and connection once.
        measure(Endpoint("warm-up", "read", "GET", "/api/v1/ping"))
        # The baseline is measured between the endpoints (ping, A, ping, B, ping …) and each endpoint
        # is compared with the mean of the two pings around it (a machine whose speed drifts during
        # the run moves both sides of each ratio alike) and with the median of all pings: one ping
        # run can fall to a third of the others (seen after write runs, once after a read — work
        # in the background on the shared cores), which would flatter its neighbours. A target is
        # met only when both ratios meet it.
        pings = [measure(ping)]
        results: list[tuple[Endpoint, Result | None, str, float]] = []
        chosen = [ep for ep in ENDPOINTS if not args.only or ep.name in args.only]
        if not chosen:
            raise SystemExit(f"no endpoint named {args.only}: {[ep.name for ep in ENDPOINTS]}")
        for ep in chosen:
            if ep.schema_path and ep.schema_path not in paths:
                if ep.optional:
                    results.append((ep, None, "not in this build's API", 0.0))
                    continue
                raise SystemExit(f"{ep.schema_path} is missing from the API")
            if ep.name == "call next":
                manage(env, "shell", "-c", TOP_UP.format(point=point, count=args.duration * 2000))
            result = measure(ep)
            pings.append(measure(ping))
            results.append((ep, result, "", statistics.mean([pings[-2].rps, pings[-1].rps])))

        print()
        print(
            f"gunicorn {args.workers} {args.worker_class} workers × {args.server_threads} threads; "
            f"{args.connections} connections, {args.duration} s each"
        )
        print()
        median_ping = statistics.median(p.rps for p in pings)
        print(
            "| endpoint | kind | req/s | p95 ms | errors | ping req/s around it | ratio | "
            f"ratio to the median ping ({median_ping:.0f}) | target | met |"
        )
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
        print(
            f"| GET /api/v1/ping (each run) | baseline | {' / '.join(f'{p.rps:.0f}' for p in pings)} | "
            f"{' / '.join(f'{p.p95_ms:.1f}' for p in pings)} | {sum(p.errors for p in pings)} "
            "| | 1.00 | | | |"
        )
        for ep, result, note, baseline in results:
            label = f"{ep.method} {ep.path.format(point=point)} ({ep.name})"
            if result is None:
                print(
                    f"| {label} | {ep.kind} | – | – | – | – | – | – | {TARGETS.get(ep.kind, '–')} "
                    f"| skipped: {note} |"
                )
                continue
            ratio = result.rps / baseline
            to_median = result.rps / median_ping
            target = TARGETS.get(ep.kind)
            met = "–" if target is None else "yes" if min(ratio, to_median) >= target else "NO"
            print(
                f"| {label} | {ep.kind} | {result.rps:.0f} | {result.p95_ms:.1f} | {result.errors} | "
                f"{baseline:.0f} | {ratio:.2f} | {to_median:.2f} | "
                f"{'–' if target is None else f'{target:.1f}'} | {met} |"
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
