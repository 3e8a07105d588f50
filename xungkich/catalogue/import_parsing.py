"""Reading procedure lists exported from the national procedure database (.xlsx or .csv). Pure.

The exports have title rows above the header ("DANH MỤC THỦ TỤC HÀNH CHÍNH ..."), Vietnamese
headers ("Mã thủ tục", "Tên thủ tục", "Lĩnh vực", "Cấp thực hiện", "Cơ quan thực hiện",
"Mức độ" / "Dịch vụ công trực tuyến", "Phí, lệ phí", "Thời hạn giải quyết", ...) and several
lines in a cell. The header is found the way the volunteer import finds its header
(``xungkich.people.imports.reading``: folded names, synonyms, the first rows scanned); the file readers
(size limits, .xls refusal, encodings, merged cells) are that module's.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from xungkich.catalogue.models import Procedure, SubmissionChannel
from xungkich.catalogue.services import ChannelRecord, FeeRecord, ProcedureRecord
from xungkich.lib.dates import InvalidDate, parse_date
from xungkich.lib.vietnamese import fold
from xungkich.people.imports import reading as sheet
from xungkich.people.imports.reading import ImportFileError, Problem

CODE, NAME, FIELD, LEVEL, AGENCY = "code", "name", "field", "level", "agency"
MODE, FEE, TIME, WAYS, DOCUMENTS = "online_mode", "fee", "time", "ways", "documents"
LEGAL, URL, ALIASES, ROW_NUMBER = "legal_basis", "url", "aliases", "row_number"

HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    CODE: (
        "ma thu tuc",
        "ma tthc",
        "ma thu tuc hanh chinh",
        "ma so",
        "ma",
        "ma so tthc",
        "procedure code",
        "code",
    ),
    NAME: ("ten thu tuc", "ten tthc", "ten thu tuc hanh chinh", "ten", "procedure name", "name"),
    FIELD: ("linh vuc", "linh vuc thuc hien", "field"),
    LEVEL: ("cap thuc hien", "cap", "cap giai quyet", "level"),
    AGENCY: ("co quan thuc hien", "co quan giai quyet", "don vi thuc hien", "co quan", "agency"),
    MODE: (
        "muc do",
        "muc do dvc",
        "muc do dvctt",
        "muc do dich vu cong",
        "dich vu cong truc tuyen",
        "dvc truc tuyen",
        "dvctt",
        "loai dich vu cong",
        "online",
    ),
    FEE: ("phi le phi", "phi", "le phi", "muc phi", "phi va le phi", "fee", "fees"),
    TIME: ("thoi han giai quyet", "thoi gian giai quyet", "thoi han", "processing time"),
    WAYS: ("cach thuc thuc hien", "cach thuc nop", "hinh thuc nop", "cach thuc"),
    DOCUMENTS: ("thanh phan ho so", "ho so", "giay to can co", "documents"),
    LEGAL: ("can cu phap ly", "can cu", "legal basis"),
    URL: ("duong dan", "link", "lien ket", "url", "dia chi trang"),
    ALIASES: ("ten goi khac", "ten thuong goi", "ten dan gian", "aliases"),
    ROW_NUMBER: ("stt", "tt", "so tt", "so thu tu"),
}
_SYNONYM_FIELD = {syn: name for name, syns in HEADER_SYNONYMS.items() for syn in syns}
_PREFIX_SYNONYMS = sorted((syn for syn in _SYNONYM_FIELD if len(syn) >= 5), key=len, reverse=True)

_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._\-]{2,39}$")
_AMOUNT = re.compile(r"(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(?:đ|đồng|d\b|dong|vnd|vnđ)", re.IGNORECASE)
_FROM_DATE = re.compile(r"(?:từ|tu|kể từ|ke tu)\s+(?:ngày\s+|ngay\s+)?(\d{1,2}/\d{1,2}/\d{4})", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-+•*–]|\d{1,2}[.)])\s*")
# File columns → Procedure fields: an update writes only the columns the file has.
MODEL_FIELDS = {
    NAME: "name", FIELD: "field", LEVEL: "level", AGENCY: "agency", MODE: "online_mode",
    DOCUMENTS: "documents", LEGAL: "legal_basis", URL: "official_url", ALIASES: "aliases",
}  # fmt: skip
MAX_ROWS = 20_000  # procedures per file: a province's whole catalogue fits
MAX_LENGTHS = {NAME: 500, FIELD: 200, AGENCY: 300, TIME: 300, URL: 500}


@dataclass
class ParsedProcedure:
    row: int
    record: ProcedureRecord | None = None
    raw: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(problem.is_error for problem in self.problems)

    def add(self, code: str, text: str, *, field: str = "") -> None:
        self.problems.append(Problem(self.row, code, text, "error", field))


@dataclass
class ProcedureTable:
    rows: list[tuple[int, dict[str, Any]]]
    fields: set[str]
    header_row: int
    sheet: str = ""


def header_field(value: Any) -> str | None:
    """The field a header cell names ("Mức độ DVCTT" → "online_mode"), or None."""
    key = sheet._header_key(value)
    if not key:
        return None
    if key in _SYNONYM_FIELD:
        return _SYNONYM_FIELD[key]
    for synonym in _PREFIX_SYNONYMS:
        if key.startswith(synonym + " "):
            return _SYNONYM_FIELD[synonym]
    return None


def _header_map(values: list[Any]) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for col, value in enumerate(values):
        name = header_field(value)
        if name is not None and name not in mapping.values():
            mapping[col] = name
    return mapping


def _is_header(mapping: dict[int, str]) -> bool:
    return {CODE, NAME} <= set(mapping.values())


def read_table(data: bytes, filename: str) -> ProcedureTable:
    """The procedure rows of the first sheet with a header, or ImportFileError."""
    name = filename.rsplit("/", 1)[-1]
    if not data.strip():
        raise ImportFileError(_("“%(name)s” is empty.") % {"name": name}, "import_file_empty")
    if len(data) > sheet.settings.XK_IMPORT_MAX_BYTES:
        raise ImportFileError(_("“%(name)s” is too large to read.") % {"name": name}, "import_file_too_large")
    sheets: list[tuple[str, Iterable[Any]]] = []
    if sheet._kind(data, name) == "xlsx":
        sheets.extend(sheet._read_xlsx(data, name, max_rows=MAX_ROWS))
    else:
        text = sheet._decode(data, name)
        sheet._check_csv_rows(text, max_rows=MAX_ROWS)  # before the readers build every line
        sheets.append(("", _csv_lines(text)))
    found_empty = False
    for title, lines in sheets:
        table = _find_table(lines, title)
        if table is None:
            continue
        if table.rows:
            return table
        found_empty = True
    if found_empty:
        raise ImportFileError(
            _("“%(name)s” has a header row but no procedures under it.") % {"name": name}, "import_no_rows"
        )
    raise ImportFileError(
        _(
            "No header row was found in “%(name)s”. The list needs a row with column names such as "
            "“Mã thủ tục”, “Tên thủ tục”, “Lĩnh vực”, “Cấp thực hiện”."
        )
        % {"name": name},
        "import_no_header",
    )


def _csv_lines(text: str) -> list[Any]:
    best: list[Any] = []
    best_score = -1
    for delimiter in (",", ";", "\t"):
        try:
            records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        except csv.Error:
            continue
        lines = [
            sheet._Line(
                number, list(record)[: sheet.MAX_COLUMNS], [None] * min(len(record), sheet.MAX_COLUMNS)
            )
            for number, record in enumerate(records, start=1)
        ]
        score = max(
            (len(m) if _is_header(m) else 0 for m in (_header_map(line.values) for line in lines[:30])),
            default=0,
        )
        if score > best_score:
            best, best_score = lines, score
    return best


def _find_table(lines: Iterable[Any], title: str) -> ProcedureTable | None:
    columns: dict[int, str] = {}
    header = 0
    rows: list[tuple[int, dict[str, Any]]] = []
    blank_run = 0
    for line in lines:
        if not header:
            if line.number > sheet.HEADER_SCAN_ROWS:
                return None
            mapping = _header_map(line.values)
            if _is_header(mapping):
                columns, header = mapping, line.number
            continue
        cells = {
            name: line.values[col]
            for col, name in columns.items()
            if col < len(line.values) and name != ROW_NUMBER
        }
        if all(sheet._is_empty(value) for value in cells.values()):
            blank_run += 1
            if blank_run >= sheet.MAX_BLANK_RUN:
                break
            continue
        blank_run = 0
        if sheet._is_column_numbering(line) or _is_header(_header_map(line.values)):
            continue
        if sheet._is_empty(cells.get(CODE)) and sheet._is_footer(line):
            break
        if _is_section_heading(line, cells, columns):
            continue
        rows.append((line.number, cells))
        if len(rows) > MAX_ROWS:
            raise sheet.too_many_rows(MAX_ROWS)
    if not header:
        return None
    return ProcedureTable(rows, set(columns.values()), header, title)


def _col(columns: dict[int, str], name: str) -> int:
    return next(col for col, value in columns.items() if value == name)


def _is_section_heading(line: Any, cells: dict[str, Any], columns: dict[int, str]) -> bool:
    """ "I. LĨNH VỰC HỘ TỊCH" across the table (the name cell merged into it), or alone in a row
    whose code cell does not hold a code and whose name cell is empty."""
    name_col = _col(columns, NAME)
    if name_col < len(line.sources) and line.sources[name_col] is not None:
        return True
    filled = [value for value in line.values if not sheet._is_empty(value)]
    code = sheet._text(cells.get(CODE)).replace(" ", "")
    return sheet._is_empty(cells.get(NAME)) and len(filled) <= 2 and not _CODE.match(code)


# --- Parsing ------------------------------------------------------------------------------------


def _lines(value: Any) -> list[str]:
    text = sheet._multiline(value)
    items = []
    for line in re.split(r"\n|;", text):
        item = _BULLET.sub("", line).strip()
        if item:
            items.append(item)
    return items


def parse_level(text: str) -> str | None:
    key = fold(text)
    if not key:
        return None
    if re.search(r"\b(xa|phuong|thi tran|commune|ward)\b", key):
        return Procedure.Level.COMMUNE
    if re.search(r"\b(tinh|thanh pho|province|city)\b", key):
        return Procedure.Level.PROVINCE
    if re.search(r"\b(bo|trung uong|co quan trung uong|ministry|central)\b", key):
        return Procedure.Level.MINISTRY
    return None


def parse_online_mode(text: str) -> str | None:
    """'Toàn trình' / 'Mức độ 4' → full; 'Một phần' / 'Mức độ 3' → partial; blank, 'Mức độ 2' → none."""
    key = fold(text)
    if not key or key in ("khong", "no", "none", "-"):
        return Procedure.OnlineMode.NONE
    if "toan trinh" in key or re.search(r"\b4\b", key) or key in ("full", "fully online"):
        return Procedure.OnlineMode.FULL
    if "mot phan" in key or re.search(r"\b3\b", key) or key in ("partial", "partly online"):
        return Procedure.OnlineMode.PARTIAL
    if re.search(r"\b[12]\b", key) or key == "dich vu cong truc tuyen":
        return Procedure.OnlineMode.NONE
    return None


def parse_fee(text: str) -> FeeRecord | None:
    """'50.000 đồng/lần (từ ngày 01/07/2025)' → 50000 from 1/7/2025; 'Miễn phí' → 0."""
    if not text:
        return None
    key = fold(text)
    amount: int | None = None
    found = _AMOUNT.search(text)
    if found:
        amount = int(re.sub(r"[.,]", "", found.group(1)))
    elif key.startswith(("mien", "khong", "0 ")) or key in ("0", "free"):
        amount = 0
    effective: dt.date | None = None
    date = _FROM_DATE.search(text)
    if date:
        try:
            effective = parse_date(date.group(1))
        except InvalidDate:
            effective = None
    return FeeRecord(amount=amount, description=sheet._text(text)[:500], effective_from=effective)


def parse_ways(text: str, mode: str) -> list[str]:
    key = fold(text)
    kinds: list[str] = []
    if "truc tuyen" in key or "online" in key or (not key and mode != Procedure.OnlineMode.NONE):
        kinds.append(SubmissionChannel.Kind.ONLINE)
    if "buu chinh" in key or "post" in key:
        kinds.append(SubmissionChannel.Kind.POST)
    if "truc tiep" in key or "in person" in key or not key:
        kinds.append(SubmissionChannel.Kind.IN_PERSON)
    return kinds


def parse_row(row: int, cells: dict[str, Any], fields: set[str], *, source: str) -> ParsedProcedure:
    parsed = ParsedProcedure(row=row, raw={name: sheet._text(value) for name, value in cells.items()})
    text = parsed.raw
    code = text.get(CODE, "").replace(" ", "")
    if not code:
        parsed.add("code_missing", _("The procedure code is missing."), field=CODE)
    elif not _CODE.match(code):
        parsed.add(
            "code_invalid", _("“%(value)s” is not a procedure code.") % {"value": text[CODE]}, field=CODE
        )
    name = text.get(NAME, "")
    if not name:
        parsed.add("name_missing", _("The procedure name is missing."), field=NAME)
    for key, limit in MAX_LENGTHS.items():
        if len(text.get(key, "")) > limit:
            parsed.add(
                "value_too_long",
                _("“%(value)s” is too long (at most %(limit)s characters).")
                % {"value": text[key][:40] + "…", "limit": limit},
                field=key,
            )
    level = parse_level(text.get(LEVEL, "")) if LEVEL in fields else Procedure.Level.COMMUNE
    if level is None:
        level = Procedure.Level.COMMUNE
        if text.get(LEVEL):
            parsed.add(
                "level_unknown",
                _("Level “%(value)s” is not one of: commune/ward, province, ministry.")
                % {"value": text[LEVEL]},
                field=LEVEL,
            )
    mode = parse_online_mode(text.get(MODE, ""))
    if mode is None:
        parsed.add(
            "online_mode_unknown",
            _("Online mode “%(value)s” is not one of: toàn trình (level 4), một phần (level 3), none.")
            % {"value": text[MODE]},
            field=MODE,
        )
        mode = Procedure.OnlineMode.NONE
    url = text.get(URL, "")
    if url and not url.startswith(("http://", "https://")):
        parsed.add("url_invalid", _("“%(value)s” is not a web address.") % {"value": url}, field=URL)
    if parsed.has_errors:
        return parsed
    channels: list[ChannelRecord] | None = None
    if fields & {FEE, TIME, WAYS}:
        fee = parse_fee(text.get(FEE, ""))
        channels = [
            ChannelRecord(kind=kind, processing_time=text.get(TIME, ""), fees=[fee] if fee else [])
            for kind in parse_ways(text.get(WAYS, ""), mode)
        ]
    parsed.record = ProcedureRecord(
        code=code,
        name=name,
        field=text.get(FIELD, ""),
        level=level,
        agency=text.get(AGENCY, ""),
        online_mode=mode,
        documents=_lines(cells.get(DOCUMENTS)),
        legal_basis=sheet._multiline(cells.get(LEGAL)),
        official_url=url,
        source=source,
        verified=False,
        aliases=[item for item in re.split(r"[,;\n]", text.get(ALIASES, "")) if item.strip()],
        channels=channels,
        given={MODEL_FIELDS[name] for name in fields if name in MODEL_FIELDS},
    )
    return parsed


def parse_table(table: ProcedureTable, *, source: str) -> list[ParsedProcedure]:
    """Every row parsed; a code twice in the file is an error on its second row."""
    parsed = [parse_row(row, cells, table.fields, source=source) for row, cells in table.rows]
    seen: dict[str, int] = {}
    for item in parsed:
        if item.record is None:
            continue
        first = seen.setdefault(item.record.code, item.row)
        if first != item.row:
            item.add(
                "duplicate_code_in_file",
                _("The code %(code)s is also on row %(other)s.") % {"code": item.record.code, "other": first},
                field=CODE,
            )
            item.record = None
    return parsed


__all__ = ["ImportFileError", "ParsedProcedure", "parse_date", "parse_table", "read_table"]
