"""Procedure lists exported from the national database, for the import tests."""

from __future__ import annotations

import io
from typing import Any

import openpyxl

HEADER = [
    "STT", "Mã thủ tục", "Tên thủ tục", "Lĩnh vực", "Cấp thực hiện", "Cơ quan thực hiện",
    "Mức độ DVCTT", "Cách thức thực hiện", "Phí, lệ phí", "Thời hạn giải quyết", "Thành phần hồ sơ",
]  # fmt: skip

ROWS: list[list[Any]] = [
    [1, "1.001193", "Đăng ký khai sinh", "Hộ tịch", "Cấp Xã", "UBND cấp xã", "Một phần",
     "Trực tiếp; Trực tuyến; Bưu chính", "Miễn lệ phí", "Trong ngày",
     "- Tờ khai đăng ký khai sinh\n- Giấy chứng sinh"],
    [2, "1.013978.H36", "Thủ tục thử nghiệm của tỉnh", "Hộ tịch", "Cấp Tỉnh", "Sở Tư pháp", "Toàn trình",
     "Trực tuyến", "50.000 đồng (từ ngày 01/07/2025)", "05 ngày làm việc", "Tờ khai"],
    [3, "2.000200", "Cấp thẻ căn cước cho người từ đủ 14 tuổi", "Căn cước", "Cấp Xã", "Công an cấp xã",
     "Mức độ 3", "Trực tiếp", "Miễn phí", "07 ngày làm việc", None],
]  # fmt: skip


def workbook(rows: list[list[Any]] | None = None, *, header: list[str] | None = None) -> bytes:
    """Two title rows (one merged across), a blank row, the header, a "(1) (2) ..." row, a section
    heading merged across the table, the rows, a footer."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Danh mục"
    header = header or HEADER
    sheet.append(["ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ NẴNG"])
    sheet.append(["DANH MỤC THỦ TỤC HÀNH CHÍNH (xuất từ Cơ sở dữ liệu quốc gia)"])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(header))
    sheet.append([])
    sheet.append(header)
    sheet.append([f"({i})" for i in range(1, len(header) + 1)])
    sheet.append(["I", "LĨNH VỰC HỘ TỊCH"])
    sheet.merge_cells(start_row=6, start_column=2, end_row=6, end_column=len(header))
    for row in rows if rows is not None else ROWS:
        sheet.append(row)
    sheet.append([])
    sheet.append(["Tổng cộng: 3 thủ tục"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
