"""The procedure catalogue packed for searching on a phone without network.

Volunteers record help door to door, where there is often no signal; the offline record page
downloads this index while online and searches it in the browser (``static/js/offline/search.js``,
``window.XKOfflineSearch``). It holds what that script needs to rank like ``matching`` does:

- ``procedures``: one row per procedure that search offers (in the search index and in the
  catalogue), as a list in the order of ``fields``: code, official name, page URL, everyday names,
  a few body words, online mode, level. The script derives the title's and everyday names' keys
  from the text itself, so they are not shipped twice;
- ``keys`` (the body words): of the words of each procedure's text that its name and everyday
  names lack, the rarest few (``BODY_KEYS``) and the function words ("cho", "làm"), which are in
  most queries. The full text would multiply the size for a field that weighs a third of the title;
- ``df``: how many documents of the server index hold each shipped word, for the words in more
  than one (any other word of the shipped procedures is in one) and for the words of the
  synonyms' official terms; ``total``, the number of documents (guides too). With them the
  script weighs words by rarity as the server does;
- ``synonyms``: the everyday names and abbreviations (``sổ đỏ`` → the official term), first pair
  per everyday phrase, as the server keeps them;
- ``tuning``: the ranking constants of ``matching``, so the script follows any change to them;
- ``version``: a hash of all of the above; the view sends it as the ETag.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Q

from xungkich.catalogue.models import Procedure
from xungkich.lib.vietnamese import search_keys
from xungkich.search import matching
from xungkich.search.models import SearchDocument, SearchToken
from xungkich.search.services import MAX_QUERY_LENGTH, MAX_WORDS, SYNONYMS_FILE

FORMAT = 1
FIELDS = ["code", "name", "url", "aliases", "keys", "online", "level"]
BODY_KEYS = 8  # body words kept per procedure, the rarest first


def _dumps(value: object) -> str:
    """The JSON the view sends and the version hashes (compact, UTF-8, stable key order)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _synonym_pairs() -> list[list[str]]:
    """The everyday names as written, one per folded phrase: the first wins, as in ``Synonyms``."""
    pairs: list[list[str]] = []
    seen: set[tuple[str, ...]] = set()
    reader = csv.DictReader(io.StringIO(SYNONYMS_FILE.read_text(encoding="utf-8")))
    for row in reader:
        everyday, official = row.get("everyday") or "", row.get("official") or ""
        key = tuple(search_keys(everyday)[1])
        if not key or not search_keys(official)[1] or key in seen:
            continue
        seen.add(key)
        pairs.append([everyday, official])
    return pairs


def _tuning() -> dict[str, Any]:
    return {
        "title": matching.TITLE,
        "alias": matching.ALIAS,
        "body": matching.BODY,
        "folded_only": matching.FOLDED_ONLY,
        "typo": matching.TYPO,
        "synonym": matching.SYNONYM,
        "min_coverage": matching.MIN_COVERAGE,
        "min_typo_length": matching.MIN_TYPO_LENGTH,
        "alphabet": matching.ALPHABET,
        "function_words": sorted(matching.FUNCTION_WORDS),
        "function_word_weight": matching.FUNCTION_WORD_WEIGHT,
        "max_query_length": MAX_QUERY_LENGTH,
        "max_words": MAX_WORDS,
    }


def _body_keys(row: Mapping[str, Any], shared: Mapping[str, int]) -> list[str]:
    """The words of the text that the name and everyday names do not already give: the rarest few,
    and the function words ("cho", "làm", "con"), which people put in almost every query."""
    named = set(row["title_folded"].split()) | set(row["aliases_folded"].split())
    code = row["code"].lower()
    words = {
        word
        for word in row["body_folded"].split()
        if word not in named and word != code and not word.replace(".", "").isdigit()
    }
    rarest = sorted(words - matching.FUNCTION_WORDS, key=lambda word: (shared.get(word, 1), word))
    return rarest[:BODY_KEYS] + sorted(words & matching.FUNCTION_WORDS)


def offline_index() -> dict[str, Any]:
    """The offline search index (JSON-safe). Four queries, whatever the size of the catalogue."""
    documents = list(
        SearchDocument.objects.filter(kind=SearchDocument.Kind.PROCEDURE)
        .order_by("code")
        .values("code", "title", "url", "aliases", "title_folded", "aliases_folded", "body_folded")
    )
    catalogue = {
        code: (mode, level)
        for code, mode, level in Procedure.objects.values_list("code", "online_mode", "level")
    }
    synonyms = _synonym_pairs()
    official = {word for _everyday, term in synonyms for word in search_keys(term)[1]}
    # Words in more than one document (every other indexed word is in exactly one), and the words
    # the synonyms bring, which may be in no procedure's shipped fields.
    shared = dict(
        SearchToken.objects.values("token")
        .annotate(n=Count("id"))
        .filter(Q(n__gt=1) | Q(token__in=sorted(official)))
        .values_list("token", "n")
    )
    total = SearchDocument.objects.count()

    rows: list[list[Any]] = []
    shipped: set[str] = set()
    for row in documents:
        if row["code"] not in catalogue:
            continue  # a stale entry of a procedure no longer in the catalogue
        mode, level = catalogue[row["code"]]
        keys = _body_keys(row, shared)
        rows.append(
            [row["code"], row["title"], row["url"], list(row["aliases"]), " ".join(keys), mode, level]
        )
        shipped.update(row["title_folded"].split(), row["aliases_folded"].split(), keys)
        shipped.add(matching.folded_key(row["code"].lower()))

    content: dict[str, Any] = {
        "format": FORMAT,
        "fields": FIELDS,
        "procedures": rows,
        "df": {word: n for word, n in sorted(shared.items()) if word in shipped or word in official},
        "total": total,
        "synonyms": synonyms,
        "tuning": _tuning(),
    }
    content["version"] = hashlib.sha256(_dumps(content).encode("utf-8")).hexdigest()[:20]
    return content


def offline_index_json(index: dict[str, Any]) -> str:
    return _dumps(index)
