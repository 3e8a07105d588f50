"""Vietnamese text helpers: NFC storage and accent-insensitive comparison keys."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Format characters (Unicode category Cf) draw nothing: zero-width space and joiners (U+200B-U+200D),
# word joiner (U+2060), soft hyphen (U+00AD), byte order mark (U+FEFF), bidirectional controls
# (U+200E/F, U+202A-U+202E, U+2066-U+2069)... Typed or pasted inside a word they split it for a
# program while a person reads it whole ("mật\u200bkhẩu").
# Every Cf character of Unicode 14 (Python 3.11); a test compares the class with unicodedata.
_INVISIBLE = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)


def normalize_input(value: object) -> str:
    """Text as typed, made safe to store and to screen: invisible format characters removed, then NFC.

    Line breaks and spaces are kept (a note keeps its lines). Removing first lets a mark that was
    separated from its letter by an invisible character compose with it.
    """
    if value is None:
        return ""
    return unicodedata.normalize("NFC", _INVISIBLE.sub("", str(value)))


def clean_text(value: object) -> str:
    """NFC without invisible characters, with runs of white space (including non-breaking spaces)
    folded to one space."""
    return _SPACES.sub(" ", normalize_input(value)).strip()


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
