"""Read the national list of commune-level administrative units (pure: no database access).

The statistics office publishes the list (Quyết định 19/2025/QĐ-TTg: two tiers, province and
commune/ward/special zone) as Excel or CSV. Headers vary between exports, title rows may stand
above them, and codes typed as numbers lose their leading zeros; this module copes with all
three and returns clean rows, or raises AdminListError with a message a person can act on.
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from xungkich.lib.vietnamese import clean_text, fold

WARD = "ward"
COMMUNE = "commune"
SPECIAL_ZONE = "special_zone"
KINDS = (WARD, COMMUNE, SPECIAL_ZONE)
# The official name of each kind of unit starts with this prefix.
PREFIXES = {WARD: "Phường", COMMUNE: "Xã", SPECIAL_ZONE: "Đặc khu"}

HEADER_SCAN_ROWS = 20

# The official list ships as one CSV per province, admin_units_<province code>.csv (data/README.md
# says where it comes from): a new install reads only its own province, and an update of one
# province touches one file.
SHIPPED_DIR = Path(__file__).resolve().parent / "data"

# Header text (folded: no diacritics, lower case, letters and digits only) -> field.
_HEADER_SYNONYMS: dict[str, str] = {
    **dict.fromkeys(("matp", "matinh", "matinhtp", "matinhthanhpho", "provincecode"), "province_code"),
    **dict.fromkeys(
        ("tinhthanhpho", "tinhtp", "tentinh", "tentp", "tentinhthanhpho", "tinh", "provincename"),
        "province_name",
    ),
    **dict.fromkeys(("maxp", "mapx", "maxa", "ma", "maxaphuong", "maphuongxa", "code"), "code"),
    **dict.fromkeys(("phuongxa", "xaphuong", "tenxa", "ten", "tenphuongxa", "tenxaphuong", "name"), "name"),
    **dict.fromkeys(("cap", "loai", "kind"), "kind"),
}
_REQUIRED = {
    "province_code": "Mã tỉnh",
    "province_name": "Tên tỉnh",
    "code": "Mã xã",
    "name": "Tên xã",
}
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_DIGITS = re.compile(r"\d+")

Cell = object
Row = Sequence[Cell]


class AdminListError(ValueError):
    """The file cannot be used as an administrative-unit list; the message says why (in Vietnamese)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class AdminUnitRow:
    province_code: str  # two digits, e.g. "48"
    province_name: str  # e.g. "Thành phố Đà Nẵng"
    code: str  # five digits, e.g. "20410"
    name: str  # full official name with its prefix, e.g. "Phường Hội An"
    kind: str  # one of KINDS


def shipped_list(province_code: str | int) -> Path:
    """The shipped CSV of one province ("48" or 48); AdminListError when none ships."""
    code = _code(province_code, 2, label="mã tỉnh") or ""
    path = SHIPPED_DIR / f"admin_units_{code}.csv"
    if not path.exists():
        raise AdminListError(f"Không có danh mục đơn vị hành chính đi kèm cho mã tỉnh «{code}».")
    return path


def shipped_provinces() -> list[tuple[str, str]]:
    """(code, name) of every province whose list ships, in code order (read from each file's first row)."""
    provinces = []
    for path in sorted(SHIPPED_DIR.glob("admin_units_*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            first = next(csv.DictReader(handle))
        provinces.append((first["province_code"], first["province_name"]))
    return provinces


def parse_official_list(
    path_or_bytes: str | os.PathLike[str] | bytes,
    filename: str | None = None,
    province: Iterable[str | int] | None = None,
) -> list[AdminUnitRow]:
    """Rows of the list in `path_or_bytes` (.xlsx or .csv, told by `filename`), sorted by code.

    `province`, when given, keeps only the units of those province codes ("48" or 48).
    """
    if filename is None:
        if isinstance(path_or_bytes, bytes):
            raise AdminListError("Cần tên tệp để biết định dạng (.xlsx hoặc .csv).")
        filename = os.fspath(path_or_bytes)
    data = path_or_bytes if isinstance(path_or_bytes, bytes) else Path(path_or_bytes).read_bytes()
    suffix = Path(filename).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(data)
    elif suffix == ".csv":
        rows = _csv_rows(data)
    else:
        raise AdminListError(
            f"Tệp «{Path(filename).name}» không được hỗ trợ: hãy dùng Excel (.xlsx) hoặc CSV (.csv)."
        )
    wanted = None if province is None else {_code(p, 2) or "" for p in province}
    return _parse_rows(rows, wanted)


def _xlsx_rows(data: bytes) -> list[tuple[int, Row]]:
    from openpyxl import load_workbook  # imported here: only Excel uploads need it

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise AdminListError("Không đọc được tệp Excel: tệp hỏng hoặc không phải định dạng .xlsx.") from exc
    try:
        sheets = [list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets]
    finally:
        workbook.close()
    # The first sheet with a header in its opening rows; else the first sheet (to report that).
    rows = next((rows for rows in sheets if _has_header(rows)), sheets[0] if sheets else [])
    return list(enumerate(rows, start=1))


def _csv_rows(data: bytes) -> list[tuple[int, Row]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AdminListError("Tệp CSV phải được lưu với mã hoá UTF-8.") from exc
    # Comma, else whichever of semicolon or tab makes a header appear.
    parsed = [list(csv.reader(io.StringIO(text), delimiter=d)) for d in (",", ";", "\t")]
    rows = next((rows for rows in parsed if _has_header(rows)), parsed[0])
    return list(enumerate(rows, start=1))


def _has_header(rows: Sequence[Row]) -> bool:
    return any(_header_fields(row) for row in rows[:HEADER_SCAN_ROWS])


def _header_fields(row: Row) -> dict[str, int] | None:
    """Field -> column index when `row` is a header row (it names at least a code and a name)."""
    fields: dict[str, int] = {}
    for index, cell in enumerate(row):
        field = _HEADER_SYNONYMS.get(_NOT_ALNUM.sub("", fold(cell)))
        if field and field not in fields:
            fields[field] = index
    return fields if "code" in fields and "name" in fields else None


def _parse_rows(rows: Iterable[tuple[int, Row]], wanted: set[str] | None) -> list[AdminUnitRow]:
    fields: dict[str, int] | None = None
    seen: dict[str, int] = {}
    result: list[AdminUnitRow] = []
    for number, row in rows:
        if fields is None:
            if number > HEADER_SCAN_ROWS:
                break
            fields = _header_fields(row)
            if fields is not None:
                missing = [label for field, label in _REQUIRED.items() if field not in fields]
                if missing:
                    raise AdminListError(f"Dòng {number}: dòng tiêu đề thiếu cột {', '.join(missing)}.")
            continue
        values = {field: (row[index] if index < len(row) else None) for field, index in fields.items()}
        if all(clean_text(v) == "" for v in row):
            continue
        province_code = _code(values["province_code"], 2, number, "mã tỉnh")
        if province_code is None:
            raise AdminListError(f"Dòng {number}: thiếu mã tỉnh.")
        if wanted is not None and province_code not in wanted:
            continue
        code = _code(values["code"], 5, number, "mã xã")
        if code is None:
            raise AdminListError(f"Dòng {number}: thiếu mã xã.")
        if code in seen:
            raise AdminListError(f"Dòng {number}: mã xã {code} trùng với dòng {seen[code]}.")
        seen[code] = number
        name, kind = _name_and_kind(values["name"], values.get("kind"), number)
        province_name = clean_text(values["province_name"])
        if not province_name:
            raise AdminListError(f"Dòng {number}: thiếu tên tỉnh.")
        result.append(AdminUnitRow(province_code, province_name, code, name, kind))
    if fields is None:
        raise AdminListError(
            f"Không tìm thấy dòng tiêu đề trong {HEADER_SCAN_ROWS} dòng đầu: cần các cột "
            "Mã tỉnh, Tên tỉnh, Mã xã, Tên xã (ví dụ «Mã TP», «Tỉnh / Thành Phố», «Mã XP», «Phường/Xã»)."
        )
    if not result:
        where = f" của tỉnh {', '.join(sorted(wanted))}" if wanted is not None else ""
        raise AdminListError(f"Tệp không có đơn vị hành chính nào{where}.")
    return sorted(result, key=lambda unit: unit.code)


def _code(value: object, width: int, number: int = 0, label: str = "mã") -> str | None:
    """`value` as a zero-padded code of `width` digits (4 -> "00004"); None when blank."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = clean_text(value)
    if not text:
        return None
    if not _DIGITS.fullmatch(text) or len(text.lstrip("0")) > width:
        where = f"Dòng {number}: " if number else ""
        raise AdminListError(f"{where}{label} «{text}» không hợp lệ (cần tối đa {width} chữ số).")
    return text.zfill(width)[-width:]


def _kind_of(text: str, *, is_name: bool) -> str | None:
    """The kind named by a "Cấp" value, or by the prefix of a unit's name ("Phường Hội An")."""
    key = fold(text)
    if not is_name and key in KINDS:
        return key
    for kind, prefix in PREFIXES.items():
        folded = fold(prefix)
        if key.startswith(folded + " ") or (not is_name and key == folded):
            return kind
    return None


def _name_and_kind(raw_name: object, raw_kind: object, number: int) -> tuple[str, str]:
    name = clean_text(raw_name)
    if not name:
        raise AdminListError(f"Dòng {number}: thiếu tên xã.")
    from_name = _kind_of(name, is_name=True)
    level = clean_text(raw_kind)
    from_level = _kind_of(level, is_name=False) if level else None
    if level and from_level is None and from_name is None:
        raise AdminListError(f"Dòng {number}: cấp «{level}» không rõ (cần Phường, Xã hoặc Đặc khu).")
    if from_level and from_name and from_level != from_name:
        raise AdminListError(f"Dòng {number}: cấp «{level}» không khớp với tên «{name}».")
    kind = from_level or from_name
    if kind is None:
        raise AdminListError(
            f"Dòng {number}: không xác định được cấp của «{name}» (tên cần bắt đầu bằng Phường, Xã "
            "hoặc Đặc khu, hoặc có cột Cấp)."
        )
    prefix = PREFIXES[kind]
    # The prefix as officially written ("phường Hội An" -> "Phường Hội An"), added when absent.
    return (prefix + name[len(prefix) :] if from_name else f"{prefix} {name}"), kind
