"""Handout and poster PDFs: Vietnamese survives (pdftotext), the QR code is there, sizes are right."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from PIL import Image

from xungkich.guides.content import GuideContent, load_seed_files
from xungkich.guides.printables import Handout, Poster, qr_png, render_handout, render_poster

TITLE = "Cài ứng dụng VNeID và đăng ký tài khoản mức 1"


def pdf_text(data: bytes, tmp_path) -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: cannot extract the PDF's text")
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return subprocess.run([exe, "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def page_sizes(data: bytes, tmp_path) -> list[tuple[float, float]]:
    exe = shutil.which("pdfinfo")
    if exe is None:
        pytest.skip("pdfinfo (poppler-utils) is not installed: cannot read the page size")
    path = tmp_path / "info.pdf"
    path.write_bytes(data)
    out = subprocess.run([exe, str(path)], capture_output=True, text=True, check=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("Page size:"))
    width, _x, height = line.split(":")[1].split()[:3]
    return [(float(width), float(height))]


def seed_handout(**extra) -> Handout:
    seed = next(s for s in load_seed_files() if s.slug == "cai-dat-vneid-muc-1")
    return Handout(
        title=seed.title,
        content=seed.content,
        url="https://xungkich.example/huong-dan/cai-dat-vneid-muc-1/",
        version_label="Phiên bản 2 · 05/03/2026",
        **extra,
    )


@pytest.mark.parametrize(("size", "points"), [("A4", (595.28, 841.89)), ("A5", (419.53, 595.28))])
def test_handout_keeps_vietnamese_and_has_the_right_paper(size, points, tmp_path):
    data = render_handout(seed_handout(), size)
    assert data.startswith(b"%PDF")
    text = " ".join(pdf_text(data, tmp_path).split())
    assert TITLE in text
    for words in ("Cần chuẩn bị", "Đọc chip trên thẻ căn cước", "Khi gặp lỗi", "Mẹo:", "Phiên bản 2"):
        assert words in text
    width, height = page_sizes(data, tmp_path)[0]
    assert abs(width - points[0]) < 1 and abs(height - points[1]) < 1


def test_decomposed_input_still_renders_composed(tmp_path):
    handout = Handout(
        title="Đăng ky\u0301 khai sinh",
        content=GuideContent.from_dict({"steps": [{"title": "Bước", "body": "Nội dung"}]}),
        url="https://x.example/g/",
    )
    assert "Đăng ký khai sinh" in pdf_text(render_handout(handout, "A5"), tmp_path)


def test_handout_prints_the_step_images(tmp_path):
    image = io.BytesIO()
    Image.new("RGB", (400, 300), (20, 90, 160)).save(image, format="JPEG")
    content = GuideContent.from_dict(
        {"steps": [{"title": "Màn hình", "body": "Xem hình.", "image_id": 5, "image_alt": "Hình"}]}
    )
    with_image = render_handout(
        Handout(title="T", content=content, url="https://x/", images={5: image.getvalue()}), "A4"
    )
    without = render_handout(Handout(title="T", content=content, url="https://x/"), "A4")
    assert with_image.count(b"/Subtype /Image") == without.count(b"/Subtype /Image") + 1


def test_unknown_paper_size_is_refused():
    with pytest.raises(ValueError):
        render_handout(seed_handout(), "A3")


def test_qr_png_is_an_image():
    image = Image.open(io.BytesIO(qr_png("https://xungkich.example/q/3/")))
    assert image.format == "PNG" and image.width == image.height


def test_poster_has_its_title_and_lines(tmp_path):
    data = render_poster(
        Poster(
            title="Hướng dẫn dịch vụ công trực tuyến",
            lines=["Quét mã bằng điện thoại", "Lấy số thứ tự"],
            url="https://xungkich.example/huong-dan/",
            footer="https://xungkich.example/huong-dan/",
        )
    )
    text = " ".join(pdf_text(data, tmp_path).split())
    assert "Hướng dẫn dịch vụ công trực tuyến" in text and "Lấy số thứ tự" in text
    assert b"/Subtype /Image" in data


def test_the_bundled_font_is_embedded():
    # Not a core PDF font (those have no Vietnamese letters).
    assert b"LiberationSerif" in render_handout(seed_handout(), "A4")
