"""The search core: query analysis and ranking on plain data (no database).

A query becomes one or more *alternatives*, each a list of *slots* (one per word):

- every word gets a toned key (diacritics kept; tone placement and i/y made uniform) and a folded
  key (no diacritics, đ→d) — see ``xungkich.lib.vietnamese.search_keys``;
- a word of at least 4 letters that is not in the vocabulary is replaced by the vocabulary words
  one edit away (insert, delete, replace, swap of two neighbours);
- everyday names and abbreviations ("sổ đỏ", "cà vẹt", "CCCD", "KT3") found in the query give an
  extra alternative where they are replaced by the official term.

A document scores the best of the alternatives: the share of the query's weight (rare words weigh
more) found in its title, everyday names or text; words matched with their diacritics as typed
count in full, words matched only once folded count less, so exact matches rank first.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from xungkich.lib.vietnamese import folded_key, search_keys, search_words, toned_key

MIN_TYPO_LENGTH = 4
ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
# Field weights: where a query word is found.
TITLE, ALIAS, BODY = 1.0, 0.9, 0.35
FOLDED_ONLY = 0.8  # the word matched only without its diacritics
TYPO = 0.75  # the word matched only after a one-letter correction
SYNONYM = 0.97  # the alternative from an everyday name or abbreviation
MIN_COVERAGE = 0.5  # share of the query's weight a result must match
# Words that carry little meaning in a request ("thủ tục làm giấy ... cho con"): a fraction of
# their weight (folded keys).
FUNCTION_WORDS = frozenset(
    [
        "thu",
        "tuc",
        "cach",
        "lam",
        "xin",
        "can",
        "muon",
        "cho",
        "cua",
        "va",
        "voi",
        "de",
        "khi",
        "bi",
        "toi",
        "em",
        "con",
        "minh",
        "o",
        "tai",
        "nhu",
        "the",
        "nao",
        "gi",
        "o",
        "dau",
        "bao",
        "nhieu",
        "the",
        "nao",
        "duoc",
        "khong",
    ]
)
FUNCTION_WORD_WEIGHT = 0.3


@dataclass(frozen=True)
class Slot:
    """One query word: its toned key (None when it came from a correction) and accepted folded keys."""

    toned: str | None
    folded: frozenset[str]
    factor: float = 1.0  # TYPO for corrected words


@dataclass
class Alternative:
    slots: list[Slot]
    factor: float = 1.0


@dataclass
class Query:
    text: str
    alternatives: list[Alternative] = field(default_factory=list)

    @property
    def tokens(self) -> set[str]:
        """Every folded key any alternative accepts: what candidate documents are fetched by."""
        return {key for alt in self.alternatives for slot in alt.slots for key in slot.folded}

    @property
    def is_empty(self) -> bool:
        return not self.alternatives or not self.alternatives[0].slots


@dataclass(frozen=True)
class Doc:
    """What ranking needs of a SearchDocument (its stored keys, space/line separated)."""

    id: int
    kind: str
    code: str
    title_toned: str
    title_folded: str
    aliases_toned: str
    aliases_folded: str
    body_folded: str
    weight: float = 1.0


# --- Everyday names -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Synonyms:
    """Everyday phrase (folded words) → official term (its toned and folded words)."""

    phrases: Mapping[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...]]]

    @property
    def longest(self) -> int:
        return max((len(key) for key in self.phrases), default=0)

    @property
    def vocabulary(self) -> set[str]:
        return {word for key in self.phrases for word in key}

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]]) -> Synonyms:
        phrases: dict[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...]]] = {}
        for everyday, official in pairs:
            key = tuple(search_keys(everyday)[1])
            toned, folded = search_keys(official)
            if key and folded:
                phrases.setdefault(key, (tuple(toned), tuple(folded)))
        return cls(phrases)

    @classmethod
    def from_csv(cls, text: str) -> Synonyms:
        reader = csv.DictReader(io.StringIO(text))
        return cls.from_pairs((row["everyday"], row["official"]) for row in reader if row.get("everyday"))


# --- Query analysis -----------------------------------------------------------------------------


def edits1(word: str) -> set[str]:
    """Every string one edit away from ``word`` over Vietnamese folded letters and digits."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in ALPHABET}
    inserts = {a + c + b for a, b in splits for c in ALPHABET}
    return (deletes | swaps | replaces | inserts) - {word}


def needs_correction(folded: str, known: Callable[[str], bool]) -> bool:
    return len(folded) >= MIN_TYPO_LENGTH and not folded.replace(".", "").isdigit() and not known(folded)


def analyse(
    text: str,
    *,
    known: Callable[[str], bool],
    corrections: Callable[[str], set[str]],
    synonyms: Synonyms,
) -> Query:
    """The query's alternatives. ``known(word)`` tells a folded word of the vocabulary;
    ``corrections(word)`` gives the vocabulary words one edit away from an unknown one."""
    words = search_words(text)
    query = Query(text=text)
    if not words:
        return query
    slots: list[Slot] = []
    for word in words:
        toned, folded = toned_key(word), folded_key(word)
        if needs_correction(folded, known):
            fixed = corrections(folded)
            if fixed:
                slots.append(Slot(None, frozenset(fixed), TYPO))
                continue
        slots.append(Slot(toned, frozenset({folded})))
    query.alternatives.append(Alternative(slots))
    query.alternatives.extend(_synonym_alternatives(slots, synonyms))
    return query


def _synonym_alternatives(slots: list[Slot], synonyms: Synonyms) -> list[Alternative]:
    """One alternative per everyday phrase found in the query, the phrase replaced by its term.

    The longest phrase starting at a position wins; slots may be corrected words (any of their
    keys may form the phrase).
    """
    found: list[Alternative] = []
    longest = synonyms.longest
    i = 0
    while i < len(slots):
        matched = 0
        for length in range(min(longest, len(slots) - i), 0, -1):
            for key in _keys(slots[i : i + length]):
                term = synonyms.phrases.get(key)
                if term is None:
                    continue
                toned, folded = term
                typo = min((slot.factor for slot in slots[i : i + length]), default=1.0)
                replacement = [Slot(t, frozenset({f}), typo) for t, f in zip(toned, folded, strict=True)]
                found.append(Alternative(slots[:i] + replacement + slots[i + length :], SYNONYM))
                matched = length
                break
            if matched:
                break
        i += max(matched, 1)
    return found


def _keys(slots: Sequence[Slot], limit: int = 16) -> list[tuple[str, ...]]:
    """The folded word sequences the slots can spell (bounded: corrections multiply them)."""
    keys: list[tuple[str, ...]] = [()]
    for slot in slots:
        keys = [(*key, word) for key in keys for word in sorted(slot.folded)][:limit]
    return keys


# --- Ranking ------------------------------------------------------------------------------------


def idf(document_frequency: int, total: int, word: str = "") -> float:
    """Rare words weigh more: 'khai', 'sinh' outweigh 'đăng', 'ký'; function words weigh little."""
    value = math.log(1 + (total + 1) / (document_frequency + 0.5))
    return value * FUNCTION_WORD_WEIGHT if word in FUNCTION_WORDS else value


def score(query: Query, doc: Doc, weights: Mapping[str, float]) -> float:
    """The document's best score over the query's alternatives (0 when it does not match)."""
    fields = _fields(doc)
    return max((_score_alternative(alt, doc, fields, weights) for alt in query.alternatives), default=0.0)


@dataclass(frozen=True)
class _Fields:
    title: list[tuple[str, str]]  # (toned, folded) per title word
    aliases: list[list[tuple[str, str]]]
    body: frozenset[str]
    code: str


def _fields(doc: Doc) -> _Fields:
    title = list(zip(doc.title_toned.split(), doc.title_folded.split(), strict=False))
    aliases = [
        list(zip(toned.split(), folded.split(), strict=False))
        for toned, folded in zip(doc.aliases_toned.split("\n"), doc.aliases_folded.split("\n"), strict=False)
        if folded
    ]
    return _Fields(title, aliases, frozenset(doc.body_folded.split()), folded_key(doc.code.lower()))


def _slot_weight(slot: Slot, weights: Mapping[str, float]) -> float:
    return max((weights.get(key, 0.0) for key in slot.folded), default=0.0)


def _match_in(slot: Slot, words: list[tuple[str, str]]) -> tuple[float, int]:
    """How well the slot matches one of ``words`` (1 with its diacritics, FOLDED_ONLY without)."""
    best, where = 0.0, -1
    for position, (toned, folded) in enumerate(words):
        if folded not in slot.folded:
            continue
        quality = 1.0 if slot.toned is None or slot.toned == toned else FOLDED_ONLY
        if slot.toned is None:  # a corrected word never counts as typed exactly
            quality = FOLDED_ONLY
        if quality > best:
            best, where = quality, position
            if best == 1.0:
                break
    return best, where


def _score_alternative(alt: Alternative, doc: Doc, fields: _Fields, weights: Mapping[str, float]) -> float:
    total = sum(_slot_weight(slot, weights) for slot in alt.slots)
    if total <= 0:
        return 0.0
    got = 0.0
    title_positions: list[int] = []
    alias_hits: dict[int, int] = {}
    for slot in alt.slots:
        weight = _slot_weight(slot, weights)
        if weight <= 0:
            continue
        if fields.code and fields.code in slot.folded:
            got += weight * 1.5
            continue
        quality, position = _match_in(slot, fields.title)
        value = TITLE * quality
        if position >= 0:
            title_positions.append(position)
        for index, alias in enumerate(fields.aliases):
            alias_quality, _ = _match_in(slot, alias)
            if alias_quality:
                alias_hits[index] = alias_hits.get(index, 0) + 1
                value = max(value, ALIAS * alias_quality)
        if not value and slot.folded & fields.body:
            value = BODY * FOLDED_ONLY
        got += weight * value * slot.factor
    coverage = got / total
    if coverage < MIN_COVERAGE:
        return 0.0
    # Prefer titles the query covers well and in order: "Đăng ký khai sinh" before a long title
    # that merely contains the words.
    title_cover = len(set(title_positions)) / max(len(fields.title), 1)
    in_order = _in_order(title_positions)
    pairs = _pairs(alt.slots, fields, weights)
    whole_alias = any(
        hits == len(fields.aliases[index]) for index, hits in alias_hits.items() if fields.aliases[index]
    )
    shape = 0.55 + 0.15 * title_cover + 0.05 * in_order + 0.05 * whole_alias + 0.2 * pairs
    return round(min(coverage, 1.5) * shape * alt.factor * doc.weight, 4)


def _pairs(slots: list[Slot], fields: _Fields, weights: Mapping[str, float]) -> float:
    """Share of the query's neighbouring word pairs ("tạm trú") found side by side in the title or
    an everyday name, weighted by the pair's words."""
    sequences = [[folded for _, folded in fields.title], *([f for _, f in alias] for alias in fields.aliases)]
    adjacent = {(a, b) for sequence in sequences for a, b in itertools.pairwise(sequence)}
    total = got = 0.0
    for left, right in itertools.pairwise(slots):
        weight = _slot_weight(left, weights) + _slot_weight(right, weights)
        if weight <= 0:
            continue
        total += weight
        if any((a, b) in adjacent for a in left.folded for b in right.folded):
            got += weight
    return got / total if total else 0.0


def _in_order(positions: list[int]) -> float:
    if len(positions) < 2:
        return 1.0 if positions else 0.0
    steps = sum(1 for a, b in itertools.pairwise(positions) if b == a + 1)
    return steps / (len(positions) - 1)


def rank(
    query: Query, docs: Iterable[Doc], weights: Mapping[str, float], limit: int
) -> list[tuple[Doc, float]]:
    """The best ``limit`` documents, highest score first; ties by kind (procedures first) and code."""
    scored = [(doc, score(query, doc, weights)) for doc in docs]
    scored = [(doc, value) for doc, value in scored if value > 0]
    scored.sort(key=lambda item: (-item[1], item[0].kind != "procedure", item[0].code))
    return scored[:limit]
