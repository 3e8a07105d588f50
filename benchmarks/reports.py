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
5. an Excel export of 100,000 help-session rows, each writer in a fresh subprocess, every writer
   once per round (``--rounds``, default 2, interleaved so that a busy machine weighs on all of
   them alike): its wall time and the process's peak RSS (VmHWM). The writers:

   - ``openpyxl``: the export as it was before (openpyxl's write-only workbook, a styled cell per
     date, rows from the records' dicts), kept here as the baseline;

   the two others read the rows as the export does now (``selectors.session_rows``: tuples of
   the columns from the cursor, no dict per record):

   - ``xlsxwriter``: XlsxWriter's constant-memory mode, text by ``write_string`` (only when
     XlsxWriter is importable; it is not a dependency of the project);
   - ``streamed``: ``exporters.write_xlsx``, the sheet XML streamed into the zip (what the
     exports use).

   ``--tracemalloc`` also traces Python's allocations in the children (their peak is printed);
   tracing makes Python several times slower, so the times of such a run are not comparable.

``--export-only`` skips steps 2–4 (``--sessions 100000`` on SQLite then takes a few minutes).
Prints markdown tables (for docs/benchmarks.md) and exits non-zero if any figure differs.
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


def _openpyxl_write_only(out: Any, *, title: str, subtitle: str, sheets: list[Any]) -> int:
    """The export's writer before the streamed one (openpyxl's write-only mode), as it was."""
    from copy import copy

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    bold, plain = Font(name="Times New Roman", bold=True, size=12), Font(name="Times New Roman", size=12)
    big, fill = Font(name="Times New Roman", bold=True, size=14), PatternFill("solid", fgColor="E8EEF7")

    def cell(sheet: Any, value: Any, font: Any, fill: Any = None) -> Any:
        made = WriteOnlyCell(sheet, value=value)
        made.font = font
        if fill is not None:
            made.fill, made.alignment = fill, Alignment(wrap_text=True, vertical="center")
        return made

    workbook = Workbook(write_only=True)
    written = 0
    for spec in sheets:
        sheet = workbook.create_sheet(title=spec.title)
        sheet.freeze_panes = "A4"
        sheet.append([cell(sheet, title, big)])
        sheet.append([cell(sheet, subtitle, plain)])
        sheet.append([cell(sheet, heading, bold, fill) for heading in spec.headings])
        date_cell = WriteOnlyCell(sheet)
        date_cell.number_format = "DD/MM/YYYY"
        for row in spec.rows:
            values = []
            for value in row:
                if isinstance(value, dt.date):
                    value, date = copy(date_cell), value
                    value.value = date
                values.append(value)
            sheet.append(values)
            written += 1
    workbook.save(out)
    return written


def _xlsxwriter_constant_memory(out: Any, *, title: str, subtitle: str, sheets: list[Any]) -> int:
    """XlsxWriter in constant-memory mode (rows written in order, flushed as they are done)."""
    import xlsxwriter  # type: ignore[import-not-found]

    from xungkich.lib.spreadsheets import looks_like_formula

    workbook = xlsxwriter.Workbook(out, {"constant_memory": True})
    base = {"font_name": "Times New Roman", "font_size": 12}
    plain, quoted = workbook.add_format(base), workbook.add_format({**base, "quote_prefix": True})
    big = workbook.add_format({**base, "bold": True, "font_size": 14})
    heading = workbook.add_format({**base, "bold": True, "bg_color": "#E8EEF7", "text_wrap": True})
    date = workbook.add_format({**base, "num_format": "dd/mm/yyyy"})
    whole = workbook.add_format({**base, "num_format": "#,##0"})
    decimal = workbook.add_format({**base, "num_format": "#,##0.00"})
    written = 0
    for spec in sheets:
        sheet = workbook.add_worksheet(spec.title)
        sheet.freeze_panes(3, 0)
        sheet.write_string(0, 0, title, big)
        sheet.write_string(1, 0, subtitle, plain)
        for column, text in enumerate(spec.headings):
            sheet.write_string(2, column, text, heading)
        for number, row in enumerate(spec.rows, start=3):
            for column, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, str):
                    sheet.write_string(number, column, value, quoted if looks_like_formula(value) else plain)
                elif isinstance(value, dt.date):
                    sheet.write_datetime(number, column, value, date)
                else:
                    sheet.write_number(number, column, value, whole if isinstance(value, int) else decimal)
            written += 1
    workbook.close()
    return written


def export_child(writer: str, unit_id: int, start: str, end: str, path: str, trace: bool) -> None:
    """Runs in the subprocess: stream EXPORT_ROWS session rows into a workbook; print the costs."""
    import tracemalloc
    from itertools import islice

    from xungkich.reports import export_files, selectors
    from xungkich.reports.exporters import Sheet, write_xlsx

    unit = OrgUnit.objects.get(pk=unit_id)
    columns = export_files.session_columns()
    baseline = _peak_rss_mb()
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    since, until = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    if writer == "openpyxl":  # as before: a dict per record, then a list of its columns
        records = islice(selectors.session_records(unit=unit, start=since, end=until), EXPORT_ROWS)
        rows: Any = ([record.get(c.name) for c in columns] for record in records)
    else:  # as the export reads them now: rows of the columns straight from the cursor
        fields = [c.name for c in columns]
        rows = islice(selectors.session_rows(unit=unit, start=since, end=until, fields=fields), EXPORT_ROWS)
    write = {
        "openpyxl": _openpyxl_write_only,
        "xlsxwriter": _xlsxwriter_constant_memory,
        "streamed": write_xlsx,
    }[writer]
    with open(path, "wb") as handle:
        written = write(
            handle,
            title="Benchmark",
            subtitle=f"{start} – {end}",
            sheets=[Sheet("Sessions", [c.heading for c in columns], rows)],
        )
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    tracemalloc.stop()
    rss = _peak_rss_mb()
    print(
        json.dumps(
            {
                "rows": written,
                "seconds": seconds,
                "tracemalloc_peak_mb": peak / 2**20 if trace else None,
                "rss_peak_mb": rss,
                "rss_before_mb": baseline,
                "file_mb": os.path.getsize(path) / 2**20,
            }
        )
    )


def export_writers() -> list[str]:
    try:
        import xlsxwriter  # type: ignore[import-not-found]  # noqa: F401
    except ImportError:
        print("XlsxWriter is not installed: its row is left out", file=sys.stderr)
        return ["openpyxl", "streamed"]
    return ["openpyxl", "xlsxwriter", "streamed"]


def export_comparison(city: OrgUnit, first: dt.date, last: dt.date, total: int, args: Any) -> None:
    """Step 5: every writer once per round, each in a fresh process; the table of the figures."""
    # A period holding at least EXPORT_ROWS sessions (the last days, going back).
    export_start = last
    while (
        HelpSession.objects.filter(helped_on__gte=export_start, helped_on__lte=last).count()
        < min(EXPORT_ROWS, total)
        and export_start > first
    ):
        export_start -= dt.timedelta(days=max(1, (last - export_start).days))
    writers = export_writers()
    runs: dict[str, list[dict[str, Any]]] = {writer: [] for writer in writers}
    for _round in range(args.rounds):
        for writer in writers:
            path = f"/tmp/xk-bench-export-{writer}.xlsx"  # noqa: S108 — a throwaway file of the benchmark
            command = [sys.executable, __file__, "--export-child", writer, str(city.pk)]
            command += [export_start.isoformat(), last.isoformat(), path]
            child = subprocess.run(  # noqa: S603 — our own script, fixed arguments
                command + (["--tracemalloc"] if args.tracemalloc else []),
                capture_output=True,
                text=True,
                check=True,
                env=os.environ,
            )
            runs[writer].append(json.loads(child.stdout.strip().splitlines()[-1]))
            print(f"{writer}: {runs[writer][-1]}", file=sys.stderr)
    base = runs["openpyxl"]
    rows = base[0]["rows"]
    print(f"| Excel export, {rows:,} rows (run 1 / 2 …) | time | vs openpyxl | peak RSS (before) | ", end="")
    print("RSS growth | vs openpyxl | file |" + (" tracemalloc peak |" if args.tracemalloc else ""))
    print("|---|---:|---:|---:|---:|---:|---:|" + ("---:|" if args.tracemalloc else ""))
    for writer, results in runs.items():
        assert all(result["rows"] == rows for result in results), writer
        times = " / ".join(f"{r['seconds']:.1f} s" for r in results)
        speed = " / ".join(f"{r['seconds'] / b['seconds']:.2f}×" for r, b in zip(results, base, strict=True))
        peaks = " / ".join(f"{r['rss_peak_mb']:.0f} ({r['rss_before_mb']:.0f}) MB" for r in results)
        growth = [r["rss_peak_mb"] - r["rss_before_mb"] for r in results]
        grown = " / ".join(f"{g:.0f} MB" for g in growth)
        base_growth = [b["rss_peak_mb"] - b["rss_before_mb"] for b in base]
        ratio = " / ".join(f"{g / max(b, 1):.2f}×" for g, b in zip(growth, base_growth, strict=True))
        line = (
            f"| {writer} | {times} | {speed} | {peaks} | {grown} | {ratio} | {results[0]['file_mb']:.1f} MB |"
        )
        if args.tracemalloc:
            line += " " + " / ".join(f"{r['tracemalloc_peak_mb']:.1f} MB" for r in results) + " |"
        print(line)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sessions", type=int, default=200_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--skip-rebuild", action="store_true", help="reuse the rollups already built")
    parser.add_argument(
        "--export-only", action="store_true", help="only the Excel export comparison (step 5)"
    )
    parser.add_argument("--rounds", type=int, default=2, help="runs of each Excel writer (default 2)")
    parser.add_argument(
        "--tracemalloc", action="store_true", help="trace allocations in the export (slows it down)"
    )
    parser.add_argument(
        "--export-child", nargs=5, metavar=("WRITER", "UNIT", "FROM", "TO", "PATH"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.export_child:
        writer, unit, *rest = args.export_child
        export_child(writer, int(unit), *rest, trace=args.tracemalloc)
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
    if args.export_only:
        print(f"\n### {connection.vendor}: {total:,} help sessions, {first:%d/%m/%Y}–{last:%d/%m/%Y}\n")
        export_comparison(city, first, last, total, args)
        return 0

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
    export_comparison(city, first, last, total, args)
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
