"""The SVG chart, the scanned-text parser and the attendance workbook (no database)."""

from __future__ import annotations

import datetime as dt
import io
import xml.etree.ElementTree as ET

import openpyxl
from django.utils import translation

from xungkich.campaigns.charts import Bar, bar_chart_svg
from xungkich.campaigns.exports import AttendanceRow, attendance_workbook
from xungkich.campaigns.services import parse_scanned


def test_bars_are_proportional_capped_and_escaped():
    svg = bar_chart_svg(
        [Bar("Người dân <được> hỗ trợ", 30, 120), Bar("Băng rôn", 50, 40), Bar("Không mục tiêu", 7, 0)],
        title="Tiến độ & mục tiêu",
    )
    root = ET.fromstring(svg)  # noqa: S314 — our own output; well-formed only if the labels were escaped
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img"
    assert root.find(f"{ns}title").text == "Tiến độ & mục tiêu"
    bars = [rect for rect in root.iter(f"{ns}rect") if rect.get("class") == "bar"]
    assert [bar.get("width") for bar in bars] == ["80.0", "320.0", "0.0"]
    assert [bar.get("data-percent") for bar in bars] == ["25", "125", "0"]
    texts = [text.text for text in root.iter(f"{ns}text")]
    assert texts[0] == "Người dân <được> hỗ trợ: 30 / 120 (25%)"
    assert texts[2] == "Không mục tiêu: 7"


def test_scanned_text_gives_the_token():
    assert parse_scanned("https://xk.example/e/t/AbC-12_x/") == "AbC-12_x"
    assert parse_scanned("/e/t/AbC-12_x/") == "AbC-12_x"
    assert parse_scanned("  k7m3qa ") == "k7m3qa"
    assert parse_scanned("") == ""


def test_attendance_workbook_has_headers_and_dates():
    with translation.override("en"):
        content = attendance_workbook(
            title="Diễu hành xe đạp",
            event_day=dt.date(2027, 10, 10),
            rows=[
                AttendanceRow(
                    "Nguyễn Văn An",
                    "Chi đoàn Minh An",
                    "0905 123 456",
                    "Đã xác nhận",
                    dt.date(2027, 10, 1),
                    dt.datetime(2027, 10, 10, 6, 20),
                ),
                AttendanceRow(
                    "Lê Thị Bé", "Khác", "0905 123 457", "Danh sách chờ", dt.date(2027, 10, 2), None
                ),
            ],
        )
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet["A1"].value == "Diễu hành xe đạp"
    assert sheet["B2"].number_format == "dd/mm/yyyy"
    header = [cell.value for cell in sheet[4]]
    assert header == ["No.", "Full name", "Unit", "Phone", "Status", "Registered on", "Checked in at"]
    assert sheet["A4"].font.bold
    assert sheet["B5"].value == "Nguyễn Văn An"
    assert sheet["F5"].value == dt.datetime(2027, 10, 1)
    assert sheet["F5"].number_format == "dd/mm/yyyy"
    assert sheet["G6"].value is None
    assert sheet.freeze_panes == "A5"


def test_attendance_headers_follow_the_language():
    with translation.override("vi"):
        content = attendance_workbook(title="x", event_day=dt.date(2027, 10, 10), rows=[])
    header = [cell.value for cell in openpyxl.load_workbook(io.BytesIO(content)).active[4]]
    assert header[1] == "Họ và tên"
    assert header[6] == "Giờ check-in"
