"""The Word report: read back with python-docx, and opened as the recipient would (LibreOffice)."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document as read_docx

from xungkich.core.pdf import render_document
from xungkich.reports import figures as f
from xungkich.reports.docx import render_docx
from xungkich.reports.figures import FigureRow, from_rows
from xungkich.reports.report import ReportInput, period_text, report_document

D = dt.date(2026, 12, 7)


def december() -> ReportInput:
    rows = [
        FigureRow(D, 1, 10, f.SESSIONS, "", 1250),
        FigureRow(D, 1, 10, f.ACCOUNTS_CREATED, "", 480),
        FigureRow(D, 1, 10, f.ONLINE_SUBMISSIONS, "", 312),
        FigureRow(D, 1, 10, f.APPS_INSTALLED, "", 150),
        FigureRow(D, 1, 10, f.FIRST_ONLINE, "", 500),
        FigureRow(D, 1, 10, f.FAILED, "", 125),
        FigureRow(D, 1, 10, f.BY_FAILURE, "no_otp", 60),
        FigureRow(D, 1, 10, f.BY_FAILURE, "no_nfc", 40),
        FigureRow(D, 1, 10, f.BY_NEED, "account", 700),
        FigureRow(D, 1, 10, f.BY_NEED, "dossier", 550),
        FigureRow(D, 1, 10, f.BY_PROCEDURE, "1.004222 Đăng ký thường trú", 200),
        FigureRow(D, 1, 10, f.FOLLOWUPS_ANSWERED, "", 40),
        FigureRow(D, 1, 10, f.FOLLOWUPS_ALONE, "", 26),
        FigureRow(D, 1, 10, f.RATINGS, "", 100),
        FigureRow(D, 1, 10, f.RATING_POINTS, "", 462),
        FigureRow(D, 1, 10, f.SHIFTS, "", 44),
        FigureRow(D, 1, 10, f.SHIFTS_COVERED, "", 40),
        FigureRow(D, 1, 10, f.CHECK_INS, "", 120),
        FigureRow(D, 1, 10, f.VOLUNTEER_QUARTERS, "", 1866),
        FigureRow(D, 1, 10, f.NO_SHOWS, "", 3),
        FigureRow(D, 1, None, f.ACTIVITIES, "", 12),
        FigureRow(D, 1, None, f.PEOPLE_REACHED, "", 3200),
    ]
    return ReportInput(
        unit_name="Đoàn phường Hội An",
        parent_name="Thành đoàn Đà Nẵng",
        admin_unit_name="Phường Hội An",
        start=dt.date(2026, 12, 1),
        end=dt.date(2026, 12, 31),
        figures=from_rows(rows),
        point_names={10: "Trung tâm Phục vụ hành chính công phường Hội An"},
        issued_on=dt.date(2027, 1, 5),
        key_names={
            f.BY_NEED: {"account": "Tài khoản (VNeID hoặc cổng)", "dossier": "Nộp hồ sơ trực tuyến"},
            f.BY_FAILURE: {"no_otp": "Không nhận được mã OTP", "no_nfc": "Điện thoại không có NFC"},
        },
    )


FIGURES = [
    "Tổng số lượt người dân được hỗ trợ: 1.250 lượt",
    "tạo tài khoản định danh điện tử / tài khoản dịch vụ công: 480 lượt",
    "nộp hồ sơ trực tuyến: 312 hồ sơ",
    "lần đầu sử dụng dịch vụ công trực tuyến: 500 người (40%)",
    "không nhận được mã OTP (60); điện thoại không có NFC (40)",
    "65% người dân đã tự thực hiện",
    "hài lòng bình quân 4,62/5 điểm",
    "Số ca trực đã kết thúc: 44 ca; số ca đủ người: 40 ca (đạt 90,9%)",
    "tổng số giờ tình nguyện: 466,5 giờ",
    "Tổ chức 12 hoạt động tuyên truyền",
    "tiếp cận 3.200 lượt người dân",
]
HEADINGS = [
    "I. CÔNG TÁC TRIỂN KHAI",
    "II. KẾT QUẢ",
    "III. ĐÁNH GIÁ",
    "IV. PHƯƠNG HƯỚNG",
    "V. ĐỀ XUẤT, KIẾN NGHỊ",
]


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.append(cell.text)
    return "\n".join(parts)


def test_period_text():
    assert period_text(dt.date(2026, 12, 1), dt.date(2026, 12, 31)) == "tháng 12/2026"
    assert (
        period_text(dt.date(2026, 12, 1), dt.date(2026, 12, 14)) == "từ ngày 01/12/2026 đến ngày 14/12/2026"
    )


def test_the_docx_reads_back_with_header_blocks_figures_sections_and_format():
    document = read_docx(io.BytesIO(render_docx(report_document(december()))))
    text = all_text(document)
    header = document.tables[0]
    left, right = (cell.text for cell in header.rows[0].cells)
    assert left.splitlines() == ["THÀNH ĐOÀN ĐÀ NẴNG", "BCH ĐOÀN PHƯỜNG HỘI AN", "***", "Số:     -BC/ĐTN"]
    assert right.splitlines()[0] == "ĐOÀN TNCS HỒ CHÍ MINH"
    assert "Hội An, ngày 05 tháng 01 năm 2027" in right
    assert "BÁO CÁO" in text and "Kết quả hoạt động" in text and "tháng 12/2026" in text
    for figure in FIGURES:
        assert figure in text, figure
    positions = [text.index(heading) for heading in HEADINGS]
    assert positions == sorted(positions)
    assert "Nơi nhận:" in text and "- Ban Thường vụ Thành đoàn Đà Nẵng (b/c);" in text and "- Lưu VP." in text
    assert "TM. BAN THƯỜNG VỤ" in text and "BÍ THƯ" in text
    section = document.sections[0]
    sizes = (section.page_width, section.page_height, section.top_margin, section.bottom_margin)
    sizes += (section.left_margin, section.right_margin)
    assert [round(size.mm) for size in sizes] == [210, 297, 20, 20, 30, 20]
    runs = [run for paragraph in document.paragraphs for run in paragraph.runs if run.text.strip()]
    assert {run.font.name for run in runs} == {"Times New Roman"}
    body_sizes = {run.font.size.pt for run in runs}
    assert body_sizes <= {13.0, 14.0, 15.0, 12.0}
    # The prose is left for the unit to write: dotted lines under the assessment sections.
    assert text.count("…" * 20) >= 5


def test_the_pdf_has_the_same_figures():
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    content = render_document(report_document(december()))
    text = subprocess.run(
        [pdftotext, "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    flat = " ".join(text.split())
    assert "ĐOÀN TNCS HỒ CHÍ MINH" in flat and "Số: -BC/ĐTN" in flat
    assert "1.250 lượt" in flat and "466,5 giờ" in flat and "V. ĐỀ XUẤT, KIẾN NGHỊ" in flat


def test_libreoffice_opens_the_docx_as_the_recipient_would(tmp_path: Path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: cannot open the .docx as a recipient would")
    source = tmp_path / "bao-cao.docx"
    source.write_bytes(render_docx(report_document(december())))
    profile = tmp_path / "profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "txt:Text (encoded):UTF8",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        check=True,
        timeout=180,
    )
    text = (tmp_path / "bao-cao.txt").read_text(encoding="utf-8-sig")
    flat = " ".join(text.split())
    for expected in [
        "THÀNH ĐOÀN ĐÀ NẴNG",
        "BCH ĐOÀN PHƯỜNG HỘI AN",
        "ĐOÀN TNCS HỒ CHÍ MINH",
        "Số: -BC/ĐTN",
        "Hội An, ngày 05 tháng 01 năm 2027",
        "BÁO CÁO",
        "Nơi nhận:",
        *HEADINGS,
    ]:
        assert expected in flat, expected
    for figure in FIGURES:
        assert " ".join(figure.split()) in flat, figure
