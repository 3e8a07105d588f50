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
