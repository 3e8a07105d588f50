"""Printable handouts and posters (fpdf2 with the bundled Liberation Serif): plain data in, bytes out.

- ``render_handout(Handout(...), size="A4" | "A5")``: one guide on paper for people who prefer it,
  with a QR code to the guide's page (the page has the read-aloud buttons and stays up to date);
- ``render_poster(Poster(...))``: an A4 poster ("pano") with a big QR code to the guides hub or to a
  service point's queue page.

Both are handouts, not Youth Union documents: no header blocks, large type, plain words. Every
text is NFC-normalised first (the fonts carry precomposed Vietnamese letters only).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import segno
from fpdf import FPDF
from fpdf.enums import Align, WrapMode, XPos, YPos
from PIL import Image

from xungkich.core.pdf import FAMILY, FONT_DIR, PT, nfc, render_qr_poster
from xungkich.guides.content import GuideContent

PaperSize = Literal["A4", "A5"]
SIZES: tuple[PaperSize, ...] = ("A4", "A5")


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    margin: float
    title: float  # font sizes in points
    heading: float
    body: float
    small: float
    qr: float  # mm


LAYOUTS: dict[PaperSize, Layout] = {
    "A4": Layout(210, 297, 18, title=22, heading=15, body=13, small=10, qr=34),
    "A5": Layout(148, 210, 12, title=17, heading=12.5, body=11, small=8.5, qr=26),
}


@dataclass(frozen=True)
class Handout:
    title: str
    content: GuideContent
    url: str  # the guide's page, in the QR code and printed below it
    version_label: str = ""  # "Phiên bản 3 · 05/03/2026"
    issuer: str = "Đội hình Xung Kích Số — Đoàn TNCS Hồ Chí Minh"
    images: Mapping[int, bytes] = field(default_factory=dict)  # GuideImage id → JPEG bytes


@dataclass(frozen=True)
class Poster:
    title: str
    lines: Sequence[str]
    url: str
    footer: str = ""


def qr_png(url: str, *, scale: int = 10) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def _lh(size: float) -> float:
    return size * PT * 1.35


class HandoutPDF(FPDF):
    def __init__(self, layout: Layout, size: PaperSize, footer_text: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format=(layout.width, layout.height))
        for style, name in (("", "Regular"), ("B", "Bold"), ("I", "Italic"), ("BI", "BoldItalic")):
            self.add_font(FAMILY, style, str(FONT_DIR / f"LiberationSerif-{name}.ttf"))
        self.layout = layout
        self.footer_text = footer_text
        self.set_margins(left=layout.margin, top=layout.margin, right=layout.margin)
        self.set_auto_page_break(auto=True, margin=layout.margin + 6)
        self.c_margin = 0.0
        self.set_creator("Xung Kích Số")
        self.set_lang("vi")

    @property
    def content_width(self) -> float:
        return self.layout.width - 2 * self.layout.margin

    def footer(self) -> None:
        self.set_y(-(self.layout.margin + 2))
        self.set_font(FAMILY, "I", self.layout.small)
        text = nfc(self.footer_text)
        if self.pages_count > 1 or self.page_no() > 1:
            text = f"{text} · {self.page_no()}"
        self.cell(self.content_width, _lh(self.layout.small), text, align=Align.C)

    def text_block(
        self, text: str, size: float, style: str = "", *, indent: float = 0.0, width: float | None = None
    ) -> None:
        self.set_font(FAMILY, style, size)
        self.set_x(self.l_margin + indent)
        self.multi_cell(
            (width or self.content_width) - indent,
            _lh(size),
            nfc(text),
            align=Align.L,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )

    def keep(self, height: float) -> None:
        """Start a new page unless ``height`` mm still fit on this one."""
        if self.get_y() + height > self.h - self.b_margin:
            self.add_page()


def render_handout(handout: Handout, size: PaperSize = "A4") -> bytes:
    if size not in LAYOUTS:
        raise ValueError(f"unknown paper size {size!r}")
    layout = LAYOUTS[size]
    footer = " · ".join(part for part in (handout.issuer, handout.version_label) if part)
    pdf = HandoutPDF(layout, size, footer)
    pdf.set_title(nfc(handout.title))
    pdf.set_subject("Hướng dẫn từng bước")
    pdf.add_page()
    content = handout.content
    gap = layout.body * PT * 0.6

    # Title on the left, the QR code to the guide's page on the right.
    top = pdf.get_y()
    text_width = pdf.content_width - layout.qr - 6
    pdf.text_block("HƯỚNG DẪN TỪNG BƯỚC", layout.small, "B", width=text_width)
    pdf.text_block(handout.title, layout.title, "B", width=text_width)
    if content.summary:
        pdf.set_y(pdf.get_y() + gap)
        pdf.text_block(content.summary, layout.body, width=text_width)
    text_bottom = pdf.get_y()
    qr_x = pdf.l_margin + pdf.content_width - layout.qr
    pdf.image(io.BytesIO(qr_png(handout.url)), x=qr_x, y=top, w=layout.qr, h=layout.qr)
    pdf.set_font(FAMILY, "", layout.small)
    pdf.set_xy(qr_x - 3, top + layout.qr + 1)
    pdf.multi_cell(
        layout.qr + 6,
        _lh(layout.small),
        "Quét mã để xem trên điện thoại và nghe đọc to",
        align=Align.C,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_y(max(text_bottom, pdf.get_y()) + gap * 2)

    if content.prepare:
        pdf.text_block("Cần chuẩn bị", layout.heading, "B")
        for item in content.prepare:
            pdf.text_block(f"•  {item}", layout.body, indent=3)
        pdf.set_y(pdf.get_y() + gap * 2)

    number_width = layout.heading * PT * 2.2
    for number, step in enumerate(content.steps, start=1):
        pdf.keep(_lh(layout.heading) + 2 * _lh(layout.body))
        y = pdf.get_y()
        pdf.set_font(FAMILY, "B", layout.heading)
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(number_width, _lh(layout.heading), f"{number}.")
        pdf.set_xy(pdf.l_margin + number_width, y)
        pdf.multi_cell(
            pdf.content_width - number_width,
            _lh(layout.heading),
            nfc(step.title),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        for text in step.paragraphs:
            pdf.text_block(text, layout.body, indent=number_width)
        image = handout.images.get(step.image_id) if step.image_id is not None else None
        if image:
            width = min(pdf.content_width - number_width, 90 if size == "A4" else 70)
            with Image.open(io.BytesIO(image)) as picture:
                height = width * picture.height / max(picture.width, 1)
            pdf.keep(height + 2)
            pdf.image(io.BytesIO(image), w=width, h=height, x=pdf.l_margin + number_width, y=pdf.get_y() + 1)
            pdf.set_y(pdf.get_y() + height + 2)
        if step.tip:
            pdf.text_block(f"Mẹo: {step.tip}", layout.body, "I", indent=number_width)
        pdf.set_y(pdf.get_y() + gap * 1.5)

    if content.problems:
        pdf.keep(_lh(layout.heading) + 3 * _lh(layout.body))
        pdf.set_y(pdf.get_y() + gap)
        pdf.text_block("Khi gặp lỗi", layout.heading, "B")
        for problem in content.problems:
            pdf.keep(2 * _lh(layout.body))
            pdf.text_block(problem.problem, layout.body, "B", indent=3)
            pdf.text_block(problem.solution, layout.body, indent=3)
            pdf.set_y(pdf.get_y() + gap)

    pdf.set_y(pdf.get_y() + gap)
    pdf.set_font(FAMILY, "I", layout.small)
    pdf.multi_cell(
        pdf.content_width,
        _lh(layout.small),
        nfc(f"Bản mới nhất: {handout.url}"),
        wrapmode=WrapMode.CHAR,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    return bytes(pdf.output())


def render_poster(poster: Poster) -> bytes:
    return render_qr_poster(
        title=poster.title,
        lines=list(poster.lines),
        qr_png=qr_png(poster.url, scale=16),
        footer=poster.footer,
    )
