import datetime as dt
import unicodedata

import pytest

from xungkich.lib.dates import InvalidDate, parse_date
from xungkich.lib.phones import InvalidPhone, display_phone, normalize_phone
from xungkich.lib.vietnamese import _INVISIBLE, clean_text, fold, normalize_input


@pytest.mark.parametrize(
    "raw",
    [
        "0905 123 456",
        "0905.123.456",
        "0905-123-456",
        "+84 905 123 456",
        "84905123456",
        "(+84) 905123456",
        905123456,
        905123456.0,
        "905123456",
        "00 84 905 123 456",
    ],
)
def test_mobile_numbers_in_every_spelling(raw):
    assert normalize_phone(raw) == "+84905123456"


def test_landline_whose_leading_zero_was_dropped():
    assert normalize_phone(2353861234) == "+842353861234"


@pytest.mark.parametrize("raw", ["", None, "12", "0905 12", "abc", "0123456789012345"])
def test_invalid_numbers(raw):
    with pytest.raises(InvalidPhone):
        normalize_phone(raw)


def test_display_phone():
    assert display_phone("+84905123456") == "0905 123 456"
    assert display_phone("") == ""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("05/09/2001", dt.date(2001, 9, 5)),
        ("5/9/2001", dt.date(2001, 9, 5)),
        ("05-09-2001", dt.date(2001, 9, 5)),
        ("05.09.2001", dt.date(2001, 9, 5)),
        ("2001-09-05", dt.date(2001, 9, 5)),
        (dt.datetime(2001, 9, 5, 0, 0), dt.date(2001, 9, 5)),
        (dt.date(2001, 9, 5), dt.date(2001, 9, 5)),
    ],
)
def test_dates(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["31/02/2001", "2001", "", "hôm qua", "13/13/2001"])
def test_impossible_dates(raw):
    with pytest.raises(InvalidDate):
        parse_date(raw)


def test_clean_text_is_nfc_with_single_spaces():
    assert clean_text("  Nguye\u0302\u0303n\u00a0\u00a0Va\u0306n   An ") == "Nguyễn Văn An"
    assert clean_text(None) == ""


def test_fold_removes_marks_and_maps_d():
    assert fold("Đoàn  Phường HỘI AN") == "doan phuong hoi an"
    assert fold("Nguye\u0302\u0303n") == fold("nguyen")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("mật\u200bkhẩu: abc123", "mậtkhẩu: abc123"),  # zero-width space
        ("O\u200bTP 482913", "OTP 482913"),
        ("0905\u200b123456", "0905123456"),
        ("mật\u00adkhẩu", "mậtkhẩu"),  # soft hyphen
        ("m\u2060k", "mk"),  # word joiner
        ("\ufeffBác Hòa", "Bác Hòa"),  # byte order mark
        ("\u202emk\u202c \u2066hoa\u2069 \u200e\u200f", "mk hoa "),  # bidirectional controls
        ("a\u200b\u0301", "á"),  # the mark composes once the invisible character is gone
        ("dòng 1\ndòng\u00a02", "dòng 1\ndòng\u00a02"),  # line breaks and spaces are kept
        (None, ""),
    ],
)
def test_normalize_input_removes_invisible_characters_then_composes(raw, expected):
    assert normalize_input(raw) == expected
    assert unicodedata.is_normalized("NFC", normalize_input(raw))


def test_the_invisible_class_is_every_format_character():
    every = "".join(chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf")
    assert _INVISIBLE.sub("", every) == ""
    assert len(_INVISIBLE.findall(every)) == len(every)
    assert _INVISIBLE.sub("", "Aa0 đ\u0301\t\n\u00a0") == "Aa0 đ\u0301\t\n\u00a0"


def test_clean_text_drops_invisible_characters_too():
    assert clean_text(" Đoàn\u200b phường\ufeff ") == "Đoàn phường"


def test_spreadsheet_text_that_looks_like_a_formula_is_escaped_and_nothing_else():
    from decimal import Decimal

    from xungkich.lib.spreadsheets import csv_text, looks_like_formula

    for text in ("=1+1", "+84905", "-3", "@A1", "\tx", "\rx", "＝1", "＋1", "－1", "＠A1"):
        assert looks_like_formula(text) and csv_text(text) == "'" + text
    for text in ("", "Nguyễn Văn An", " =1", "1-2", "'=1", "Đoàn phường"):
        assert not looks_like_formula(text) and csv_text(text) == text
    for number in (-5, Decimal("-1.5"), -2.5, 0, None):
        assert csv_text(number) is number
