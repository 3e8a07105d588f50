"""Text from people in spreadsheet and CSV exports, kept as text (formula injection).

A name such as ``=HYPERLINK("http://x","click")`` typed into a sign-up form must not become a live
formula in the file a coordinator opens. Every export writes text that came from people (names,
units, service points, procedures) through this module:

- CSV: ``csv_text`` puts an apostrophe before text that a spreadsheet program would read as a
  formula (starting with ``= + - @``, a tab or a carriage return, or the full-width ``＝ ＋ － ＠``
  some programs fold to them). Spreadsheet programs show the apostrophe as the text marker.
- xlsx: text is written as a string cell, never as a formula (openpyxl makes a formula of any
  string that starts with ``=``), and formula-looking text also gets Excel's "quote prefix", so
  that editing the cell keeps it text: ``openpyxl_text`` for openpyxl workbooks; the reports'
  streamed writer (``reports.exporters``) writes every text as an inline string and asks
  ``looks_like_formula`` for the quote prefix.

Only text is escaped: numbers, dates and empty cells pass through as they are, so a real negative
number stays a number.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def looks_like_formula(text: str) -> bool:
    """Would a spreadsheet program read this text as a formula (or the start of one)?"""
    return text.startswith(FORMULA_STARTS)


def csv_text(value: Any) -> Any:
    """The value for a CSV cell: text that looks like a formula gets a leading apostrophe."""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


def openpyxl_text(sheet: Any, text: str) -> Any:
    """An openpyxl cell holding ``text`` as a string, for ``sheet.append`` (never a formula)."""
    from openpyxl.cell import WriteOnlyCell  # a cell not yet placed: append() places it

    cell = WriteOnlyCell(sheet)
    cell.value = text  # openpyxl makes a formula of "=…" here …
    cell.data_type = "s"  # … and a string of it here
    if looks_like_formula(text):
        cell.quotePrefix = True
    return cell
