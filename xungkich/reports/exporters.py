"""Spreadsheet and CSV writers: plain data in, a file out (no database; tested alone).

- ``write_xlsx`` streams a workbook: sheets of figures (summary, by week, by month, by point,
  breakdowns) and sheets of records, written row by row into the zip so that memory stays flat
  however many records there are. The sheet XML is written here, with each distinct value's cell
  made once and reused (a 100,000-row export: about 5× faster than openpyxl's write-only mode and
  XlsxWriter's constant-memory mode, which make and write an object per cell; figures in
  docs/benchmarks.md). It writes only what these reports need: text, whole and decimal numbers,
  dates, three fonts, one fill, column widths and frozen headings.
- ``write_csv`` writes records with only the columns it is given, and refuses columns that carry
  personal data (phone numbers, notes, dossier codes, names of citizens) whatever the caller asks.

Text is always written as text, never as a formula (``xungkich.lib.spreadsheets``).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils import get_column_letter

from xungkich.lib.spreadsheets import csv_text, looks_like_formula

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


# --- xlsx ------------------------------------------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Cell styles (indexes into cellXfs below): every cell is Times New Roman 12 unless styled.
_TITLE, _HEADING, _DATE, _WHOLE, _DECIMAL, _QUOTED = 1, 2, 3, 4, 5, 6
_STYLES = (
    _XML + f'<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="DD/MM/YYYY"/></numFmts>'
    '<fonts count="3">'
    '<font><sz val="12"/><name val="Times New Roman"/><family val="1"/></font>'
    '<font><b/><sz val="14"/><name val="Times New Roman"/><family val="1"/></font>'
    '<font><b/><sz val="12"/><name val="Times New Roman"/><family val="1"/></font>'
    "</fonts>"
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFE8EEF7"/><bgColor indexed="64"/>'
    "</patternFill></fill></fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="7">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"'
    ' applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_EPOCH = dt.datetime(1899, 12, 30)
_MAX_TEXT = 32767  # Excel's limit for one cell
# Characters XML 1.0 cannot carry (a pasted control character would make the file unreadable).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CR = {"\r": "&#13;"}
_CACHED = 20_000
# zlib's fastest level: the XML of records repeats itself, so the file is still ~15 times smaller
# than its sheets, about as small as openpyxl's; the default level took about a fifth of the time.
_ZIP_LEVEL = 1  # distinct values whose cell is kept (names, labels, small numbers repeat)


def _text_cell(text: str, style: int = 0) -> str:
    text = _NOT_XML.sub("\ufffd", text[:_MAX_TEXT])
    if not style and looks_like_formula(text):
        style = _QUOTED  # Excel keeps it text even when the cell is edited
    styled = f' s="{style}"' if style else ""
    space = ' xml:space="preserve"' if text != text.strip() else ""
    # A carriage return as a character reference: XML readers turn a bare one into a line feed.
    return f'{styled} t="inlineStr"><is><t{space}>{escape(text, _CR)}</t></is></c>'


def _value_cell(value: Any) -> str:
    """The cell for ``value`` after its reference (``<c r="B12"`` + this); "" for an empty cell."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return _text_cell(value)
    if isinstance(value, bool):
        return f' t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int):
        return f' s="{_WHOLE}"><v>{value}</v></c>'
    if isinstance(value, Decimal):
        return f' s="{_DECIMAL}"><v>{value:f}</v></c>'
    if isinstance(value, float):
        return f' s="{_DECIMAL}"><v>{value!r}</v></c>'
    if isinstance(value, dt.datetime):
        serial = (value.replace(tzinfo=None) - _EPOCH) / dt.timedelta(days=1)
        return f' s="{_DATE}"><v>{serial!r}</v></c>'
    if isinstance(value, dt.date):
        return f' s="{_DATE}"><v>{(value - _EPOCH.date()).days}</v></c>'
    return _text_cell(str(value))


class _SheetWriter:
    """One worksheet's XML, streamed into the zip a thousand rows at a time."""

    def __init__(self, handle: IO[bytes], widths: Sequence[int]) -> None:
        self.handle = handle
        self.letters: list[str] = []
        self.row = 0
        self.buffer: list[str] = []
        self.cells: dict[Any, str] = {}
        cols = "".join(
            f'<col min="{n}" max="{n}" width="{width}" customWidth="1"/>'
            for n, width in enumerate(widths, start=1)
        )
        handle.write(
            (
                _XML + f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
                '<sheetViews><sheetView workbookViewId="0">'
                '<pane ySplit="3" topLeftCell="A4" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft" activeCell="A4" sqref="A4"/>'
                "</sheetView></sheetViews>"
                '<sheetFormatPr defaultRowHeight="15.75"/>'
                + (f"<cols>{cols}</cols>" if cols else "")
                + "<sheetData>"
            ).encode()
        )

    def _letters(self, count: int) -> list[str]:
        while len(self.letters) < count:
            self.letters.append(get_column_letter(len(self.letters) + 1))
        return self.letters

    def styled_row(self, texts: Sequence[str], style: int) -> None:
        self.row += 1
        letters = self._letters(len(texts))
        cells = "".join(
            f'<c r="{letter}{self.row}"{_text_cell(text, style)}'
            for letter, text in zip(letters, texts, strict=False)
        )
        self.buffer.append(f'<row r="{self.row}">{cells}</row>')

    def values_row(self, values: Sequence[Value]) -> None:
        self.row += 1
        row, cells, parts = self.row, self.cells, []
        letters = self.letters if len(self.letters) >= len(values) else self._letters(len(values))
        for letter, value in zip(letters, values, strict=False):
            # Text is most of it; other values by type too (1, 1.0 and True are equal, not alike).
            key = value if value.__class__ is str else (value.__class__, value)
            cell = cells.get(key)
            if cell is None:
                cell = _value_cell(value)
                if len(cells) < _CACHED:
                    cells[key] = cell
            if cell:
                parts.append(f'<c r="{letter}{row}"{cell}')
        self.buffer.append(f'<row r="{row}">{"".join(parts)}</row>')
        if len(self.buffer) >= 1000:
            self.flush()

    def flush(self) -> None:
        self.handle.write("".join(self.buffer).encode())
        self.buffer.clear()

    def close(self) -> None:
        self.flush()
        self.handle.write(b"</sheetData></worksheet>")


def write_xlsx(
    out: IO[bytes] | str,
    *,
    title: str,
    subtitle: str,
    sheets: Sequence[Sheet],
    on_row: Callable[[int], object] | None = None,
) -> int:
    """Write ``sheets`` (the first rows of each: the title, the subtitle, then the headings);
    returns the number of data rows.

    ``on_row(count)`` is called every 10 000 rows (progress of long exports).
    """
    written = 0
    names: list[str] = []
    for spec in sheets:
        names.append(sheet_title(spec.title, names))
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=_ZIP_LEVEL) as package:
        _write_package_parts(package, names)  # [Content_Types].xml first, as Excel writes it
        for number, spec in enumerate(sheets, start=1):
            with package.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True) as handle:
                sheet = _SheetWriter(handle, spec.widths)
                sheet.styled_row([title], _TITLE)
                sheet.styled_row([subtitle], 0)
                sheet.styled_row(list(spec.headings), _HEADING)
                for row in spec.rows:
                    sheet.values_row(row)
                    written += 1
                    if on_row is not None and written % 10000 == 0:
                        on_row(written)
                sheet.close()
    return written


def _write_package_parts(package: zipfile.ZipFile, names: Sequence[str]) -> None:
    sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{sheet_type}"/>'
        for n in range(1, len(names) + 1)
    )
    package.writestr(
        "[Content_Types].xml",
        _XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{overrides}</Types>",
    )
    package.writestr(
        "_rels/.rels",
        _XML + f'<Relationships xmlns="{_PACKAGE_REL}">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
    )
    sheets = "".join(
        f'<sheet name={quoteattr(name)} sheetId="{n}" r:id="rId{n}"/>' for n, name in enumerate(names, 1)
    )
    package.writestr(
        "xl/workbook.xml",
        _XML + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f"<sheets>{sheets}</sheets></workbook>",
    )
    links = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, len(names) + 1)
    )
    package.writestr(
        "xl/_rels/workbook.xml.rels",
        _XML + f'<Relationships xmlns="{_PACKAGE_REL}">{links}'
        f'<Relationship Id="rId{len(names) + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
        "</Relationships>",
    )
    package.writestr("xl/styles.xml", _STYLES)


def sheet_title(title: str, taken: Sequence[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    clean = re.sub(r"[\[\]:*?/\\]", "-", title).strip() or "Sheet"
    candidate, number = clean[:31], 2
    while candidate in taken:
        suffix = f" ({number})"
        candidate, number = clean[: 31 - len(suffix)] + suffix, number + 1
    return candidate


def check_columns(columns: Sequence[Column]) -> None:
    leaked = [column.name for column in columns if column.name in PERSONAL_COLUMNS]
    if leaked:
        raise PersonalDataColumn(", ".join(leaked))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(csv_text(value))


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
