"""Reading volunteer lists as Youth Union units keep them (.xlsx and .csv). Pure: no database.

A real list looks like this::

    ĐOÀN TNCS HỒ CHÍ MINH                       ← title rows, skipped
    DANH SÁCH ĐOÀN VIÊN THAM GIA ĐỘI HÌNH ...
    STT | Họ tên | Ngày sinh | ... | SĐT | ...   ← the header, found by its synonyms
    1   | Nguyễn Văn An | 14/03/2001 | ...        ← data; unit cells often merged vertically
    ...
    Tổng cộng: 6 đoàn viên                      ← footer: reading stops here
                                   BÍ THƯ

``read_table`` turns the file into ``SourceRow``s (spreadsheet row number + raw cells by field);
``parse_rows`` normalises them and lists every problem by row number. The database checks
(units, existing volunteers) live in ``service``.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import openpyxl
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from xungkich.core import free_text
from xungkich.core.errors import DomainError
from xungkich.core.privacy import clean_free_text
from xungkich.lib.dates import InvalidDate, format_date, parse_date
from xungkich.lib.phones import InvalidPhone, display_phone, normalize_phone
from xungkich.lib.vietnamese import clean_text, fold

ERROR = "error"
WARNING = "warning"

# Fields a list may carry, named as the Volunteer model names them; "row_number" (STT) is ignored.
FULL_NAME, BIRTH_DATE, GENDER, UNIT = "full_name", "birth_date", "gender", "unit"
POSITION, PHONE, EMAIL, SKILLS, NOTES = "position", "phone", "email", "skills", "notes"
ROW_NUMBER = "row_number"
FIELDS = (FULL_NAME, BIRTH_DATE, GENDER, UNIT, POSITION, PHONE, EMAIL, SKILLS, NOTES)

# Header names, folded (no diacritics, đ→d, lower case, punctuation and "(...)" removed).
# Several columns may map to the full name ("Họ và tên đệm" | "Tên"): their values are joined.
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    FULL_NAME: (
        "ho va ten",
        "ho ten",
        "ho va ten doan vien",
        "ho ten doan vien",
        "ho va ten dem",
        "ho va dem",
        "ho dem",
        "ho",
        "ten",
        "ten doan vien",
        "full name",
        "name",
    ),
    BIRTH_DATE: (
        "ngay sinh",
        "ngay thang nam sinh",
        "sinh ngay",
        "nam sinh",
        "date of birth",
        "birth date",
        "birthday",
    ),
    GENDER: ("gioi tinh", "gioi", "phai", "nam nu", "gender", "sex"),
    UNIT: (
        "chi doan",
        "don vi",
        "ten chi doan",
        "ten don vi",
        "chi doan don vi",
        "don vi chi doan",
        "doan co so",
        "unit",
    ),
    POSITION: ("chuc vu", "chuc vu doan", "chuc danh", "position"),
    PHONE: (
        "so dien thoai",
        "sdt",
        "dien thoai",
        "dt",
        "so dt",
        "dtdd",
        "di dong",
        "so di dong",
        "dien thoai di dong",
        "phone",
        "phone number",
        "mobile",
    ),
    EMAIL: ("email", "e mail", "thu dien tu", "dia chi email", "gmail"),
    SKILLS: ("ky nang", "ki nang", "so truong", "skills", "skill"),
    NOTES: ("ghi chu", "notes", "note", "remarks"),
    ROW_NUMBER: ("stt", "tt", "so tt", "so thu tu", "no"),
}
# Columns that look like ours but are not: "Đơn vị công tác" is a workplace, not a Youth Union unit.
IGNORED_HEADERS = frozenset(
    {"don vi cong tac", "noi cong tac", "co quan cong tac", "dia chi", "que quan", "noi o", "cho o"}
)
_SYNONYM_FIELD = {syn: name for name, syns in HEADER_SYNONYMS.items() for syn in syns}
# Longer synonyms may also open a longer header ("Số điện thoại liên hệ", "Chức vụ Đoàn").
_PREFIX_SYNONYMS = sorted((syn for syn in _SYNONYM_FIELD if len(syn) >= 5), key=len, reverse=True)

# A row whose first non-empty cell starts like this ends the list (folded, punctuation kept).
_FOOTER_PREFIXES = (
    "tong cong",
    "tong so",
    "cong:",
    "nguoi lap",
    "bi thu",
    "pho bi thu",
    "tm.",
    "tm ",
    "t/m",
    "tl.",
    "xac nhan",
    "noi nhan",
    "ky ten",
    "(ky",
)
# "Hội An, ngày 10 tháng 3 năm 2026" above the signature block.
_PLACE_DATE = re.compile(r"^[^\d,]{1,60},\s*ngay\b")
_COLUMN_NUMBER = re.compile(r"^\(?(\d{1,2}|[A-Za-z])\)?$")
_ROW_NUMBER_VALUE = re.compile(r"^\d{1,6}\.?$")
_SECTION_MARK = re.compile(r"^([IVXLC]+|[A-Z])\.?$")
_SECTION_NUMBERING = re.compile(r"^\s*(?:[IVXLC]+|[A-Z]|\d{1,2})\s*[.)\-–:]\s*")
_PARENTHESES = re.compile(r"\([^)]*\)")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_YEAR = re.compile(r"^\d{4}$")
_SKILL_SEPARATORS = re.compile(r"[,;/\n]+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))

HEADER_SCAN_ROWS = 30  # the header must start within the first rows of a sheet
MAX_SCAN_ROWS = 200_000  # rows of a sheet ever looked at
# Spreadsheet bombs: a 300 KB .xlsx can unpack to 75 MB of sheet XML that the full reader turns
# into gigabytes. Before openpyxl sees a workbook its zip directory is read: the members' unpacked
# sizes (zipfile stops at the stated size and checks the CRC, so a member cannot lie about it) and
# their compression ratios are bounded, then the rows holding values are counted while streaming
# the XML, stopping at the row limit.
DEFAULT_MAX_UNPACKED_BYTES = 20 * 1024 * 1024  # setting XK_IMPORT_MAX_UNPACKED_BYTES
MAX_RATIO = 100  # real sheets compress 5-30 times; zeros or repeated XML a thousand times
RATIO_FROM_BYTES = 1024 * 1024  # small members (styles, a tiny sheet) may compress better
MAX_COLUMNS = 60
MAX_BLANK_RUN = 1000  # sheets "formatted" down to row 1,048,576: stop after this many blank rows
DEFAULT_MAX_ROWS = 5_000  # volunteers per list; setting XK_IMPORT_MAX_ROWS
ROW_SLACK = HEADER_SCAN_ROWS + 20  # title, header, section and footer rows around the volunteers
MAX_LENGTHS = {
    FULL_NAME: 150,
    POSITION: free_text.SCREENED["people.Volunteer"]["position"],
    EMAIL: 254,
    NOTES: free_text.NOTES,
}
SKILL_MAX_LENGTH = 80
OLDEST_BIRTH_YEAR = 1900
SERIAL_DAYS = (7306, 73051)  # Excel day numbers of 1/1/1920 and 1/1/2100

GENDERS = {
    "nam": "male",
    "male": "male",
    "m": "male",
    "nu": "female",
    "female": "female",
    "f": "female",
    "khac": "other",
    "other": "other",
}


class ImportFileError(DomainError):
    """The file cannot be read as a volunteer list at all (wrong type, corrupt, no header...)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong (error) or worth a look (warning) in one row, or in the file (row None)."""

    row: int | None
    code: str
    text: str
    severity: str = ERROR
    field: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def message(self) -> str:
        """The text with its spreadsheet row number, as the report and the preview list it."""
        if self.row is None:
            return self.text
        if self.is_error:
            return _("Row %(row)s: %(problem)s") % {"row": self.row, "problem": self.text}
        return _("Row %(row)s (warning): %(problem)s") % {"row": self.row, "problem": self.text}


@dataclass
class SourceRow:
    """A data row as read: its spreadsheet row number and raw cell values by field."""

    row: int
    cells: dict[str, Any]
    # The last section heading above the row ("I. Chi đoàn Minh An"), if the list has them.
    section: str = ""


class SourceTable(list[SourceRow]):
    """The data rows of the sheet that holds the list, with what was learnt from its header."""

    def __init__(
        self,
        rows: Iterable[SourceRow] = (),
        *,
        sheet: str = "",
        header_row: int = 0,
        fields: Iterable[str] = (),
        ignored_headers: Iterable[str] = (),
    ) -> None:
        super().__init__(rows)
        self.sheet = sheet
        self.header_row = header_row
        self.fields = [name for name in FIELDS if name in set(fields)]
        self.ignored_headers = list(ignored_headers)

    @property
    def has_unit_column(self) -> bool:
        return UNIT in self.fields


@dataclass
class ParsedRow:
    """A row with normalised values and its problems."""

    row: int
    full_name: str = ""
    birth_date: dt.date | None = None
    gender: str = ""
    unit_name: str = ""
    section: str = ""
    position: str = ""
    phone: str = ""  # E.164, or "" when missing or invalid
    phone_raw: str = ""
    email: str = ""
    skills: list[str] = field(default_factory=list)
    notes: str = ""
    # Fields with a non-blank value in this row: blank cells never overwrite stored values.
    given: set[str] = field(default_factory=set)
    # The cells as text, as typed: shown where a value could not be read.
    raw: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(problem.is_error for problem in self.problems)

    def add(self, code: str, text: str, *, severity: str = ERROR, field: str = "") -> None:
        self.problems.append(Problem(self.row, code, text, severity, field))


def table_to_json(table: SourceTable) -> bytes:
    """The table as JSON, so a list read in the background is previewed without reading it again."""
    return json.dumps(
        {
            "sheet": table.sheet,
            "header_row": table.header_row,
            "fields": table.fields,
            "ignored_headers": table.ignored_headers,
            "rows": [
                {
                    "row": row.row,
                    "section": row.section,
                    "cells": {k: _to_json(v) for k, v in row.cells.items()},
                }
                for row in table
            ],
        },
        ensure_ascii=False,
    ).encode()


def table_from_json(data: bytes) -> SourceTable:
    raw = json.loads(data)
    return SourceTable(
        (
            SourceRow(row["row"], {k: _from_json(v) for k, v in row["cells"].items()}, row["section"])
            for row in raw["rows"]
        ),
        sheet=raw["sheet"],
        header_row=raw["header_row"],
        fields=raw["fields"],
        ignored_headers=raw["ignored_headers"],
    )


# Cell values are str, int, float, bool, None or (from Excel) datetime, date, time, timedelta.
_TEMPORAL: dict[str, Any] = {
    "datetime": dt.datetime.fromisoformat,
    "date": dt.date.fromisoformat,
    "time": dt.time.fromisoformat,
}


def _to_json(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return {"$": type(value).__name__, "v": value.isoformat()}
    if isinstance(value, dt.timedelta):
        return {"$": "timedelta", "v": value.total_seconds()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _from_json(value: Any) -> Any:
    if isinstance(value, dict):
        if value["$"] == "timedelta":
            return dt.timedelta(seconds=value["v"])
        return _TEMPORAL[value["$"]](value["v"])
    return value


# --- Reading ------------------------------------------------------------------------------------


@dataclass
class _Line:
    number: int
    values: list[Any]
    # For each cell filled from a merged range: the (row, column) of that range's top-left cell.
    sources: list[tuple[int, int] | None]

    def original(self, col: int) -> bool:
        return self.sources[col] is None


def check_file(data: bytes, filename: str) -> int:
    """The quick checks of ``read_table`` (size, type, bombs, row limit) without reading the list:
    milliseconds, so they run in the request. Returns about how many rows hold values."""
    name = _check_size(data, filename)
    if _kind(data, name) == "xlsx":
        return _checked_xlsx_rows(data, name, max_rows=max_import_rows())
    return _check_csv_rows(_decode(data, name), max_rows=max_import_rows())


def _check_size(data: bytes, filename: str) -> str:
    name = PurePath(filename or "").name
    if len(data) > settings.XK_IMPORT_MAX_BYTES:
        raise ImportFileError(
            _("“%(name)s” is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {
                "name": name,
                "size": _megabytes(len(data)),
                "limit": _megabytes(settings.XK_IMPORT_MAX_BYTES),
            },
            "import_file_too_large",
        )
    if not data.strip():
        raise ImportFileError(_("“%(name)s” is empty.") % {"name": name}, "import_file_empty")
    return name


def read_table(data: bytes, filename: str) -> SourceTable:
    """The volunteer list in ``data``, or ImportFileError with a message people can act on."""
    name = _check_size(data, filename)
    max_rows = max_import_rows()
    sheets: list[tuple[str, Iterable[_Line]]]
    if _kind(data, name) == "xlsx":
        sheets = list(_read_xlsx(data, name, max_rows=max_rows))
    else:
        sheets = [("", _read_csv(data, name, max_rows=max_rows))]
    empty_table: SourceTable | None = None
    for sheet, lines in sheets:
        table = _find_table(lines, sheet)
        if table is None:
            continue
        if table:
            return table
        if empty_table is None:
            empty_table = table
    if empty_table is not None:
        raise ImportFileError(
            _("“%(name)s” has a header row but no volunteers under it.") % {"name": name},
            "import_no_rows",
        )
    raise ImportFileError(
        _(
            "No header row was found in “%(name)s”. The list needs a row with column names such as "
            "“Họ và tên”, “Ngày sinh”, “Chi đoàn”, “Số điện thoại”."
        )
        % {"name": name},
        "import_no_header",
    )


def max_import_rows() -> int:
    """Volunteers one list may hold (the setting ``XK_IMPORT_MAX_ROWS``)."""
    return int(getattr(settings, "XK_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def max_unpacked_bytes() -> int:
    return int(getattr(settings, "XK_IMPORT_MAX_UNPACKED_BYTES", DEFAULT_MAX_UNPACKED_BYTES))


def too_many_rows(count: int) -> ImportFileError:
    return ImportFileError(
        _("The list has more than %(count)s rows; split it into smaller files.")
        % {"count": number_format(count, force_grouping=True)},
        "import_too_many_rows",
    )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def _not_a_spreadsheet(name: str) -> ImportFileError:
    return ImportFileError(
        _("“%(name)s” is not a spreadsheet that can be read. Upload an Excel workbook (.xlsx) or a CSV file.")
        % {"name": name},
        "import_file_type",
    )


def _kind(data: bytes, name: str) -> str:
    ext = PurePath(name).suffix.lower()
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileError(
            _(
                "“%(name)s” is an old Excel file (.xls) or a password-protected workbook. Open it in Excel, "
                "choose File → Save As → Excel Workbook (.xlsx), and upload that file."
            )
            % {"name": name},
            "import_file_xls",
        )
    if ext in ("", ".csv", ".txt", ".tsv"):
        return "csv"
    raise _not_a_spreadsheet(name)


def _checked_xlsx_rows(data: bytes, name: str, *, max_rows: int) -> int:
    """The bomb checks of a workbook, from its zip directory and streamed XML; its most rows of values."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_unpacked(archive.infolist(), name)
            return _check_row_counts(archive, name, max_rows=max_rows)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, ParseError, DefusedXmlException) as exc:
        raise _not_a_spreadsheet(name) from exc


def _read_xlsx(data: bytes, name: str, *, max_rows: int) -> list[tuple[str, Iterator[_Line]]]:
    """The sheets of a workbook, after the bomb checks; ``max_rows``: rows of values per sheet."""
    _checked_xlsx_rows(data, name, max_rows=max_rows)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # read_only=False: merged cell ranges are only known in the full mode. data_only: the
            # values Excel computed, not "=A7+1".
            workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise _not_a_spreadsheet(name) from exc
    return [(sheet.title, _sheet_lines(sheet)) for sheet in workbook.worksheets]


def _check_unpacked(members: list[zipfile.ZipInfo], name: str) -> None:
    limit = max_unpacked_bytes()
    unpacked = sum(info.file_size for info in members)
    squeezed = any(
        info.file_size > RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1)
        for info in members
    )
    if unpacked > limit or squeezed:
        raise ImportFileError(
            _(
                "“%(name)s” unpacks to more than %(limit)s MB and cannot be read safely. Keep only the "
                "list in the workbook (no pictures or other sheets), or split it into smaller files."
            )
            % {"name": name, "limit": _megabytes(limit)},
            "import_file_too_large",
        )


def _check_row_counts(archive: zipfile.ZipFile, name: str, *, max_rows: int) -> int:
    """Count the rows holding a value in every XML member (sheets may sit anywhere the workbook's
    relationships say), streaming; stop as soon as one has more than a list may hold. defusedxml
    (which openpyxl also uses when present) refuses entity tricks."""
    limit = max_rows + ROW_SLACK
    most = 0
    for info in archive.infolist():
        if not info.filename.lower().endswith(".xml"):
            continue
        with archive.open(info) as stream:
            count = 0
            has_value = False
            for _event, element in iterparse(stream, events=("end",)):
                tag = element.tag.rsplit("}", 1)[-1]
                if tag in ("v", "is", "f"):
                    has_value = True
                elif tag == "row":
                    if has_value:
                        count += 1
                        if count > limit:
                            raise too_many_rows(max_rows)
                    has_value = False
                    element.clear()
                elif tag == "si":  # shared strings: keep the memory flat
                    element.clear()
        most = max(most, count)
    return most


def _sheet_lines(sheet: Any) -> Iterator[_Line]:
    max_row = min(sheet.max_row or 0, MAX_SCAN_ROWS)
    max_col = min(sheet.max_column or 0, MAX_COLUMNS)
    if not max_row or not max_col:
        return
    filled: dict[tuple[int, int], tuple[int, int]] = {}
    for merged in sheet.merged_cells.ranges:
        top = (merged.min_row, merged.min_col)
        for row in range(merged.min_row, min(merged.max_row, max_row) + 1):
            for col in range(merged.min_col, min(merged.max_col, max_col) + 1):
                if (row, col) != top:
                    filled[(row, col)] = top
    tops = {top: sheet.cell(*top).value for top in set(filled.values())}
    for number, cells in enumerate(
        sheet.iter_rows(min_row=1, max_row=max_row, min_col=1, max_col=max_col, values_only=True), start=1
    ):
        values = list(cells)
        sources: list[tuple[int, int] | None] = [None] * len(values)
        for col in range(len(values)):
            source = filled.get((number, col + 1))
            if source is not None:
                values[col] = tops[source]
                sources[col] = source
        yield _Line(number, values, sources)


def _decode(data: bytes, name: str) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _not_a_spreadsheet(name) from exc
    elif b"\x00" in data[:4096]:
        # UTF-16 without a byte-order mark ("Unicode text" from old Excel), else a binary file.
        for encoding in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if "\x00" not in text:
                return text
        raise _not_a_spreadsheet(name)
    # UTF-8 first; then Windows' Vietnamese code page, which CSV exports from older Excel use.
    for encoding in ("utf-8", "cp1258"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(
        _("The characters in “%(name)s” cannot be read. Save the file as “CSV UTF-8” and try again.")
        % {"name": name},
        "import_file_encoding",
    )


def _read_csv(data: bytes, name: str, *, max_rows: int) -> list[_Line]:
    text = _decode(data, name)
    _check_csv_rows(text, max_rows=max_rows)
    if "\x00" in text:
        raise _not_a_spreadsheet(name)
    best: list[_Line] = []
    best_score = -1
    # The delimiter is the one with which a header row is found, with the most known columns.
    for delimiter in (",", ";", "\t"):
        try:
            records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        except csv.Error as exc:
            raise _not_a_spreadsheet(name) from exc
        lines = [
            _Line(number, list(record)[:MAX_COLUMNS], [None] * min(len(record), MAX_COLUMNS))
            for number, record in enumerate(records, start=1)
        ]
        score = max((_header_score(line) for line in lines[:HEADER_SCAN_ROWS]), default=0)
        if score > best_score:
            best, best_score = lines, score
    return best


def _check_csv_rows(text: str, *, max_rows: int) -> int:
    """Count the records holding a value while streaming, stopping past the row limit."""
    limit = max_rows + ROW_SLACK
    count = 0
    try:
        for record in csv.reader(io.StringIO(text, newline="")):
            if any(cell.strip() for cell in record):
                count += 1
                if count > limit:
                    raise too_many_rows(max_rows)
    except csv.Error:
        pass  # not CSV with commas: the readers say so, or try other delimiters
    return count


def _header_key(value: Any) -> str:
    text = _PARENTHESES.sub(" ", fold(_text(value)))
    return _NOT_ALNUM.sub(" ", text).strip()


def header_field(value: Any) -> str | None:
    """The field a header cell names ("Số ĐT" → "phone"), or None."""
    key = _header_key(value)
    if not key or any(key == other or key.startswith(other + " ") for other in IGNORED_HEADERS):
        return None
    if key in _SYNONYM_FIELD:
        return _SYNONYM_FIELD[key]
    for synonym in _PREFIX_SYNONYMS:
        if key.startswith(synonym + " "):
            return _SYNONYM_FIELD[synonym]
    return None


def _header_map(line: _Line) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for col, value in enumerate(line.values):
        name = header_field(value)
        if name is not None:
            mapping[col] = name
    return mapping


def _is_header(mapping: dict[int, str]) -> bool:
    names = set(mapping.values())
    return FULL_NAME in names and len(names - {FULL_NAME, ROW_NUMBER}) >= 1


def _header_score(line: _Line) -> int:
    mapping = _header_map(line)
    return len(set(mapping.values())) if _is_header(mapping) else 0


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not _text(value))


def _originals(line: _Line) -> list[tuple[int, Any]]:
    return [
        (col, value) for col, value in enumerate(line.values) if line.original(col) and not _is_empty(value)
    ]


def _is_footer(line: _Line) -> bool:
    for col, value in enumerate(line.values):
        if not line.original(col) or _is_empty(value):
            continue
        folded = fold(_text(value))
        return folded.startswith(_FOOTER_PREFIXES) or bool(_PLACE_DATE.match(folded))
    return False


def _is_sub_header(line: _Line) -> bool:
    """A second header row: every cell typed in it is a column name ("SĐT" under "Liên hệ")."""
    originals = _originals(line)
    return bool(originals) and all(header_field(value) is not None for _, value in originals)


def _is_column_numbering(line: _Line) -> bool:
    """The "(1) (2) (3) ..." row official forms put under the header."""
    originals = _originals(line)
    return len(originals) >= 3 and all(_COLUMN_NUMBER.match(_text(value)) for _, value in originals)


def _content(line: _Line, row_number_cols: set[int]) -> list[tuple[int, Any]]:
    """The cells typed in the row, except a bare number in the STT column."""
    return [
        (col, value)
        for col, value in _originals(line)
        if not (col in row_number_cols and _ROW_NUMBER_VALUE.match(_text(value)))
    ]


def _section_heading(line: _Line, content: list[tuple[int, Any]], row_number_cols: set[int]) -> str | None:
    """ "I. Chi đoàn Minh An" across the table, or "II" in the STT column with one name beside it."""
    others = [(col, value) for col, value in content if col not in row_number_cols]
    marks = [_text(value) for col, value in content if col in row_number_cols]
    if len(content) == 1:
        col, value = content[0]
        spread = 1 + sum(1 for source in line.sources if source == (line.number, col + 1))
        if spread >= 3:
            return _SECTION_NUMBERING.sub("", _text(value)).strip()
    if len(others) == 1 and len(marks) == 1 and _SECTION_MARK.match(marks[0]):
        return _SECTION_NUMBERING.sub("", _text(others[0][1])).strip()
    return None


def _repeats_header(line: _Line, name_col: int) -> bool:
    """Cheap test first (the name column holds a header word), the full one only then."""
    value = line.values[name_col] if name_col < len(line.values) else None
    return isinstance(value, str) and header_field(value) == FULL_NAME


def _find_table(lines: Iterable[_Line], sheet: str) -> SourceTable | None:
    columns: dict[int, str] = {}
    header_line: _Line | None = None
    name_col = 0
    rows: list[SourceRow] = []
    section = ""
    blank_run = 0
    just_after_header = False
    max_rows = max_import_rows()
    for line in lines:
        if header_line is None:
            if line.number > HEADER_SCAN_ROWS:
                return None
            mapping = _header_map(line)
            if _is_header(mapping):
                columns, header_line, just_after_header = mapping, line, True
                name_col = min(col for col, name in columns.items() if name == FULL_NAME)
            continue
        if just_after_header:
            just_after_header = False
            if _is_sub_header(line):
                columns.update(_header_map(line))
                just_after_header = True  # a "(1) (2) (3)" row may still follow
                continue
            if _is_column_numbering(line):
                continue
        if _is_footer(line):
            break
        if _repeats_header(line, name_col) and _is_header(_header_map(line)):
            continue  # the header repeated on the next printed page
        row_number_cols = {col for col, name in columns.items() if name == ROW_NUMBER}
        content = _content(line, row_number_cols)
        if not content:
            blank_run += 1
            if blank_run >= MAX_BLANK_RUN:
                break
            continue
        blank_run = 0
        heading = _section_heading(line, content, row_number_cols)
        if heading is not None:
            section = heading
            continue
        rows.append(SourceRow(line.number, _cells(line, columns), section))
        if len(rows) > max_rows:
            raise too_many_rows(max_rows)
    if header_line is None:
        return None
    ignored = [
        _text(value)
        for col, value in enumerate(header_line.values)
        if col not in columns and header_line.original(col) and not _is_empty(value)
    ]
    return SourceTable(
        rows,
        sheet=sheet,
        header_row=header_line.number,
        fields=set(columns.values()),
        ignored_headers=ignored,
    )


def _cells(line: _Line, columns: dict[int, str]) -> dict[str, Any]:
    cells: dict[str, Any] = {}
    name_parts: list[str] = []
    for col, name in sorted(columns.items()):
        if name == ROW_NUMBER:
            continue
        value = line.values[col] if col < len(line.values) else None
        if name == FULL_NAME:
            source = line.sources[col] if col < len(line.sources) else None
            # A name typed into cells merged across "Họ đệm | Tên" is one name, not two.
            if (source is None or source[0] != line.number) and not _is_empty(value):
                name_parts.append(_text(value))
            continue
        if _is_empty(cells.get(name)):
            cells[name] = value
    if FULL_NAME in columns.values():
        cells[FULL_NAME] = " ".join(name_parts)
    return cells


# --- Parsing ------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A cell as one line of NFC text: 905123456.0 → "905123456", dates dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return format_date(value)
    return clean_text(str(value).translate(_INVISIBLE))


def _multiline(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return ""
    text = unicodedata.normalize("NFC", str(value).translate(_INVISIBLE))
    return "\n".join(line for line in (clean_text(part) for part in text.splitlines()) if line)


def _birth_date(parsed: ParsedRow, raw: Any, today: dt.date) -> None:
    text = _text(raw)
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if float(raw).is_integer() and 1000 <= raw <= 9999:
            text = str(int(raw))
        elif SERIAL_DAYS[0] <= raw <= SERIAL_DAYS[1]:
            # A date cell that lost its format: Excel's serial day number (1900 date system).
            raw = dt.date(1899, 12, 30) + dt.timedelta(days=int(raw))
    if _YEAR.match(text):
        parsed.add(
            "birth_year_only",
            _("Only the year of birth (%(year)s) is given; the date of birth is left empty.")
            % {"year": text},
            severity=WARNING,
            field=BIRTH_DATE,
        )
        return
    try:
        value = parse_date(raw if isinstance(raw, dt.date) else text)
    except InvalidDate:
        parsed.add(
            "birth_date_invalid",
            _("“%(value)s” is not a valid date of birth (write it as dd/mm/yyyy).") % {"value": text},
            field=BIRTH_DATE,
        )
        return
    if value > today or value.year < OLDEST_BIRTH_YEAR:
        parsed.add(
            "birth_date_out_of_range",
            _("The date of birth %(date)s is not possible.") % {"date": format_date(value)},
            field=BIRTH_DATE,
        )
        return
    parsed.birth_date = value
    parsed.given.add(BIRTH_DATE)


def _phone(parsed: ParsedRow, raw: Any) -> None:
    text = _text(raw)
    parsed.phone_raw = text
    if not text:
        parsed.add(
            "phone_missing",
            _("No phone number: this volunteer cannot be matched when the list is imported again."),
            severity=WARNING,
            field=PHONE,
        )
        return
    try:
        parsed.phone = normalize_phone(text, getattr(settings, "PHONE_REGION", "VN"))
    except InvalidPhone:
        parsed.add(
            "phone_invalid",
            _("“%(phone)s” is not a valid phone number.") % {"phone": text},
            field=PHONE,
        )
        return
    parsed.given.add(PHONE)


def _too_long(parsed: ParsedRow, name: str, value: str, limit: int) -> bool:
    if len(value) <= limit:
        return False
    parsed.add(
        "value_too_long",
        _("“%(value)s” is too long (at most %(limit)s characters).")
        % {"value": value[:40] + "…", "limit": limit},
        field=name,
    )
    return True


def _screened(parsed: ParsedRow, name: str, value: str, limit: int) -> str | None:
    """``value`` capped and screened like the forms' free text (identifiers masked), or None with a
    problem added: too long, or holding a password or code (the message never repeats it)."""
    if _too_long(parsed, name, value, limit):
        return None
    try:
        return clean_free_text(value)
    except DomainError as exc:
        parsed.add(exc.code, str(exc.message), field=name)
        return None


def parse_row(source: SourceRow, *, today: dt.date) -> ParsedRow:
    """One row's values normalised, with its own problems (duplicates are found by parse_rows)."""
    cells = source.cells
    parsed = ParsedRow(row=source.row, section=source.section)
    parsed.raw = {name: _text(value) for name, value in cells.items()}

    name = _text(cells.get(FULL_NAME))
    if not name:
        parsed.add("name_missing", _("The full name is missing."), field=FULL_NAME)
    elif not _too_long(parsed, FULL_NAME, name, MAX_LENGTHS[FULL_NAME]):
        parsed.full_name = name
        parsed.given.add(FULL_NAME)

    if not _is_empty(cells.get(BIRTH_DATE)):
        _birth_date(parsed, cells.get(BIRTH_DATE), today)

    gender = _text(cells.get(GENDER))
    if gender:
        key = fold(gender).rstrip(".")
        if key in GENDERS:
            parsed.gender = GENDERS[key]
            parsed.given.add(GENDER)
        else:
            parsed.add(
                "gender_unknown",
                _("Gender “%(value)s” is not one of Nam, Nữ, Khác; it is left empty.") % {"value": gender},
                severity=WARNING,
                field=GENDER,
            )

    parsed.unit_name = _text(cells.get(UNIT))

    typed_position = _text(cells.get(POSITION))
    position = _screened(parsed, POSITION, typed_position, MAX_LENGTHS[POSITION]) if typed_position else None
    if position:
        parsed.position = position
        parsed.given.add(POSITION)

    _phone(parsed, cells.get(PHONE))

    email = _text(cells.get(EMAIL)).lower().removeprefix("mailto:")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            parsed.add(
                "email_invalid",
                _("“%(email)s” is not a valid e-mail address.") % {"email": email},
                field=EMAIL,
            )
        else:
            parsed.email = email
            parsed.given.add(EMAIL)

    skills_text = _multiline(cells.get(SKILLS))
    if skills_text:
        seen: set[str] = set()
        for part in _SKILL_SEPARATORS.split(skills_text):
            skill = clean_text(part).strip(" .-–")
            if not skill or fold(skill) in seen or _too_long(parsed, SKILLS, skill, SKILL_MAX_LENGTH):
                continue
            seen.add(fold(skill))
            parsed.skills.append(skill)
        if parsed.skills:
            parsed.given.add(SKILLS)

    typed_notes = _multiline(cells.get(NOTES))
    notes = _screened(parsed, NOTES, typed_notes, MAX_LENGTHS[NOTES]) if typed_notes else None
    if notes:
        parsed.notes = notes
        parsed.given.add(NOTES)
    return parsed


def parse_rows(rows: Sequence[SourceRow], *, today: dt.date | None = None) -> list[ParsedRow]:
    """Every row normalised, with its problems; a phone or a person twice in the file is an error."""
    today = today or dt.date.today()
    parsed = [parse_row(source, today=today) for source in rows]
    phones: dict[str, int] = {}
    people: dict[tuple[str, dt.date], ParsedRow] = {}
    for row in parsed:
        if row.phone:
            first = phones.setdefault(row.phone, row.row)
            if first != row.row:
                row.add(
                    "duplicate_phone_in_file",
                    _("The phone number %(phone)s is also on row %(other)s.")
                    % {"phone": display_phone(row.phone), "other": first},
                    field=PHONE,
                )
                continue
        if row.full_name and row.birth_date:
            earlier = people.setdefault((fold(row.full_name), row.birth_date), row)
            if earlier is not row:
                row.add(
                    "duplicate_person_in_file",
                    _("%(name)s, born %(date)s, is also on row %(other)s.")
                    % {"name": row.full_name, "date": format_date(row.birth_date), "other": earlier.row},
                    field=FULL_NAME,
                )
    return parsed
