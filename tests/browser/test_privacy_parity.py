"""The privacy screen on the phone (static/js/offline/privacy.js) answers like the server's
(xungkich.core.privacy.screen_text): the same refusal, the same kinds in the same order and the same
masked text, for every labelled note of the Python tests, every string of test_privacy.py, the seeded
random notes of that test and hostile inputs (decomposed, full-width, other scripts' digits,
invisible characters, emoji, long and repeated texts). A help record written without network keeps
only what the server would store.

The whole corpus goes to the browser in one call; no server is needed.
"""

from __future__ import annotations

import ast
import random
import re
import unicodedata
from pathlib import Path

import pytest

from xungkich.api.fields import CONTROL_CHARACTERS
from xungkich.core.errors import DomainError
from xungkich.core.privacy import fold_same_length, screen_text
from xungkich.core.tests.privacy_cases import CASES
from xungkich.core.tests.test_privacy import ADVERSARIAL, PIECES
from xungkich.helpdesk.services import screened
from xungkich.lib.vietnamese import normalize_input

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "static" / "js" / "offline" / "privacy.js"
PRIVACY_TESTS = ROOT / "xungkich" / "core" / "tests" / "test_privacy.py"

NOTES = [note for _label, note, _expected in CASES]
CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")


# More pieces for seeded random notes: emoji, other scripts' digits, look-alikes, labels, units, the
# words that open or close a value, marks and white space that JavaScript reads otherwise.
MORE_PIECES = [
    "😀", "👍🏽", "０９０５", "٠٩٠٥", "𝟎𝟗𝟎𝟓", "⑴", "②", "code ", "error ", "lỗi ", "[SĐT]", "@", "x",
    "MK", "OTP",
    "zero ", "nine ", "oh ", "five ", "\u00a0", "0084", "84", "(0)", "(", "[", "]", "=", "là ", "is ", "\t",
    "mặc định ", "mã số ", "tin nhắn ", "đọc ", "hồ sơ ", "gmail", ".com", "6 số ", "cấp 2 ", "Hoa@1975",
    "HoaHong", "quên", "reset ", "1.200.000", "đ", "k ", "mAh", "%", "phút", "_", "*", "”", "“", "…", "+84",
    "bhyt ", "HC4", "48", "4812345678", "6fc484db", "-cc2b", "ab12", "İ", "ß", "ﬁ", "\u0301", "Đ", "e\u0302",
    "\u2028", "\x85", "\x1c", "tám ", "bảy ", "bốn ", "tư ",
]  # fmt: skip


def random_notes(seed: int, count: int) -> list[str]:
    """Pieces strung together, or one put inside a labelled note."""
    rng = random.Random(seed)
    pieces = PIECES + MORE_PIECES
    notes = []
    for _ in range(count):
        if rng.random() < 0.3:
            note = rng.choice(NOTES)
            cut = rng.randint(0, len(note))
            notes.append(note[:cut] + rng.choice(pieces) + note[cut:])
        else:
            notes.append("".join(rng.choice(pieces) for _ in range(rng.randint(1, 14))))
    return notes


def literals_of(path: Path) -> list[str]:
    """Every string written in a Python module (the notes its tests screen, and some plain words)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


def digits_of_script(text: str, zero: int) -> str:
    """``text`` with its ASCII digits written in another script ("٠٩٠٥" for "0905")."""
    return "".join(chr(zero + int(ch)) if "0" <= ch <= "9" else ch for ch in text)


def characters_of_every_kind() -> list[str]:
    """Some characters of every general category, every Python digit that is not a decimal digit and
    every Python white space: the classes the JavaScript writes out by hand (letters, numbers, white
    space) are read next to a number and inside a password."""
    by_category: dict[str, list[str]] = {}
    for code in range(0x110000):
        ch = chr(code)
        category = unicodedata.category(ch)
        if category not in ("Cs", "Cn", "Co"):
            by_category.setdefault(category, []).append(ch)
    picked = []
    for chars in by_category.values():
        step = max(1, len(chars) // 12)
        picked += chars[::step][:12]
    picked += [chr(c) for c in range(0x110000) if chr(c).isdigit() and not chr(c).isdecimal()]
    picked += [chr(c) for c in range(0x110000) if chr(c).isspace()]
    return sorted(set(picked))


def corpus() -> list[str]:
    notes = list(NOTES)
    notes += literals_of(PRIVACY_TESTS)
    # the seeded random notes of test_privacy.py
    rng = random.Random(2026)
    notes += ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    notes += random_notes(2027, 5000)
    for note in NOTES:
        notes += [
            unicodedata.normalize("NFD", note),
            full_width(note),
            digits_of_script(note, 0x0660),  # Arabic-Indic
            digits_of_script(note, 0x06F0),  # extended Arabic-Indic
            digits_of_script(note, 0x0966),  # Devanagari
            digits_of_script(note, 0x1D7CE),  # mathematical bold, outside the BMP
            "\u200b".join(note),  # a zero-width space between every character
            note.replace(" ", " \u200b\u2060"),
            "😀 " + note.replace(" ", " 👍🏽 ") + " 🇻🇳",  # emoji: two UTF-16 units each
            note.upper(),
            note.replace(" ", "\u00a0"),
            f"  {note}\t",
        ]
    for ch in characters_of_every_kind():
        notes += [
            f"sdt{ch}0905123456",
            f"0905123456{ch} x",
            f"mk: ab{ch}cd",
            f"otp{ch}482913",
            f"{ch}@gmail.com",
        ]
    everything = "\n".join(NOTES)
    notes += [everything[start : start + 5000] for start in range(0, len(everything), 2500)]
    notes += [(piece * 5000)[:5000] for piece in [*ADVERSARIAL, "mật khẩu là ", "otp otp ", "mã ", "😀"]]
    notes += [
        "",
        " ",
        "\n\n",
        "mật khẩu " * 600 + "Hoa@1975",
        "otp " * 1000 + "482913",
        "sđt 0905123456 " * 300,
        "cccd 048190012345, " * 250,
        "khong chin khong nam mot hai ba bon nam sau " * 100,
        "🙂" * 5000,
        # a code in groups is read whole or not at all (Python's possessive "{1,7}+"): not "123 456"
        "otp 123 456 7890a",
        "mã pin 12 34 5678x giúp",
        "otp 1-2-3-4-5-6-7-8-9 x",
        "mật khẩu: 12 34 56 78 90 12 34 56 78",
        # "lỗi" / "error" counts only before a bare "code" (Python's search up to an end position)
        "the code 482913 error",
        "báo lỗi code 482913",
        "code 482913 lỗi",
        # the end of a clause before a line break (Python's "$")
        "mã 482913\n",
        "gửi về mã:\n482913",
    ]
    return notes


def python_answer(text: str) -> dict[str, object]:
    screening = screen_text(text)
    return {
        "text": screening.text,
        "secrets": [f.kind for f in screening.secrets],
        "masked": [f.kind for f in screening.masked],
        "hasSecret": screening.has_secret,
    }


def server_stores(text: str) -> str | None:
    """What a help record field holds on the server (None: refused for a secret). The API refuses
    control characters; the phone removes them, so here they are removed first."""
    try:
        return screened(CONTROL.sub("", text), limit=10**9, field="notes")
    except DomainError as exc:
        assert exc.code == "secret_in_notes"
        return None


def describe(differences: list[tuple[str, object, object]]) -> str:
    lines = [f"{len(differences)} notes screened differently; the first ones:"]
    for note, python, javascript in differences[:8]:
        lines += [
            f"  note:       {note[:300]!r}",
            f"  Python:     {python!r}",
            f"  JavaScript: {javascript!r}",
        ]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def privacy_page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context()
    page = context.new_page()
    page.set_content("<!doctype html><meta charset=utf-8>")
    page.add_script_tag(path=str(SCRIPT))
    yield page
    context.close()


def test_the_phone_screens_every_note_like_the_server(privacy_page):
    notes = corpus()
    expected = [python_answer(note) for note in notes]
    got = privacy_page.evaluate("notes => notes.map(note => XKPrivacy.screen(note))", notes)
    differences = [(n, e, g) for n, e, g in zip(notes, expected, got, strict=True) if e != g]
    secret = sum(bool(e["hasSecret"]) for e in expected)
    masked = sum(bool(e["masked"]) for e in expected)
    print(f"{len(notes)} notes: {secret} refused, {masked} masked, {len(differences)} differences")
    # a real comparison: many notes, and every answer the screen can give among them
    assert len(notes) > 300
    assert min(secret, masked, len(notes) - secret - masked) > 100
    kinds = {kind for e in expected for kind in e["secrets"] + e["masked"]}
    assert kinds == {
        "password",
        "passcode",
        "otp",
        "pin",
        "national_id",
        "old_id",
        "phone",
        "email",
        "social_insurance",
    }
    assert not differences, describe(differences)


def test_every_labelled_note_gives_its_expected_answer_on_the_phone(privacy_page):
    got = privacy_page.evaluate("notes => notes.map(note => XKPrivacy.screen(note))", NOTES)
    for (label, note, expected), answer in zip(CASES, got, strict=True):
        if label == "secret":
            assert answer["hasSecret"] and answer["secrets"][0] == expected, note
        elif label == "mask":
            assert not answer["hasSecret"] and answer["text"] == expected, note
        else:
            assert answer == {"text": normalize_input(note), "secrets": [], "masked": [], "hasSecret": False}
    assert len(got) == len(CASES)


def test_the_phone_keeps_what_the_server_stores_and_sending_it_changes_nothing(privacy_page):
    edges = ["", " ", "\u200b", " \u200b", "\ufeff ", "\n", "\x00", "\x1b", "\x85", "\u3000"]
    notes = [f"{a}{note}{b}" for note in NOTES for a, b in zip(edges, reversed(edges), strict=True)]
    notes += ["", "   ", "\u200b", "a\x00b sđt 0905\x07123456"]
    got = privacy_page.evaluate("notes => notes.map(note => XKPrivacy.clean(note))", notes)
    differences = []
    for note, answer in zip(notes, got, strict=True):
        stored = server_stores(note)
        if stored is None:
            if not answer["hasSecret"]:
                differences.append((note, "refused", answer))
        elif (
            answer["hasSecret"]
            or answer["text"] != stored.strip()
            or server_stores(answer["text"]) != answer["text"]
        ):
            differences.append((note, stored, answer))
    print(f"{len(notes)} field values: {len(differences)} differences")
    assert not differences, describe(differences)
    assert got[-1]["text"] == "ab sđt [SĐT]"


def test_the_phone_folds_every_character_like_the_server(privacy_page):
    # Every code point but the surrogates, in one string: one folded character for each.
    text = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    expected = fold_same_length(text)
    got = privacy_page.evaluate("text => XKPrivacy.fold(text)", text)
    assert len(got) == len(expected) == len(text)
    # Characters assigned after Unicode 14.0 (Python 3.11) may fold otherwise in a newer browser.
    differences = [
        (f"U+{ord(ch):04X}", e, g)
        for ch, e, g in zip(text, expected, got, strict=True)
        if e != g and unicodedata.category(ch) != "Cn"
    ]
    newer = sum(
        1 for ch, e, g in zip(text, expected, got, strict=True) if e != g and unicodedata.category(ch) == "Cn"
    )
    print(f"{len(text)} characters folded: {len(differences)} differences, {newer} newer than Unicode 14.0")
    assert not differences, differences[:20]


def test_the_script_runs_without_a_window_as_in_a_service_worker(privacy_page):
    # A worker has no window: the script sets XKPrivacy on ``self``.
    answer = privacy_page.evaluate(
        """source => new Promise(resolve => {
            const tail = ";postMessage([typeof window, XKPrivacy.screen('otp 482913, sdt 0905123456')])";
            const worker = new Worker(URL.createObjectURL(new Blob([source + tail])));
            worker.onmessage = event => resolve(event.data);
        })""",
        SCRIPT.read_text(encoding="utf-8"),
    )
    assert answer == [
        "undefined",
        {"text": "otp 482913, sdt [SĐT]", "secrets": ["otp"], "masked": ["phone"], "hasSecret": True},
    ]
