"""The Youth Union document helper: pure, plain data in, PDF bytes out (no database)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

from xungkich.core.pdf import (
    Document,
    DocumentHeader,
    Paragraph,
    Signature,
    Table,
    date_line,
    render_document,
    render_qr_poster,
    vn_number,
)

PDFTOTEXT = "/usr/bin/pdftotext"
MM = 72 / 25.4  # points per millimetre


def needs_pdftotext() -> None:
    if not Path(PDFTOTEXT).exists() and not shutil.which("pdftotext"):
        print("skipping: pdftotext (poppler-utils) is not installed")
        pytest.skip("pdftotext (poppler-utils) is not installed")


def pdf_text(content: bytes, tmp_path: Path, *, page: int | None = None) -> str:
    needs_pdftotext()
    source = tmp_path / "doc.pdf"
    source.write_bytes(content)
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(
        [shutil.which("pdftotext") or PDFTOTEXT, "-layout", *pages, str(source), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


Box = tuple[float, float, float, float, str]


def word_boxes(content: bytes, tmp_path: Path, *, page: int = 1) -> list[Box]:
    needs_pdftotext()
    source = tmp_path / "doc.pdf"
    source.write_bytes(content)
    html = subprocess.run(
        [shutil.which("pdftotext") or PDFTOTEXT, "-bbox", "-f", str(page), "-l", str(page), str(source), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pattern = re.compile(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
    return [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in pattern.findall(html)]


def media_boxes(content: bytes) -> list[tuple[float, ...]]:
    found = re.findall(rb"/MediaBox\s*\[\s*([\d.\s]+)\]", content)
    return [tuple(float(x) for x in box.split()) for box in found]


def sample(rows: int = 3, **changes: object) -> Document:
    document = Document(
        header=DocumentHeader(
            superior="Thành đoàn Đà Nẵng",
            issuer="BCH Đoàn phường Hội An",
            number="12-BC/ĐTN",
            place="Hội An",
            date=dt.date(2026, 3, 5),
        ),
        title="Báo cáo kết quả",
        subtitle="Tháng hỗ trợ dịch vụ công trực tuyến",
        blocks=[
            Paragraph("Thực hiện Kế hoạch số 05-KH/ĐTN, Ban Thường vụ Đoàn phường báo cáo như sau:"),
            Paragraph([("B", "I. Công tác triển khai")], indent=False),
            Table(
                headings=["STT", "Nội dung", "Số lượng"],
                rows=[[str(i), f"Hoạt động số {i}", str(i * 10)] for i in range(1, rows + 1)],
                widths=[12, 100, 30],
                aligns=["C", "L", "R"],
                footer=[("Tổng cộng", 2), (str(sum(i * 10 for i in range(1, rows + 1))), 1)],
            ),
        ],
        signature=Signature(name="Nguyễn Thị Bí Thư"),
        recipients=["- Thành đoàn (để b/c);", "- Lưu VP."],
    )
    return Document(**{**document.__dict__, **changes})


def test_it_is_an_a4_pdf():
    content = render_document(sample())
    assert content.startswith(b"%PDF")
    boxes = media_boxes(content)
    assert boxes
    for box in boxes:
        assert box[2] == pytest.approx(595.28, abs=1)
        assert box[3] == pytest.approx(841.89, abs=1)


def test_it_has_the_header_blocks_title_body_signature_and_recipients(tmp_path):
    text = pdf_text(render_document(sample()), tmp_path)
    for expected in [
        "THÀNH ĐOÀN ĐÀ NẴNG",
        "BCH ĐOÀN PHƯỜNG HỘI AN",
        "***",
        "Số: 12-BC/ĐTN",
        "ĐOÀN TNCS HỒ CHÍ MINH",
        "Hội An, ngày 05 tháng 3 năm 2026",
        "BÁO CÁO KẾT QUẢ",
        "Tháng hỗ trợ dịch vụ công trực tuyến",
        "Thực hiện Kế hoạch số 05-KH/ĐTN",
        "I. Công tác triển khai",
        "Tổng cộng",
        "60",
        "TM. BAN THƯỜNG VỤ",
        "BÍ THƯ",
        "Nguyễn Thị Bí Thư",
        "Nơi nhận:",
        "- Lưu VP.",
    ]:
        assert expected in text, expected


def test_the_union_name_is_top_right_and_the_issuer_top_left(tmp_path):
    words = word_boxes(render_document(sample()), tmp_path)
    union = next(w for w in words if w[4] == "TNCS")
    issuer = next(w for w in words if w[4] == "PHƯỜNG")
    assert union[0] > 105 * MM > issuer[2]  # right column / left column (30 + 74 mm)
    assert union[1] == pytest.approx(issuer[1] - 18, abs=4)  # both start at the top margin's first line
    nơi_nhận = next(w for w in words if w[4] == "Nơi")
    tm = next(w for w in words if w[4] == "TM.")
    assert nơi_nhận[0] < 35 * MM < tm[0]
    assert nơi_nhận[1] == pytest.approx(tm[1], abs=6)


def test_the_margins_are_those_of_the_guide(tmp_path):
    # Enough rows to fill the first page: its words then reach every margin.
    content = render_document(sample(rows=60))
    words = word_boxes(content, tmp_path, page=1)
    left = min(w[0] for w in words)
    right = max(w[2] for w in words)
    top = min(w[1] for w in words)
    bottom = max(w[3] for w in words)
    assert left == pytest.approx(30 * MM, abs=0.6 * MM)  # justified body lines start at 30 mm
    assert right <= (210 - 20) * MM + 0.5
    assert right == pytest.approx((210 - 20) * MM, abs=3 * MM)
    assert top >= 20 * MM - 1
    assert bottom <= (297 - 20) * MM + 1


def test_long_tables_flow_onto_more_pages_with_headings_and_page_numbers(tmp_path):
    content = render_document(sample(rows=60))
    second = pdf_text(content, tmp_path, page=2)
    assert re.search(r"^\s*2\s*$", second, re.MULTILINE)  # page number, top centre
    assert "Nội dung" in second  # the headings repeat
    assert "Hoạt động số" in second
    everything = pdf_text(content, tmp_path)
    assert "Hoạt động số 60" in everything
    assert everything.index("TM. BAN THƯỜNG VỤ") > everything.index("Hoạt động số 60")  # closing comes last


def test_decomposed_input_comes_out_composed(tmp_path):
    decomposed = unicodedata.normalize("NFD", "Đồng chí Nguyễn Thị Ánh Tuyết")
    text = pdf_text(render_document(sample(blocks=[Paragraph(decomposed)])), tmp_path)
    assert "Đồng chí Nguyễn Thị Ánh Tuyết" in unicodedata.normalize("NFC", text)


def test_a_blank_signature_name_leaves_a_line_and_no_superior_is_fine(tmp_path):
    document = sample(
        header=DocumentHeader(superior="", issuer="Thành đoàn Đà Nẵng", number="", place="Đà Nẵng"),
        signature=Signature(),
    )
    text = pdf_text(render_document(document), tmp_path)
    assert "THÀNH ĐOÀN ĐÀ NẴNG" in text
    assert "Đà Nẵng, ngày ..... tháng ..... năm 20...." in text
    assert "......" in text


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (dt.date(2026, 3, 5), "Hội An, ngày 05 tháng 3 năm 2026"),
        (dt.date(2026, 2, 14), "Hội An, ngày 14 tháng 02 năm 2026"),
        (dt.date(2026, 1, 1), "Hội An, ngày 01 tháng 01 năm 2026"),
        (dt.date(2026, 12, 31), "Hội An, ngày 31 tháng 12 năm 2026"),
    ],
)
def test_date_line(date, expected):
    assert date_line("Hội An", date) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("46.50"), "46,5"),
        (Decimal("4.00"), "4"),
        (Decimal("3.75"), "3,75"),
        (Decimal("0"), "0"),
        (1250, "1.250"),
        (Decimal("1234.25"), "1.234,25"),
        (Decimal("40"), "40"),
    ],
)
def test_vn_number(value, expected):
    assert vn_number(value) == expected


def test_qr_poster_is_an_a4_pdf_with_the_image_and_text(tmp_path):
    import segno

    buffer = __import__("io").BytesIO()
    segno.make("https://example.org/rosters/checkin/abc/").save(buffer, kind="png", scale=10)
    long_url = "https://xungkich.example.vn/rosters/checkin/" + "x" * 43 + "/"
    content = render_qr_poster(
        title="Quét mã để điểm danh", lines=["Trung tâm Hội An"], qr_png=buffer.getvalue(), footer=long_url
    )
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", content)) == 1  # one sheet, even with a long URL
    assert content.startswith(b"%PDF")
    assert b"/Subtype /Image" in content
    assert media_boxes(content)[0][2:] == pytest.approx((595.28, 841.89), abs=1)
    text = pdf_text(content, tmp_path)
    assert "Quét mã để điểm danh" in text
    assert "Trung tâm Hội An" in text
