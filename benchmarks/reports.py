"""Reports benchmark: the dashboard from rollups vs the same figures by GROUP BY over raw records.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xk_reports \\
        .venv/bin/python benchmarks/reports.py --sessions 10000000
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python benchmarks/reports.py --sessions 200000

Steps (one run, one database):

1. ``migrate``; ``generate_load --sessions N`` when the database holds fewer help sessions (a year,
   20 wards with 3 service points each and door-to-door help, a published roster with check-ins);
2. a full rebuild of the rollups (``rollups.rebuild``), timed;
3. one day's refresh (every point and unit of the busiest day, every source), timed, several times;
4. the dashboard's figures for the city over a month, a quarter and the year: from the rollups
   (``rollups.figures``) and from the raw records (``rollups.raw_figures``: the same GROUP BY
   queries the sources run, over the raw tables), timed, best of 3, compared figure by figure;
5. an Excel export of 100,000 help-session rows, streamed (write-only workbook), in a fresh
   subprocess: its wall time, tracemalloc's peak and the process's peak RSS (VmHWM).

Prints a markdown table (for docs/benchmarks.md) and exits non-zero if any figure differs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xungkich.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from scratch_db import ensure_database  # noqa: E402

from xungkich.helpdesk.models import HelpSession  # noqa: E402
from xungkich.people.models import OrgUnit  # noqa: E402
from xungkich.reports import rollups  # noqa: E402
from xungkich.reports.models import DailyFigure, RollupFigure  # noqa: E402

EXPORT_ROWS = 100_000


def best_of(runs: int, work: Any) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _run in range(runs):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


def _peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM), in MB.

    Not ``getrusage``: on Linux its ``ru_maxrss`` survives ``exec``, so a child started from this
    benchmark would report the parent's peak (the raw-record queries), not its own.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def export_child(unit_id: int, start: str, end: str, path: str) -> None:
    """Runs in the subprocess: stream EXPORT_ROWS session rows into a workbook; print the costs."""
    import tracemalloc
    from itertools import islice

    from xungkich.reports import selectors, services
    from xungkich.reports.exporters import Sheet, write_xlsx

    unit = OrgUnit.objects.get(pk=unit_id)
    columns = services.session_columns()
    baseline = _peak_rss_mb()
    tracemalloc.start()
    started = time.perf_counter()
    records = selectors.session_records(
        unit=unit, start=dt.date.fromisoformat(start), end=dt.date.fromisoformat(end)
    )
    rows = ([record.get(c.name) for c in columns] for record in islice(records, EXPORT_ROWS))
    with open(path, "wb") as handle:
        written = write_xlsx(
            handle,
            title="Benchmark",
            subtitle=f"{start} – {end}",
            sheets=[Sheet("Sessions", [c.heading for c in columns], rows)],
        )
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = _peak_rss_mb()
    print(
        json.dumps(
            {
                "rows": written,
                "seconds": seconds,
                "tracemalloc_peak_mb": peak / 2**20,
                "rss_peak_mb": rss,
                "rss_before_mb": baseline,
                "file_mb": os.path.getsize(path) / 2**20,
            }
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sessions", type=int, default=200_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--skip-rebuild", action="store_true", help="reuse the rollups already built")
    parser.add_argument(
        "--export-child", nargs=4, metavar=("UNIT", "FROM", "TO", "PATH"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.export_child:
        export_child(int(args.export_child[0]), *args.export_child[1:])
        return 0

    ensure_database(os.environ.get("DATABASE_URL", ""))
    call_command("migrate", verbosity=0)
    have = HelpSession.objects.count()
    end = timezone.localdate()
    if have < args.sessions:
        print(f"generating {args.sessions - have:,} help sessions …", file=sys.stderr)
        started = time.perf_counter()
        call_command(
            "generate_load", sessions=args.sessions - have, days=args.days, end=end.strftime("%d/%m/%Y")
        )
        print(f"generated in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    city = OrgUnit.objects.get(name="Thành đoàn (tải thử)", parent__isnull=True)
    first = HelpSession.objects.order_by("helped_on").values_list("helped_on", flat=True).first()
    last = HelpSession.objects.order_by("-helped_on").values_list("helped_on", flat=True).first()
    assert first and last
    total = HelpSession.objects.count()

    rebuild_seconds = None
    if not args.skip_rebuild:
        started = time.perf_counter()
        rollups.rebuild(start=first, end=last)
        rebuild_seconds = time.perf_counter() - started
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE reports_dailyfigure; ANALYZE reports_rollupfigure")
    day = last - dt.timedelta(days=3)
    refresh_seconds, _rows = best_of(
        3, lambda: sum(rollups.refresh(source=name, start=day, end=day) for name in rollups.SOURCES)
    )

    # Whole months (what the dashboard and the reports ask for), and one period cut mid-month.
    this_month = last.replace(day=1)
    month_end = this_month - dt.timedelta(days=1)
    month_start = month_end.replace(day=1)
    quarter_start = (month_start - dt.timedelta(days=62)).replace(day=1)
    year_start = (month_start - dt.timedelta(days=335)).replace(day=1)
    ranges = {
        "month": (month_start, month_end),
        "quarter": (quarter_start, month_end),
        "12 months": (max(year_start, first), month_end),
        "mid-month to mid-month": (quarter_start + dt.timedelta(days=14), month_end - dt.timedelta(days=10)),
    }
    results = []
    identical = True
    for label, (start, stop) in ranges.items():
        fast, from_rollups = best_of(3, lambda s=start, e=stop: rollups.figures(unit=city, start=s, end=e))
        slow, from_raw = best_of(
            1 if total > 2_000_000 else 3,
            lambda s=start, e=stop: rollups.raw_figures(unit=city, start=s, end=e),
        )
        same = from_rollups == from_raw
        identical &= same
        results.append((label, start, stop, fast, slow, same, from_rollups.total("sessions")))

    # The export: a period holding at least EXPORT_ROWS sessions (the last days, going back).
    export_start = last
    while (
        HelpSession.objects.filter(helped_on__gte=export_start, helped_on__lte=last).count()
        < min(EXPORT_ROWS, total)
        and export_start > first
    ):
        export_start -= dt.timedelta(days=max(1, (last - export_start).days))
    path = "/tmp/xk-bench-export.xlsx"  # noqa: S108 — a throwaway file of the benchmark
    child = subprocess.run(  # noqa: S603 — our own script, fixed arguments
        [
            sys.executable,
            __file__,
            "--export-child",
            str(city.pk),
            export_start.isoformat(),
            last.isoformat(),
            path,
        ],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ,
    )
    export = json.loads(child.stdout.strip().splitlines()[-1])

    print(f"\n### {connection.vendor}: {total:,} help sessions, {first:%d/%m/%Y}–{last:%d/%m/%Y}\n")
    print(f"Rollup rows: {DailyFigure.objects.count():,} daily, {RollupFigure.objects.count():,} summed.\n")
    print(
        "| Dashboard figures (city, every unit) | sessions | from rollups | GROUP BY over raw | speed-up |",
        end="",
    )
    print(" identical |")
    print("|---|---:|---:|---:|---:|:---:|")
    for label, start, stop, fast, slow, same, sessions in results:
        print(
            f"| {label} {start:%d/%m/%Y}–{stop:%d/%m/%Y} | {sessions:,} | {fast * 1000:.1f} ms "
            f"| {slow * 1000:.0f} ms | {slow / fast:,.0f}× | {'yes' if same else 'NO'} |"
        )
    print()
    if rebuild_seconds is not None:
        print("| Rollups | time |\n|---|---:|")
        print(f"| full rebuild ({first:%d/%m/%Y}–{last:%d/%m/%Y}) | {rebuild_seconds:.1f} s |")
        print(
            f"| refresh one day ({day:%d/%m/%Y}, every point, every source) "
            f"| {refresh_seconds * 1000:.0f} ms |"
        )
        print(f"| ratio | {refresh_seconds / rebuild_seconds:.4f}× |\n")
    else:
        print(f"refresh one day: {refresh_seconds * 1000:.0f} ms\n")
    print("| Excel export, streamed (write-only) | value |\n|---|---:|")
    print(f"| rows | {export['rows']:,} |")
    print(f"| time | {export['seconds']:.1f} s |")
    print(f"| tracemalloc peak | {export['tracemalloc_peak_mb']:.1f} MB |")
    baseline = f"{export['rss_before_mb']:.0f} MB"
    print(f"| process peak RSS (VmHWM; {baseline} before the export) | {export['rss_peak_mb']:.0f} MB |")
    print(f"| file | {export['file_mb']:.1f} MB |")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
