"""Volunteer lists built the way Youth Union units keep them, for the import tests."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import openpyxl

HEADER = [
    "STT",
    "Họ tên",
    "Ngày sinh",
    "Giới tính",
    "Chi đoàn",
    "Chức vụ",
    "SĐT",
    "Email",
    "Kỹ năng",
    "Ghi chú",
]
# Typed decomposed (NFD), with stray spaces: "Trần  Thị   Hoa".
NFD_NAME = "Tra\u0302\u0300n  Thi\u0323   Hoa "


def issue_rows() -> dict[int, list[Any]]:
    """Data rows by spreadsheet row number (the unit column E is merged over rows 5–9)."""
    return {
        5: [1, "Nguyễn Văn Bình", dt.datetime(2001, 3, 14), "Nam", "Chi đoàn Minh An", "Bí thư",
            "0905 123 457", "Binh.Nguyen@Example.com", "Tin học, VNeID", None],
        6: [2, NFD_NAME, "05/09/2001", "Nữ", None, "Đoàn viên", "0905.123.458", None,
            "VNeID; Hướng dẫn dịch vụ công", "Có xe máy"],
        # row 7 is blank, inside the merged unit cell
        8: [3, "Lê Minh Châu", dt.datetime(2000, 12, 1), "Nam", None, None, "+84905123459", None, None, None],
        9: [4, "Phạm Thu Dung", None, "Nu", None, None, 905123460, None, "Tin học", None],
        10: [5, "Võ Văn Em", dt.datetime(1999, 1, 20), "Nam", "Đoàn phường Hội An", "Phó Bí thư",
             "0905123461", None, None, None],
        11: [6, "Hoàng Thị Phương", "15/07/2002", "Nữ", "Chi đoàn Minh An", None, None, None, None,
             "Chưa có số điện thoại"],
    }  # fmt: skip


def workbook_bytes(
    rows: Mapping[int, Any],
    *,
    header: Sequence[str] = HEADER,
    header_row: int = 4,
    titles: bool = True,
    merges: Iterable[str] = (),
    footer_row: int | None = None,
) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Danh sách"
    if titles:
        sheet["A1"] = "ĐOÀN TNCS HỒ CHÍ MINH"
        sheet.merge_cells("A1:D1")
        sheet["A2"] = "DANH SÁCH ĐOÀN VIÊN THAM GIA ĐỘI HÌNH XUNG KÍCH"
        sheet.merge_cells("A2:J2")
    for col, name in enumerate(header, start=1):
        sheet.cell(header_row, col, name)
    for number, values in rows.items():
        for col, value in enumerate(values, start=1):
            if value is not None:
                sheet.cell(number, col, value)
    for cells in merges:
        sheet.merge_cells(cells)
    if footer_row is not None:
        sheet.cell(footer_row, 1, f"Tổng cộng: {len(rows)} đoàn viên")
        sheet.merge_cells(start_row=footer_row, start_column=1, end_row=footer_row, end_column=4)
        sheet.cell(footer_row + 2, 8, "BÍ THƯ")
        sheet.cell(footer_row + 5, 8, "Nguyễn Văn Trưởng")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def issue_workbook() -> bytes:
    """The list of the issue: title rows, synonyms, merged unit cells, every phone spelling, footer."""
    return workbook_bytes(issue_rows(), merges=["E5:E9"], footer_row=12)


def error_rows() -> dict[int, list[Any]]:
    """One problem per row from row 5 on (row 4 is fine)."""
    return {
        4: [
            1,
            "Nguyễn Văn An",
            "01/02/2001",
            "Nam",
            "Chi đoàn Minh An",
            None,
            "0905111222",
            None,
            None,
            None,
        ],
        5: [2, "Trần Văn Bảo", "02/03/2001", "Nam", "Chi đoàn Minh An", None, "0905 12", None, None, None],
        6: [3, None, "03/04/2001", "Nữ", "Chi đoàn Minh An", None, "0905111333", None, None, None],
        7: [4, "Lê Thị Cúc", "31/02/2001", "Nữ", "Chi đoàn Minh An", None, "0905111444", None, None, None],
        8: [
            5,
            "Phạm Văn Duy",
            "04/05/2001",
            "Nam",
            "Chi đoàn Minh An",
            None,
            "0905 111 222",
            None,
            None,
            None,
        ],
        9: [6, "Võ Thị Én", "05/06/2001", "Nữ", "Chi đoàn Không Có", None, "0905111555", None, None, None],
    }


def error_workbook() -> bytes:
    return workbook_bytes(error_rows(), header_row=3, titles=False)


def _with_member(workbook: bytes, name: str, content: bytes) -> bytes:
    """``workbook`` with the zip member ``name`` replaced (or added) by ``content``."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info, source.read(info.filename))
        target.writestr(name, content)
    return out.getvalue()


def long_sheet_workbook(rows: int) -> bytes:
    """A real workbook (header + ``rows`` volunteers); its sheet is written as XML directly, fast."""
    cells = "".join(
        f'<c r="{chr(65 + col)}1" t="inlineStr"><is><t>{name}</t></is></c>'
        for col, name in enumerate(HEADER[:7])
    )
    lines = [f'<row r="1">{cells}</row>']
    for number in range(2, rows + 2):
        lines.append(
            f'<row r="{number}"><c r="A{number}"><v>{number - 1}</v></c>'
            f'<c r="B{number}" t="inlineStr"><is><t>Nguyễn Văn {number}</t></is></c>'
            f'<c r="G{number}" t="inlineStr"><is><t>09{number:08d}</t></is></c></row>'
        )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + "".join(lines)
        + "</sheetData></worksheet>"
    )
    return _with_member(
        workbook_bytes({}, titles=False, header_row=1), "xl/worksheets/sheet1.xml", sheet.encode()
    )


def padded_workbook(padding: int) -> bytes:
    """The issue list with a zip member of ``padding`` zero bytes: a tiny file that unpacks huge."""
    return _with_member(issue_workbook(), "xl/media/padding.bin", bytes(padding))
