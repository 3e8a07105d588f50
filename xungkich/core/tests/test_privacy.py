import itertools
import random
import unicodedata
from pathlib import Path

import pytest
from django import forms
from django.utils import translation

from xungkich.core.errors import DomainError
from xungkich.core.fields import ScreenedTextField
from xungkich.core.privacy import (
    DIGIT_WORDS,
    IDENTIFIER_KINDS,
    MASKS,
    SECRET_KINDS,
    Finding,
    clean_free_text,
    fold_same_length,
    screen_text,
)
from xungkich.lib.vietnamese import fold, normalize_input

from .privacy_cases import CASES, confusion, kinds

SECRETS = [(note, kind) for label, note, kind in CASES if label == "secret"]
MASKED = [(note, expected) for label, note, expected in CASES if label == "mask"]
CLEAN = [note for label, note, _expected in CASES if label == "clean"]


def test_the_table_is_large_and_covers_three_kinds():
    assert len(CASES) >= 100
    assert min(len(SECRETS), len(MASKED), len(CLEAN)) >= 30
    assert {label for label, _note, _expected in CASES} == {"secret", "mask", "clean"}


@pytest.mark.parametrize(("note", "kind"), SECRETS)
def test_secrets_are_refused(note, kind):
    screening = screen_text(note)
    assert screening.has_secret
    assert screening.secrets[0].kind == kind
    nfc = normalize_input(note)
    for finding in screening.secrets:
        # the span runs from the key phrase to the end of the value, which holds a letter or digit
        assert 0 <= finding.start < finding.end <= len(nfc)
        assert nfc[finding.end - 1].isalnum()
    with pytest.raises(DomainError) as caught:
        clean_free_text(note)
    assert caught.value.code == "secret_in_notes"


@pytest.mark.parametrize(("note", "expected"), MASKED)
def test_identifiers_are_masked(note, expected):
    screening = screen_text(note)
    assert not screening.has_secret
    assert screening.masked
    assert screening.text == expected
    nfc = normalize_input(note)
    for finding in screening.masked:
        span = nfc[finding.start : finding.end]
        # a number in digits, an address, or digits read out in words
        assert any(ch.isdigit() or ch == "@" for ch in span) or fold(span).split()[0] in DIGIT_WORDS
    assert clean_free_text(note) == expected


@pytest.mark.parametrize("note", CLEAN)
def test_everything_else_is_kept_as_typed(note):
    screening = screen_text(note)
    assert screening.secrets == ()
    assert screening.masked == ()
    assert screening.text == normalize_input(note)
    assert clean_free_text(note) == normalize_input(note)


def test_every_kind_is_in_at_least_five_notes():
    counts = kinds()
    assert set(counts) == set(SECRET_KINDS) | set(IDENTIFIER_KINDS)
    assert min(counts.values()) >= 5, counts


def test_confusion_counts_are_all_on_the_diagonal():
    counts = confusion()
    assert all(expected == got for expected, got in counts), counts
    assert sum(counts.values()) == len(CASES)


@pytest.mark.parametrize("note", [n for label, n, _e in CASES if label != "secret"])
def test_screening_masked_text_again_changes_nothing(note):
    once = screen_text(note).text
    again = screen_text(once)
    assert again.text == once
    assert again.masked == ()
    assert not again.has_secret


def test_finding_offsets_point_into_the_nfc_input():
    note = "Bác Hòa sđt 0905 123 456, email hoa@gmail.com, cccd 048190012345."
    screening = screen_text(note)
    spans = [(f.kind, note[f.start : f.end]) for f in screening.masked]
    assert spans == [
        ("phone", "0905 123 456"),
        ("email", "hoa@gmail.com"),
        ("national_id", "048190012345"),
    ]
    assert screening.text == "Bác Hòa sđt [SĐT], email [EMAIL], cccd [CCCD]."


def test_secret_offsets_cover_the_key_phrase_and_the_value():
    note = "Bác quên, mật khẩu mới là Hoa@1975. Xong."
    (finding,) = screen_text(note).secrets
    assert finding == Finding("password", note.index("mật"), note.index("1975") + 4)
    assert note[finding.start : finding.end] == "mật khẩu mới là Hoa@1975"


def test_folding_keeps_one_character_per_character():
    text = "Mật khẩu ＯＴＰ ０９０５ Đà Nẵng İ ﬁ\u00a0x\u0301"
    folded = fold_same_length(text)
    assert len(folded) == len(text)
    assert folded.startswith("mat khau otp 0905 da nang")


def test_decomposed_input_is_normalised_and_offsets_refer_to_nfc():
    decomposed = unicodedata.normalize("NFD", "Số định danh của bà Thúy: 048190012345")
    composed = unicodedata.normalize("NFC", decomposed)
    assert decomposed != composed
    screening = screen_text(decomposed)
    assert screening.text == "Số định danh của bà Thúy: [CCCD]"
    (finding,) = screening.masked
    assert composed[finding.start : finding.end] == "048190012345"
    secret = screen_text(unicodedata.normalize("NFD", "Mã xác nhận: 482913")).secrets[0]
    assert (secret.start, secret.end) == (0, len("Mã xác nhận: 482913"))


def test_a_note_with_a_secret_still_reports_its_identifiers():
    screening = screen_text("sdt 0905123456 mk hoa1975")
    assert [f.kind for f in screening.secrets] == ["password"]
    assert [f.kind for f in screening.masked] == ["phone"]
    assert screening.text == "sdt [SĐT] mk hoa1975"


def test_kinds_and_masks_are_documented_values():
    assert set(MASKS) == set(IDENTIFIER_KINDS)
    found = {f.kind for note, _k in SECRETS for f in screen_text(note).secrets}
    assert found == set(SECRET_KINDS)
    found = {f.kind for note, _e in MASKED for f in screen_text(note).masked}
    assert found == set(IDENTIFIER_KINDS)


@pytest.mark.parametrize("note", ["", None])
def test_empty_input(note):
    assert screen_text(note) == screen_text("")
    assert screen_text("").text == ""
    assert clean_free_text("") == ""


def test_error_message_in_vietnamese_and_english():
    with translation.override("vi"):
        with pytest.raises(DomainError) as caught:
            clean_free_text("otp 123456")
        assert "Xóa mật khẩu hoặc mã" in str(caught.value.message)
    assert caught.value.details == {"kinds": ["otp"]}
    with translation.override("en"):
        with pytest.raises(DomainError) as caught:
            clean_free_text("otp 123456")
        assert "Remove the password or code" in str(caught.value.message)


class NoteForm(forms.Form):
    notes = ScreenedTextField(required=False)


def test_form_field_masks_identifiers():
    form = NoteForm(data={"notes": "  sđt 0905 123 456, cần làm lại CCCD  "})
    assert form.is_valid()
    assert form.cleaned_data["notes"] == "sđt [SĐT], cần làm lại CCCD"


def test_form_field_keeps_clean_text_and_empty_values():
    assert NoteForm(data={"notes": "lệ phí 50.000 đồng"}).is_valid()
    form = NoteForm(data={"notes": ""})
    assert form.is_valid()
    assert form.cleaned_data["notes"] == ""


def test_form_field_uses_a_textarea():
    assert isinstance(NoteForm().fields["notes"].widget, forms.Textarea)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("vi", ["Xóa mật khẩu hoặc mã", "Không bao giờ ghi lại mật khẩu"]),
        ("en", ["Remove the password or code", "Never write down a citizen's password"]),
    ],
)
def test_form_field_refuses_secrets_with_a_translated_message(language, words):
    with translation.override(language):
        form = NoteForm(data={"notes": "bác đọc mk: Hoa@1975"})
        assert not form.is_valid()
        error = form.errors.as_data()["notes"][0]
        assert error.code == "secret_in_notes"
        message = form.errors["notes"][0]
    for word in words:
        assert word in message


def test_masked_text_still_fits_max_length():
    class Short(forms.Form):
        notes = ScreenedTextField(max_length=10)

    assert Short().fields["notes"].clean("0905123456") == "[SĐT]"
    form = Short(data={"notes": "a@b.co xyz"})  # 10 characters, "[EMAIL] xyz" has 11
    assert not form.is_valid()
    assert form.errors.as_data()["notes"][0].code == "max_length"


def test_required_field_still_says_required():
    class Required(forms.Form):
        notes = ScreenedTextField()

    form = Required(data={"notes": ""})
    assert not form.is_valid()
    assert form.errors.as_data()["notes"][0].code == "required"


PIECES = [
    "0905", "123", "456", "84", "+", " ", ".", "-", "/", ",", ":", "(", ")", "sđt ", "cccd ", "CMND ",
    "bhxh ", "mk ", "otp ", "pin ", " hoa@gmail.com ", "Hòa", "1975", "048190012345", "0905123456",
    "201234567", "4801234567", "đ", " đồng", " là ", "mật khẩu", "\n", "H12", "2026", "15/12", "8h30",
    "không ", "chín ", "năm ", "một ", "mã ", "sms ", "\u200b", "482913",
    "6fc484db-cc2b-48b3-85dd-dd3512803301",
]  # fmt: skip


def test_random_notes_keep_offsets_in_range_and_mask_once():
    rng = random.Random(2026)
    for _ in range(3000):
        note = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 12)))
        screening = screen_text(note)
        for finding in screening.secrets + screening.masked:
            assert 0 <= finding.start < finding.end <= len(normalize_input(note)), note
        starts = [f.start for f in screening.masked]
        assert starts == sorted(starts)
        assert all(a.end <= b.start for a, b in itertools.pairwise(screening.masked)), note
        again = screen_text(screening.text)
        assert again.text == screening.text, note
        assert again.masked == ()


def test_docs_quote_the_current_confusion_counts():
    docs = (Path(__file__).resolve().parents[3] / "docs" / "privacy.md").read_text(encoding="utf-8")
    counts = confusion()
    for label in ("secret", "mask", "clean"):
        row = " | ".join(str(counts.get((label, got), 0)) for got in ("secret", "mask", "clean"))
        assert f"| {label} | {row} |" in docs
    assert f"{len(CASES)} notes." in docs


def test_docs_example():
    screening = screen_text("sđt 0905 123 456, mk: hoa1975")
    assert screening.text == "sđt [SĐT], mk: hoa1975"
    assert screening.secrets == (Finding("password", 18, 29),)
    assert screening.masked == (Finding("phone", 4, 16),)


def test_invisible_characters_are_removed_from_the_stored_text():
    assert clean_free_text("Bác\u200b Hòa\u00ad, sđt 0905\u2060123456\ufeff") == "Bác Hòa, sđt [SĐT]"
    screening = screen_text("cccd \u2066048190012345\u2069 x")
    assert screening.text == "cccd [CCCD] x"
    (finding,) = screening.masked
    assert normalize_input("cccd \u2066048190012345\u2069 x")[finding.start : finding.end] == "048190012345"


ADVERSARIAL = [
    "1 ", "0", "mật khẩu ", "a@", "otp-", "code-", "mk-", "khong ", "0905 ", "482 ", "a1-", "ma 123456 ",
]  # fmt: skip


class _Counted:
    """Wraps a function of the privacy module and counts the characters it is asked to look at."""

    def __init__(self, monkeypatch, name, measure):
        from xungkich.core import privacy

        self.work = 0
        original = getattr(privacy, name)

        def counted(*args):
            result = original(*args)
            self.work += measure(args, result)
            return result

        monkeypatch.setattr(privacy, name, counted)


@pytest.mark.parametrize("piece", ADVERSARIAL)
def test_screening_work_grows_linearly_with_the_input(monkeypatch, piece):
    # Deterministic, no clock: the characters read by the value scanner and the numbers classified.
    # Before the value scanner was bounded, "otp-" * n read the rest of the text after every "otp".
    chunks = _Counted(monkeypatch, "_chunk_at", lambda args, end: end - args[1])
    numbers = _Counted(monkeypatch, "_classify", lambda args, kind: 1)
    work = []
    for size in (2_000, 20_000):
        chunks.work = numbers.work = 0
        screen_text((piece * size)[:size])
        work.append(chunks.work + numbers.work)
    assert work[1] <= 12 * work[0], (piece, work)  # ten times the input: about ten times the work
    assert work[1] <= 30 * 20_000, (piece, work)  # "mk-" * n: a bounded chunk after every "mk"


@pytest.mark.parametrize("piece", ["otp-", "mật khẩu ", "a@", "0", "khong ", "ma 123456 ", "\u200b"])
def test_adversarial_hundred_kilobyte_inputs_are_screened(piece):
    text = (piece * 100_000)[:100_000]
    screening = screen_text(text)
    assert all(0 <= f.start < f.end <= len(screening.text) + 100_000 for f in screening.secrets)
    assert len(screening.text) <= len(text)


def test_numbered_symbols_read_among_spoken_digits_are_no_province_code():
    # "⑴" is a digit for str.isdigit but not for int(): the screen used to raise ValueError (a 500).
    text = "không ⑴⑵⑶⑷ một hai ba bốn năm sáu bảy"
    screening = screen_text(text)
    assert not screening.has_secret
    assert screening.text == text
