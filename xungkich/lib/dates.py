"""Dates as Vietnamese forms and spreadsheets carry them (dd/mm/yyyy)."""

from __future__ import annotations

import datetime as dt
import re

_DMY = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?\s*$")


class InvalidDate(ValueError):
    pass


def parse_date(value: object) -> dt.date:
    """A real date cell, or dd/mm/yyyy (also with . or -), or ISO yyyy-mm-dd text.

    Raises InvalidDate for text that is no date or names an impossible one (31/02/2000).
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    match = _DMY.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
    else:
        match = _ISO.match(text)
        if not match:
            raise InvalidDate(text)
        year, month, day = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise InvalidDate(text) from exc


def format_date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""
