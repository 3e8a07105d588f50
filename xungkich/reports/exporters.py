"""Spreadsheet and CSV writers: plain data in, a file out (no database; tested alone).

- ``write_xlsx`` streams a workbook with openpyxl's write-only mode: sheets of figures (summary,
  by week, by month, by point, breakdowns) and one sheet of records, written row by row so that
  memory stays flat however many records there are.
- ``write_csv`` writes records with only the columns it is given, and refuses columns that carry
  personal data (phone numbers, notes, dossier codes, names of citizens) whatever the caller asks.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

PERSONAL_COLUMNS = frozenset(
    {
        "phone",
        "phone_number",
        "notes",
        "note",
        "dossier_code",
        "citizen_name",
        "id_number",
        "email",
        "address",
    }
)

Value = str | int | float | Decimal | dt.date | None


@dataclass(frozen=True)
class Sheet:
    title: str
    headings: Sequence[str]
    rows: Iterable[Sequence[Value]]
    widths: Sequence[int] = ()
    number_columns: frozenset[int] = field(default_factory=frozenset)  # 0-based, right-aligned numbers


@dataclass(frozen=True)
class Column:
    name: str  # the record's field
    heading: str


class PersonalDataColumn(ValueError):
    pass


_BOLD = Font(name="Times New Roman", bold=True, size=12)
_PLAIN = Font(name="Times New Roman", size=12)
_TITLE = Font(name="Times New Roman", bold=True, size=14)
_FILL = PatternFill("solid", fgColor="E8EEF7")


def _cell(
    sheet: WriteOnlyWorksheet, value: Value, *, font: Font = _PLAIN, fill: PatternFill | None = None
) -> Any:
    cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]
    cell.font = font
    if fill is not None:
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    if isinstance(value, dt.date):
        cell.number_format = "DD/MM/YYYY"
    elif isinstance(value, Decimal | float):
        cell.number_format = "#,##0.00"
    elif isinstance(value, int):
        cell.number_format = "#,##0"
    return cell


def write_xlsx(
    out: IO[bytes] | str,
    *,
    title: str,
    subtitle: str,
    sheets: Sequence[Sheet],
    on_row: Any = None,
) -> int:
    """Write ``sheets`` (the first row of each is its title, then the headings); returns data rows.

    ``on_row(count)`` is called every 10 000 rows (progress of long exports).
    """
    workbook = Workbook(write_only=True)
    written = 0
    for spec in sheets:
        sheet = workbook.create_sheet(title=sheet_title(spec.title, workbook.sheetnames))
        for index, width in enumerate(spec.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A4"
        sheet.append([_cell(sheet, title, font=_TITLE)])
        sheet.append([_cell(sheet, subtitle, font=_PLAIN)])
        sheet.append([_cell(sheet, heading, font=_BOLD, fill=_FILL) for heading in spec.headings])
        date_cell = WriteOnlyCell(sheet)
        date_cell.number_format = "DD/MM/YYYY"
        for row in spec.rows:
            # Plain values are cheap; only dates need a cell of their own (dd/mm/yyyy).
            sheet.append([_date(date_cell, value) if isinstance(value, dt.date) else value for value in row])
            written += 1
            if on_row is not None and written % 10000 == 0:
                on_row(written)
    workbook.save(out)
    return written


def sheet_title(title: str, taken: Sequence[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    clean = re.sub(r"[\[\]:*?/\\]", "-", title).strip() or "Sheet"
    candidate, number = clean[:31], 2
    while candidate in taken:
        suffix = f" ({number})"
        candidate, number = clean[: 31 - len(suffix)] + suffix, number + 1
    return candidate


def _date(template: Any, value: dt.date) -> Any:
    cell = copy(template)
    cell.value = value
    return cell


def check_columns(columns: Sequence[Column]) -> None:
    leaked = [column.name for column in columns if column.name in PERSONAL_COLUMNS]
    if leaked:
        raise PersonalDataColumn(", ".join(leaked))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def write_csv(out: IO[str], *, columns: Sequence[Column], records: Iterable[dict[str, Any]]) -> int:
    """Records as CSV (UTF-8 with BOM for Excel, headings first); only ``columns`` are written."""
    check_columns(columns)
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([column.heading for column in columns])
    count = 0
    for record in records:
        writer.writerow([_text(record.get(column.name)) for column in columns])
        count += 1
    return count
