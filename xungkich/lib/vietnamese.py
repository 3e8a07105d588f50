"""Vietnamese text helpers: NFC storage and accent-insensitive comparison keys."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def clean_text(value: object) -> str:
    """NFC, with runs of white space (including non-breaking spaces) folded to one space."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    return _SPACES.sub(" ", text).strip()


def fold(value: object) -> str:
    """A comparison key: lower case, no diacritics, đ→d, single spaces.

    "Đoàn  phường Hội An" and "doan phuong hoi an" fold to the same key. Used to match header
    names and unit names typed by hand, never to store text.
    """
    text = clean_text(value).lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", stripped)


# --- Search keys ---------------------------------------------------------------------------------
# Two keys per word. The "toned" key keeps every diacritic but takes the tone mark off its vowel and
# appends it as a digit, so the old and new tone placements (hòa / hoà, thủy / thuỷ) give one key;
# the "folded" key drops every diacritic (đ→d). In both, the spelling variants kí/ký, lí/lý, sĩ/sỹ,
# qui/quy are made one (y→i after h, k, l, m, s, t, qu in a syllable ending in that vowel).

_TONE_MARKS = {"\u0301": "1", "\u0300": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5"}
_WORD = re.compile(r"\w+(?:[.\-]\w+)*")
_I_Y = re.compile(r"^(h|k|l|m|s|t|qu)y$")


def search_words(value: object) -> list[str]:
    """The words of ``value`` for searching: NFC (decomposed input too), lower case, punctuation gone.

    A procedure code keeps its dots ("1.001193"); underscores split words.
    """
    text = clean_text(value).lower()
    return [word for match in _WORD.findall(text) for word in match.split("_") if word]


def toned_key(word: str) -> str:
    """``word`` (from search_words) with its tone as a trailing digit: "hoà" and "hòa" → "hoa2"."""
    decomposed = unicodedata.normalize("NFD", word)
    tone = ""
    kept = []
    for ch in decomposed:
        if ch in _TONE_MARKS:
            tone = _TONE_MARKS[ch]
        else:
            kept.append(ch)
    base = unicodedata.normalize("NFC", "".join(kept))
    return _I_Y.sub(r"\1i", base) + tone


def folded_key(word: str) -> str:
    """``word`` (from search_words) with no diacritics and đ→d: "đường" → "duong", "ký" → "ki"."""
    text = word.replace("đ", "d").replace("Đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _I_Y.sub(r"\1i", unicodedata.normalize("NFC", stripped).lower())


def search_keys(value: object) -> tuple[list[str], list[str]]:
    """The toned and folded keys of every word of ``value``, in order."""
    words = search_words(value)
    return [toned_key(word) for word in words], [folded_key(word) for word in words]
