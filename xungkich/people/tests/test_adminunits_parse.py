"""The official-list parser (pure, no database) and the shipped list of Đà Nẵng's units.

The shipped list follows the official list of administrative units (Quyết định 19/2025/QĐ-TTg,
national statistics office list).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

import pytest
from openpyxl import Workbook

from xungkich.people.adminunits import (
    PREFIXES,
    AdminListError,
    AdminUnitRow,
    parse_official_list,
)

DATA_CSV = Path(__file__).resolve().parent.parent / "data" / "admin_units_48.csv"
DN = "Thành phố Đà Nẵng"


def xlsx_bytes(*rows: tuple[object, ...], sheets: int = 1) -> bytes:
    """An .xlsx whose last sheet holds `rows` (earlier sheets, if any, hold unrelated text)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for index in range(sheets - 1):
        sheet.append(("Ghi chú", f"trang {index + 1}"))
        sheet = workbook.create_sheet()
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(text: str, *, bom: bool = False) -> bytes:
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


NSO_HEADER = ("Mã TP", "Tỉnh / Thành Phố", "Mã XP", "Phường/Xã", "Cấp")


# --- reading Excel -------------------------------------------------------------------------------


def test_xlsx_with_title_rows_and_lost_leading_zeros(tmp_path: Path) -> None:
    path = tmp_path / "danh_muc.xlsx"
    path.write_bytes(
        xlsx_bytes(
            ("DANH MỤC ĐƠN VỊ HÀNH CHÍNH VIỆT NAM",),
            ("Ngày 01/07/2025",),
            (),
            NSO_HEADER,
            (1, "Thành phố Hà Nội", 4, "Phường Ba Đình", "Phường"),
            (48, "Thành phố Đà Nẵng", 20410, "Phường Hội An", "Phường"),
            (48.0, "Thành phố Đà Nẵng", 20434.0, "Xã Tân Hiệp", "Xã"),
        )
    )
    rows = parse_official_list(path, "danh_muc.xlsx")
    assert rows == [
        AdminUnitRow("01", "Thành phố Hà Nội", "00004", "Phường Ba Đình", "ward"),
        AdminUnitRow("48", DN, "20410", "Phường Hội An", "ward"),
        AdminUnitRow("48", DN, "20434", "Xã Tân Hiệp", "commune"),
    ]


def test_xlsx_from_bytes_filename_from_path_and_sheet_choice(tmp_path: Path) -> None:
    data = xlsx_bytes(NSO_HEADER, ("48", DN, "20333", "Đặc khu Hoàng Sa", "Đặc khu"), sheets=2)
    assert parse_official_list(data, "LIST.XLSX")[0].kind == "special_zone"
    path = tmp_path / "list.xlsx"
    path.write_bytes(data)
    assert parse_official_list(path)[0].code == "20333"
    assert parse_official_list(str(path))[0].name == "Đặc khu Hoàng Sa"


def test_xlsx_text_is_nfc_with_collapsed_spaces() -> None:
    decomposed = unicodedata.normalize("NFD", "Phường  Hội An\u00a0Đông ")
    rows = parse_official_list(
        xlsx_bytes(NSO_HEADER, (" 48 ", " Thành phố\tĐà Nẵng", " 20413", decomposed, " Phường ")), "a.xlsx"
    )
    assert rows == [AdminUnitRow("48", DN, "20413", "Phường Hội An Đông", "ward")]
    assert unicodedata.is_normalized("NFC", rows[0].name)


def test_corrupt_xlsx_is_reported() -> None:
    with pytest.raises(AdminListError, match="Excel"):
        parse_official_list(b"not a zip file", "a.xlsx")


# --- reading CSV ---------------------------------------------------------------------------------


@pytest.mark.parametrize("bom", [False, True])
def test_csv_with_and_without_bom(bom: bool) -> None:
    text = "Mã tỉnh,Tên tỉnh,Mã xã,Tên xã,Loại\n48,Thành phố Đà Nẵng,20401,Phường Hội An Tây,Phường\n"
    rows = parse_official_list(csv_bytes(text, bom=bom), "x.csv")
    assert rows == [AdminUnitRow("48", DN, "20401", "Phường Hội An Tây", "ward")]


def test_csv_semicolon_title_rows_and_short_codes() -> None:
    text = (
        "Danh mục đơn vị hành chính;;;\n"
        ";;;\n"
        "Mã tỉnh;Tên tỉnh;Mã;Tên\n"
        "1;Thành phố Hà Nội;4;Phường Ba Đình\n"
        '48;"Thành phố Đà Nẵng";20410;Phường Hội An\n'
    )
    rows = parse_official_list(csv_bytes(text), "x.csv")
    assert [(r.province_code, r.code, r.kind) for r in rows] == [
        ("01", "00004", "ward"),
        ("48", "20410", "ward"),
    ]


def test_csv_written_by_the_project_reads_back() -> None:
    text = f"province_code,province_name,code,name,kind\n48,{DN},20333,Đặc khu Hoàng Sa,special_zone\n"
    assert parse_official_list(csv_bytes(text), "x.csv")[0].kind == "special_zone"


@pytest.mark.parametrize(
    ("header", "row"),
    [
        ("Mã TP,Tỉnh / Thành Phố,Mã XP,Phường/Xã", f"48,{DN},20434,Xã Tân Hiệp"),
        ("Mã tỉnh,Tên tỉnh,Mã xã,Tên xã", f"48,{DN},20434,Xã Tân Hiệp"),
        ("MÃ TỈNH,TỈNH THÀNH PHỐ,MÃ,TÊN", f"48,{DN},20434,Xã Tân Hiệp"),
        ("Ma TP,Tinh/Thanh pho,Ma PX,Phuong Xa,Ten tieng Anh", f"48,{DN},20434,Xã Tân Hiệp,Tan Hiep"),
        ("Tên,Mã,STT,Tên tỉnh,Mã tỉnh", f"Xã Tân Hiệp,20434,7,{DN},48"),
    ],
)
def test_header_synonyms(header: str, row: str) -> None:
    rows = parse_official_list(csv_bytes(f"{header}\n{row}\n"), "x.csv")
    assert rows == [AdminUnitRow("48", DN, "20434", "Xã Tân Hiệp", "commune")]


# --- kind -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "level", "expected_name", "expected_kind"),
    [
        ("Phường Hội An", "", "Phường Hội An", "ward"),
        ("Xã Tân Hiệp", "", "Xã Tân Hiệp", "commune"),
        ("Đặc khu Hoàng Sa", "", "Đặc khu Hoàng Sa", "special_zone"),
        ("phường Hội An", "", "Phường Hội An", "ward"),  # prefix written as officially
        ("Hội An", "Phường", "Phường Hội An", "ward"),  # prefix added from Cấp
        ("Tân Hiệp", "xã", "Xã Tân Hiệp", "commune"),
        ("Hoàng Sa", "Đặc khu", "Đặc khu Hoàng Sa", "special_zone"),
        ("Xã Tân Hiệp", "Xã", "Xã Tân Hiệp", "commune"),
        ("Xã Tân Hiệp", "Cấp xã khác", "Xã Tân Hiệp", "commune"),  # unknown Cấp, prefix decides
        ("Xuân Phú", "Xã", "Xã Xuân Phú", "commune"),  # "Xuân" is not the prefix "Xã"
    ],
)
def test_kind_from_level_or_prefix(name: str, level: str, expected_name: str, expected_kind: str) -> None:
    text = f"Mã TP,Tỉnh / Thành Phố,Mã XP,Phường/Xã,Cấp\n48,{DN},20434,{name},{level}\n"
    [row] = parse_official_list(csv_bytes(text), "x.csv")
    assert (row.name, row.kind) == (expected_name, expected_kind)


# --- province filter ------------------------------------------------------------------------------


def test_province_filter_accepts_codes_with_or_without_zero() -> None:
    data = xlsx_bytes(
        NSO_HEADER,
        (1, "Thành phố Hà Nội", 4, "Phường Ba Đình", "Phường"),
        (48, DN, 20410, "Phường Hội An", "Phường"),
        (46, "Thành phố Huế", 19753, "Phường Thuận Hóa", "Phường"),
    )
    assert [r.code for r in parse_official_list(data, "a.xlsx", province=["48"])] == ["20410"]
    assert [r.code for r in parse_official_list(data, "a.xlsx", province=[1, "48"])] == ["00004", "20410"]


def test_province_filter_skips_other_provinces_broken_rows() -> None:
    data = xlsx_bytes(
        NSO_HEADER, (1, "Thành phố Hà Nội", None, "Phường Ba Đình"), (48, DN, 20410, "Phường Hội An")
    )
    assert len(parse_official_list(data, "a.xlsx", province=["48"])) == 1


def test_province_filter_without_match_is_an_error() -> None:
    data = xlsx_bytes(NSO_HEADER, (1, "Thành phố Hà Nội", 4, "Phường Ba Đình", "Phường"))
    with pytest.raises(AdminListError, match="tỉnh 48"):
        parse_official_list(data, "a.xlsx", province=["48"])


# --- errors ---------------------------------------------------------------------------------------


def error_for(*rows: tuple[object, ...], province: list[str] | None = None) -> str:
    with pytest.raises(AdminListError) as caught:
        parse_official_list(xlsx_bytes(*rows), "a.xlsx", province=province)
    assert caught.value.message == str(caught.value)
    return caught.value.message


def test_missing_header() -> None:
    message = error_for(("Danh mục",), (48, DN, 20410, "Phường Hội An"))
    assert "tiêu đề" in message


def test_header_below_the_scanned_rows_is_not_found() -> None:
    message = error_for(*[("ghi chú",)] * 20, NSO_HEADER, (48, DN, 20410, "Phường Hội An"))
    assert "20 dòng đầu" in message


def test_header_missing_province_columns() -> None:
    message = error_for(("Mã", "Tên"), (20410, "Phường Hội An"))
    assert message.startswith("Dòng 1:")
    assert "Mã tỉnh" in message
    assert "Tên tỉnh" in message


def test_empty_list() -> None:
    assert "không có đơn vị" in error_for(NSO_HEADER, ())


def test_missing_code() -> None:
    assert error_for(("Tiêu đề",), NSO_HEADER, (48, DN, None, "Phường Hội An")) == "Dòng 3: thiếu mã xã."


def test_missing_province_code() -> None:
    assert error_for(NSO_HEADER, (None, DN, 20410, "Phường Hội An")) == "Dòng 2: thiếu mã tỉnh."


def test_missing_province_name() -> None:
    assert error_for(NSO_HEADER, (48, " ", 20410, "Phường Hội An")) == "Dòng 2: thiếu tên tỉnh."


def test_missing_name() -> None:
    assert error_for(NSO_HEADER, (48, DN, 20410, None)) == "Dòng 2: thiếu tên xã."


def test_duplicate_code() -> None:
    message = error_for(
        NSO_HEADER,
        (48, DN, 20410, "Phường Hội An"),
        (),
        (48, DN, "20410", "Phường Hội An Đông"),
    )
    assert message == "Dòng 4: mã xã 20410 trùng với dòng 2."


def test_duplicate_after_lost_zeros() -> None:
    message = error_for(
        NSO_HEADER, (1, "Thành phố Hà Nội", 4, "Phường Ba Đình"), (1, "Thành phố Hà Nội", "00004", "Phường X")
    )
    assert "00004" in message


@pytest.mark.parametrize(
    ("code", "province"), [("2041O", 48), ("204100", 48), ("20410", "4x8"), ("20410", 480)]
)
def test_invalid_codes(code: str, province: object) -> None:
    message = error_for(NSO_HEADER, (province, DN, code, "Phường Hội An"))
    assert message.startswith("Dòng 2:")
    assert "không hợp lệ" in message


def test_unknown_kind() -> None:
    message = error_for(NSO_HEADER, (48, DN, 20410, "Hội An", "Thị trấn"))
    assert message.startswith("Dòng 2:")
    assert "Thị trấn" in message


def test_no_kind_at_all() -> None:
    message = error_for(NSO_HEADER[:4], (48, DN, 20410, "Hội An"))
    assert message.startswith("Dòng 2:")
    assert "không xác định được cấp" in message


def test_level_contradicts_name() -> None:
    message = error_for(NSO_HEADER, (48, DN, 20434, "Xã Tân Hiệp", "Phường"))
    assert message == "Dòng 2: cấp «Phường» không khớp với tên «Xã Tân Hiệp»."


def test_invalid_province_filter() -> None:
    assert "không hợp lệ" in error_for(NSO_HEADER, (48, DN, 20410, "Phường Hội An"), province=["abc"])


def test_unsupported_file_types() -> None:
    with pytest.raises(AdminListError, match="xlsx"):
        parse_official_list(b"", "list.xls")
    with pytest.raises(AdminListError, match="tên tệp"):
        parse_official_list(b"")


def test_csv_not_utf8() -> None:
    with pytest.raises(AdminListError, match="UTF-8"):
        parse_official_list("Mã,Tên\n1,Xã Tân Hiệp\n".encode("cp1252", errors="replace"), "x.csv")


# --- the shipped list -----------------------------------------------------------------------------


def shipped_rows() -> list[dict[str, str]]:
    with DATA_CSV.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ["province_code", "province_name", "code", "name", "kind"]
        return list(reader)


def test_shipped_list_has_the_94_units_of_da_nang() -> None:
    rows = shipped_rows()
    codes = [row["code"] for row in rows]
    assert len(rows) == 94
    assert len(set(codes)) == 94
    assert codes == sorted(codes)
    assert all(len(code) == 5 and code.isdigit() for code in codes)
    assert {(row["province_code"], row["province_name"]) for row in rows} == {("48", DN)}
    by_code = {row["code"]: row["name"] for row in rows}
    assert by_code["20410"] == "Phường Hội An"
    assert by_code["20413"] == "Phường Hội An Đông"
    assert by_code["20401"] == "Phường Hội An Tây"
    assert by_code["20434"] == "Xã Tân Hiệp"
    kinds = [row["kind"] for row in rows]
    assert (kinds.count("ward"), kinds.count("commune"), kinds.count("special_zone")) == (23, 70, 1)


def test_shipped_names_are_nfc_and_prefixed_by_kind() -> None:
    raw = DATA_CSV.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert unicodedata.is_normalized("NFC", raw.decode("utf-8"))
    for row in shipped_rows():
        assert row["name"].startswith(PREFIXES[row["kind"]] + " "), row
        assert row["name"] == " ".join(row["name"].split()), row


def test_shipped_list_reads_through_the_parser() -> None:
    rows = parse_official_list(DATA_CSV, province=["48"])
    assert [(r.code, r.name, r.kind) for r in rows] == [
        (row["code"], row["name"], row["kind"]) for row in shipped_rows()
    ]


def test_the_shipped_lists_hold_the_34_provinces_and_3321_communes():
    """Quyết định 19/2025/QĐ-TTg: 34 provinces; 3,321 units (2,621 communes, 687 wards, 13 special zones)."""
    from collections import Counter

    from xungkich.people.adminunits import shipped_list, shipped_provinces

    provinces = shipped_provinces()
    assert len(provinces) == 34
    assert ("01", "Thành phố Hà Nội") in provinces and ("46", "Thành phố Huế") in provinces
    rows = [row for code, _ in provinces for row in parse_official_list(shipped_list(code))]
    assert len(rows) == len({row.code for row in rows}) == 3321
    assert Counter(row.kind for row in rows) == {"commune": 2621, "ward": 687, "special_zone": 13}
    assert {row.province_code for row in rows} == {code for code, _ in provinces}
    assert all(unicodedata.is_normalized("NFC", row.name + row.province_name) for row in rows)
    assert shipped_list(48) == DATA_CSV
