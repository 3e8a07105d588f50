"""Phone numbers as Vietnamese people and spreadsheets write them."""

from __future__ import annotations

import re

import phonenumbers

_NON_DIALLING = re.compile(r"[^\d+]")


class InvalidPhone(ValueError):
    pass


def normalize_phone(raw: object, region: str = "VN") -> str:
    """Return the number in E.164 (+84...), or raise InvalidPhone.

    Accepts spaces, dots, dashes, brackets, +84 / 84 prefixes and numbers whose leading 0 was
    dropped by Excel (905123456 or 905123456.0 from a numeric cell).
    """
    if raw is None:
        raise InvalidPhone("empty")
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    digits = _NON_DIALLING.sub("", text)
    if not digits:
        raise InvalidPhone("empty")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "+" + digits
    elif not digits.startswith(("0", "+")) and len(digits) in (9, 10):
        # Excel turned 0905123456 into the number 905123456 (or a landline 02363861234 into
        # 2363861234).
        digits = "0" + digits
    try:
        parsed = phonenumbers.parse(digits, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(str(exc)) from exc
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidPhone("invalid")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """0905 123 456 style for Vietnamese numbers, international format otherwise."""
    if not e164:
        return ""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
