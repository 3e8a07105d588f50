"""Search across procedures and guides: the database side of ``matching``.

Portable SQL only (same results on SQLite and PostgreSQL): candidates come from the SearchToken
table with ``token IN (...)`` and an aggregate, and the ranking itself runs in Python.
Queries per search: the known words (1), typo corrections (one per unknown long word), document
frequencies (1), candidates (1), documents (1).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db.models import Case, Count, FloatField, Sum, Value, When

from xungkich.search import matching
from xungkich.search.matching import Doc, Query, Synonyms
from xungkich.search.models import SearchDocument, SearchToken

SYNONYMS_FILE = Path(__file__).parent / "data" / "procedures_everyday_names.csv"
MAX_LIMIT = 50
MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
CANDIDATES = 400
CHUNK = 500  # parameters per IN (...): under every database's limit


@dataclass(frozen=True)
class Hit:
    type: str
    code: str
    title: str
    url: str
    score: float

    def as_dict(self) -> dict[str, object]:
        return {
            "type": self.type,
            "code": self.code,
            "title": self.title,
            "url": self.url,
            "score": self.score,
        }


@functools.cache
def synonyms() -> Synonyms:
    """The everyday names and abbreviations (a data file shipped with the code, read once)."""
    return Synonyms.from_csv(SYNONYMS_FILE.read_text(encoding="utf-8"))


def _existing(tokens: set[str]) -> set[str]:
    found: set[str] = set()
    ordered = sorted(tokens)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        found.update(SearchToken.objects.filter(token__in=chunk).values_list("token", flat=True).distinct())
    return found


def analyse_query(text: str) -> Query:
    text = (text or "")[:MAX_QUERY_LENGTH]
    words = matching.search_words(text)[:MAX_WORDS]
    text = " ".join(words)
    table = synonyms()
    extra = table.vocabulary
    folded = {matching.folded_key(word) for word in words}
    present = _existing(folded) | (folded & extra)

    def corrections(word: str) -> set[str]:
        variants = matching.edits1(word)
        return _existing(variants) | (variants & extra)

    return matching.analyse(text, known=present.__contains__, corrections=corrections, synonyms=table)


def _doc(row: Mapping[str, Any]) -> Doc:
    names = ("id", "kind", "code", "title_toned", "title_folded", "aliases_toned", "aliases_folded",
             "body_folded", "weight")  # fmt: skip
    return Doc(**{name: row[name] for name in names})


def search(text: str, *, limit: int = 10) -> list[Hit]:
    """The best matches for what someone typed, best first."""
    limit = max(1, min(limit, MAX_LIMIT))
    query = analyse_query(text)
    if query.is_empty:
        return []
    tokens = sorted(query.tokens)
    frequencies = dict(
        SearchToken.objects.filter(token__in=tokens)
        .values("token")
        .annotate(n=Count("id"))
        .values_list("token", "n")
    )
    if not frequencies:
        return []
    total = SearchDocument.objects.count()
    weights = {token: matching.idf(n, total, token) for token, n in frequencies.items()}
    # Candidates: the documents holding the heaviest share of the query's words.
    relevance = Sum(
        Case(
            *[When(token=token, then=Value(weight)) for token, weight in weights.items()],
            default=Value(0.0),
            output_field=FloatField(),
        )
    )
    candidate_ids = list(
        SearchToken.objects.filter(token__in=list(weights))
        .values("document")
        .annotate(relevance=relevance)
        .order_by("-relevance", "document")
        .values_list("document", flat=True)[:CANDIDATES]
    )
    rows = SearchDocument.objects.filter(pk__in=candidate_ids).values(
        "id", "kind", "code", "title", "url", "title_toned", "title_folded", "aliases_toned",
        "aliases_folded", "body_folded", "weight",
    )  # fmt: skip
    docs, shown = [], {}
    for row in rows:
        shown[row["id"]] = (row["title"], row["url"])
        docs.append(_doc(row))
    return [
        Hit(doc.kind, doc.code, shown[doc.id][0], shown[doc.id][1], value)
        for doc, value in matching.rank(query, docs, weights, limit)
    ]
