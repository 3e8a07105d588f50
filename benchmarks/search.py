"""Search benchmark: our search against a plain SQLite FTS5 baseline, on labelled queries.

    .venv/bin/python benchmarks/search.py                 # SQLite (a fresh test database)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xk_catalogue .venv/bin/python benchmarks/search.py
    .venv/bin/python benchmarks/search.py --rounds 5 --json var/search-bench.json

The queries (``xungkich/search/data/procedures_search_queries.csv``) are written as people type
them, in seven kinds: exact, no_diacritics, tone_placement (hoà/hòa, xoá/xóa, kí/ký, lí/lý),
nfd (decomposed Unicode: the file holds them composed and they are decomposed here), typo (one
wrong letter in a word of 4+ letters), everyday (sổ đỏ, cà vẹt...), abbreviation (CCCD, KT3...).
Each has the procedure code(s) that answer it. A query counts as found when one of its codes is
among the first three results.

Baseline: the same documents (title, everyday names of the procedure, text) in an SQLite FTS5
table with ``tokenize = "unicode61 remove_diacritics 2"``, the query's words OR-ed, ranked by
bm25; no synonyms, no typo correction.

Latency: ``GET /api/v1/search?q=…`` for every query through Django's test client, against
``GET /api/v1/ping`` (a trivial JSON view) the same number of times, interleaved; p95 of each
and their ratio.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sqlite3
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xungkich.settings")
os.environ.setdefault("XK_VAR_DIR", tempfile.mkdtemp(prefix="xk-search-bench-"))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

QUERIES = ROOT / "xungkich" / "search" / "data" / "procedures_search_queries.csv"
KINDS = ["exact", "no_diacritics", "tone_placement", "nfd", "typo", "everyday", "abbreviation"]
TOP = 3


def load_queries() -> list[dict[str, Any]]:
    with QUERIES.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    queries = []
    for row in rows:
        text = row["query"]
        if row["kind"] == "nfd":
            text = unicodedata.normalize("NFD", text)
        queries.append({"kind": row["kind"], "query": text, "expected": set(row["expected"].split("|"))})
    return queries


class Fts5Baseline:
    def __init__(self, documents: list[dict[str, Any]]) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(code UNINDEXED, title, aliases, body, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
        self.db.executemany(
            "INSERT INTO docs (code, title, aliases, body) VALUES (?, ?, ?, ?)",
            [(d["code"], d["title"], " ; ".join(d["aliases"]), d["body"]) for d in documents],
        )

    def search(self, text: str, limit: int = TOP) -> list[str]:
        words = ["".join(ch for ch in word if ch.isalnum()) for word in text.split()]
        words = [word for word in words if word]
        if not words:
            return []
        match = " OR ".join('"' + word.replace('"', "") + '"' for word in words)
        rows = self.db.execute(
            "SELECT code FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?", (match, limit)
        ).fetchall()
        return [row[0] for row in rows]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def p95(values: list[float]) -> float:
    return percentile(values, 0.95)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3, help="Latency rounds over all queries.")
    parser.add_argument("--json", help="Also write the figures to this file.")
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from xungkich.catalogue import services as catalogue
        from xungkich.search.models import SearchDocument
        from xungkich.search.services import search

        catalogue.load_seed()
        documents = list(SearchDocument.objects.values("code", "title", "aliases", "body"))
        baseline = Fts5Baseline(documents)
        queries = load_queries()

        found: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
        misses: list[str] = []
        for item in queries:
            ours = [hit.code for hit in search(item["query"], limit=TOP)]
            theirs = baseline.search(item["query"])
            ok = bool(item["expected"] & set(ours))
            found[item["kind"]]["ours"].append(ok)
            found[item["kind"]]["fts5"].append(bool(item["expected"] & set(theirs)))
            if not ok:
                misses.append(f"{item['kind']}: {item['query']!r} → {ours} (want {sorted(item['expected'])})")

        client = Client()
        search_times: list[float] = []
        ping_times: list[float] = []
        client.get("/api/v1/ping")
        for _ in range(args.rounds):
            for item in queries:
                url = "/api/v1/search?" + urlencode({"q": item["query"], "limit": 10})
                start = time.perf_counter()
                response = client.get(url)
                search_times.append(time.perf_counter() - start)
                assert response.status_code == 200, response.content
                start = time.perf_counter()
                client.get("/api/v1/ping")
                ping_times.append(time.perf_counter() - start)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    accuracy = {
        kind: {name: sum(values) / len(values) for name, values in found[kind].items()}
        for kind in KINDS
        if kind in found
    }
    exact = accuracy["exact"]["ours"]
    print(f"Database: {connection.vendor}; {len(documents)} documents; {len(queries)} queries; top-{TOP}\n")
    print("| kind | queries | ours | FTS5 baseline | ours / exact |")
    print("|---|---:|---:|---:|---:|")
    for kind in KINDS:
        if kind not in accuracy:
            continue
        row = accuracy[kind]
        print(
            f"| {kind} | {len(found[kind]['ours'])} | {row['ours']:.3f} | {row['fts5']:.3f} | "
            f"{row['ours'] / exact if exact else 0:.3f} |"
        )
    all_ours = [ok for kind in found for ok in found[kind]["ours"]]
    all_fts = [ok for kind in found for ok in found[kind]["fts5"]]
    share_ours, share_fts = sum(all_ours) / len(all_ours), sum(all_fts) / len(all_fts)
    print(f"| all | {len(all_ours)} | {share_ours:.3f} | {share_fts:.3f} | |")
    search_p95, ping_p95 = p95(search_times), p95(ping_times)
    print(
        f"\nLatency over {len(search_times)} requests each: search p95 {search_p95 * 1000:.2f} ms, "
        f"ping p95 {ping_p95 * 1000:.2f} ms, ratio {search_p95 / ping_p95:.1f}× "
        f"(medians {percentile(search_times, 0.5) * 1000:.2f} ms and "
        f"{percentile(ping_times, 0.5) * 1000:.2f} ms)"
    )
    if misses:
        print("\nMissed (ours):")
        for line in misses:
            print("  " + line)
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "database": connection.vendor,
                    "accuracy": accuracy,
                    "search_p95_ms": search_p95 * 1000,
                    "ping_p95_ms": ping_p95 * 1000,
                    "misses": misses,
                },
                ensure_ascii=False,
                indent=2,
            ),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
