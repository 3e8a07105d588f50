"""Youth Union documents as PDF (fpdf2): plain data in, bytes out.

The layout follows Hướng dẫn 29-HD/TWĐTN-VP (29/10/2013) on the form of Youth Union documents:
A4 portrait; margins top 20 mm, bottom 20 mm, left 30 mm, right 20 mm; Times New Roman (here the
metric-compatible Liberation Serif bundled in ``core/fonts``).

    THÀNH ĐOÀN ĐÀ NẴNG                 ĐOÀN TNCS HỒ CHÍ MINH
  BCH ĐOÀN PHƯỜNG HỘI AN              ─────────────────────
           ***
    Số:     -GXN/ĐTN               Hội An, ngày 05 tháng 3 năm 2026

                            GIẤY XÁC NHẬN
                     Thời gian tham gia Đội hình …
  body paragraphs and tables …
  Nơi nhận:                               TM. BAN THƯỜNG VỤ
  - …;                                          BÍ THƯ
  - Lưu VP.
                                           (signature space)

``render_document(Document(...))`` draws a whole document; ``YouthUnionPDF`` exposes the same
blocks one by one for documents that need something else between them (reports, handouts).
Every text is NFC-normalised first: the fonts carry precomposed Vietnamese letters only.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Literal

from fpdf import FPDF
from fpdf.enums import Align, TableCellFillMode, WrapMode, XPos, YPos
from fpdf.fonts import FontFace

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FAMILY = "LiberationSerif"

# Page geometry in millimetres (A4 portrait, Hướng dẫn 29-HD/TWĐTN-VP).
PAGE_WIDTH, PAGE_HEIGHT = 210.0, 297.0
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 20.0, 20.0, 30.0, 20.0
CONTENT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 160 mm
# The header's two columns: issuing body on the left, the Union's name and the date on the right.
LEFT_COLUMN = 74.0
RIGHT_COLUMN = CONTENT_WIDTH - LEFT_COLUMN

BODY_SIZE = 14.0
LINE_FACTOR = 1.3  # line height as a multiple of the font size ("single" to "1.5 lines" allowed)
FIRST_LINE_INDENT = 10.0  # mm
PARAGRAPH_SPACE = 1.5  # mm after a paragraph
SIGNATURE_SPACE = 25.0  # mm left blank for the signature and the stamp

UNION_NAME = "ĐOÀN TNCS HỒ CHÍ MINH"
PT = 25.4 / 72  # one point in millimetres

AlignCode = Literal["L", "C", "R", "J"]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", str(text))


def line_height(size: float) -> float:
    return size * PT * LINE_FACTOR


def date_line(place: str, date: dt.date | None) -> str:
    """ "Hội An, ngày 05 tháng 3 năm 2026".

    As in state documents (Decree 30/2020/NĐ-CP): days below 10 and the months 1 and 2 take a
    leading zero. Without a date the numbers are left as dots for the signer to fill in.
    """
    place = nfc(place).strip()
    prefix = f"{place}, " if place else ""
    if date is None:
        return f"{prefix}ngày ..... tháng ..... năm 20...."
    month = f"{date.month:02d}" if date.month < 3 else str(date.month)
    return f"{prefix}ngày {date.day:02d} tháng {month} năm {date.year}"


def vn_number(value: Decimal | float | int) -> str:
    """46.5 → "46,5"; 4.00 → "4"; thousands with dots (1.250)."""
    number = Decimal(str(value)).normalize()
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0:
        number = number.quantize(Decimal(1))
    whole, _dot, fraction = f"{abs(number):f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = ".".join(groups) + (f",{fraction}" if fraction else "")
    return f"-{text}" if number < 0 else text


# --- Plain data ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentHeader:
    superior: str  # "THÀNH ĐOÀN ĐÀ NẴNG" (size 14)
    issuer: str  # "BCH ĐOÀN PHƯỜNG HỘI AN" (size 14, bold)
    number: str = ""  # "12-BC/ĐTN", printed as "Số: 12-BC/ĐTN"
    place: str = ""
    date: dt.date | None = None


Run = tuple[str, str]  # (style: "", "B", "I" or "BI"; text)


@dataclass(frozen=True)
class Paragraph:
    """Body text: plain, or runs with their own style, e.g. [("", "Đồng chí "), ("B", name)]."""

    text: str | Sequence[Run]
    align: AlignCode = "J"
    indent: bool = True
    size: float = BODY_SIZE
    bold: bool = False
    italic: bool = False
    space_before: float = 0.0


@dataclass(frozen=True)
class Table:
    headings: Sequence[str]
    rows: Sequence[Sequence[str]]
    widths: Sequence[float]  # relative column widths
    aligns: Sequence[AlignCode] = ()
    # A bold last row: (text, colspan) pairs, e.g. [("Tổng cộng", 3), ("12 ca", 1), ("46,5", 1)].
    footer: Sequence[tuple[str, int]] = ()
    size: float = 12.0


@dataclass(frozen=True)
class Signature:
    on_behalf: str = "TM. BAN THƯỜNG VỤ"
    title: str = "BÍ THƯ"
    name: str = ""  # blank: a dotted line is left for the name


@dataclass(frozen=True)
class Document:
    header: DocumentHeader
    title: str
    subtitle: str = ""
    blocks: Sequence[Paragraph | Table] = ()
    signature: Signature = field(default_factory=Signature)
    recipients: Sequence[str] = ()
    author: str = ""


# --- Drawing ------------------------------------------------------------------------------------


def _runs(text: str | Sequence[Run]) -> list[Run]:
    if isinstance(text, str):
        return [("", nfc(text))]
    return [(style, nfc(piece)) for style, piece in text if piece]


class YouthUnionPDF(FPDF):
    """An A4 page set up for Youth Union documents, with one method per block of the layout."""

    def __init__(self) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        for style, name in (("", "Regular"), ("B", "Bold"), ("I", "Italic"), ("BI", "BoldItalic")):
            self.add_font(FAMILY, style, str(FONT_DIR / f"LiberationSerif-{name}.ttf"))
        self.set_margins(left=MARGIN_LEFT, top=MARGIN_TOP, right=MARGIN_RIGHT)
        self.set_auto_page_break(auto=True, margin=MARGIN_BOTTOM)
        self.c_margin = 0.0  # text starts exactly at the margins (tables pad their own cells)
        self.set_font(FAMILY, "", BODY_SIZE)
        self.set_creator("Xung Kích Số")
        self.set_lang("vi")

    def header(self) -> None:
        # Pages after the first carry their number, centred in the top margin.
        if self.page_no() > 1:
            style, size = self.font_style, self.font_size_pt
            self.set_font(FAMILY, "", 13)
            self.set_xy(MARGIN_LEFT, 10)
            self.cell(CONTENT_WIDTH, 6, str(self.page_no()), align=Align.C)
            self.set_xy(MARGIN_LEFT, MARGIN_TOP)
            self.set_font(FAMILY, style, size)

    # -- blocks --

    def header_blocks(self, header: DocumentHeader) -> None:
        if self.page_no() == 0:
            self.add_page()
        top = self.get_y()
        h14 = line_height(14)
        left_x, right_x = MARGIN_LEFT, MARGIN_LEFT + LEFT_COLUMN

        # Left: superior body, issuing body (bold), "***", number.
        self.set_xy(left_x, top)
        self.set_font(FAMILY, "", 14)
        if header.superior:
            self._centred_lines(nfc(header.superior).upper(), left_x, LEFT_COLUMN, h14)
        self.set_font(FAMILY, "B", 14)
        self._centred_lines(nfc(header.issuer).upper(), left_x, LEFT_COLUMN, h14)
        self.set_font(FAMILY, "", 14)
        self._centred_lines("***", left_x, LEFT_COLUMN, h14)
        number_y = self.get_y()
        self._centred_lines(f"Số: {nfc(header.number)}" if header.number else "Số:", left_x, LEFT_COLUMN, h14)
        left_bottom = self.get_y()

        # Right: the Union's name (size 15, bold) with a rule below, then place and date (italic),
        # on the same line as "Số:" when the left column is the usual four lines.
        self.set_xy(right_x, top)
        self.set_font(FAMILY, "B", 15)
        name_width = self.get_string_width(UNION_NAME)
        self._centred_lines(UNION_NAME, right_x, RIGHT_COLUMN, line_height(15))
        rule_y = self.get_y() + 0.6
        centre = right_x + RIGHT_COLUMN / 2
        self.set_line_width(0.3)
        self.line(centre - name_width / 2, rule_y, centre + name_width / 2, rule_y)
        self.set_font(FAMILY, "I", 14)
        self.set_xy(right_x, max(number_y, rule_y + 2))
        self._centred_lines(date_line(header.place, header.date), right_x, RIGHT_COLUMN, h14)
        right_bottom = self.get_y()

        self.set_xy(MARGIN_LEFT, max(left_bottom, right_bottom) + 6)

    def title_block(self, title: str, subtitle: str = "") -> None:
        self.set_font(FAMILY, "B", 15)
        self.multi_cell(
            CONTENT_WIDTH,
            line_height(15),
            nfc(title).upper(),
            align=Align.C,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        if subtitle:
            self.set_font(FAMILY, "B", 14)
            self.multi_cell(
                CONTENT_WIDTH,
                line_height(14),
                self._balanced(nfc(subtitle), CONTENT_WIDTH - 20),
                align=Align.C,
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
        # A short rule under the title, as the guide's samples show.
        y = self.get_y() + 2
        centre = MARGIN_LEFT + CONTENT_WIDTH / 2
        self.set_line_width(0.3)
        self.line(centre - 15, y, centre + 15, y)
        self.set_xy(MARGIN_LEFT, y + 5)

    def paragraph(self, paragraph: Paragraph) -> None:
        if paragraph.space_before:
            self.set_y(self.get_y() + paragraph.space_before)
        base = ("B" if paragraph.bold else "") + ("I" if paragraph.italic else "")
        self.set_font(FAMILY, base, paragraph.size)
        columns = self.text_columns(
            text_align=Align.coerce(paragraph.align),
            line_height=LINE_FACTOR,
            l_margin=MARGIN_LEFT,
            r_margin=MARGIN_RIGHT,
            skip_leading_spaces=True,
        )
        first_line = FIRST_LINE_INDENT if paragraph.indent else 0
        with columns, columns.paragraph(first_line_indent=first_line, bottom_margin=PARAGRAPH_SPACE) as par:
            for style, text in _runs(paragraph.text):
                merged = "".join(sorted(set(base + style), key="BI".index))
                self.set_font(FAMILY, merged, paragraph.size)
                par.write(text)
        self.set_font(FAMILY, base, paragraph.size)
        self.set_x(MARGIN_LEFT)

    def data_table(self, table: Table) -> None:
        self.set_font(FAMILY, "", table.size)
        aligns = list(table.aligns) or ["L"] * len(table.headings)
        self.set_draw_color(0)
        self.set_line_width(0.2)
        with self.table(
            width=CONTENT_WIDTH,
            col_widths=tuple(table.widths),
            text_align=tuple(Align.coerce(a) for a in aligns),
            line_height=table.size * PT * 1.15,
            headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235)),
            cell_fill_mode=TableCellFillMode.NONE,
            repeat_headings=1,
            padding=(0.8, 1.5),
            align=Align.L,
        ) as grid:
            heading = grid.row()
            for text in table.headings:
                heading.cell(nfc(text), align=Align.C)
            for values in table.rows:
                row = grid.row()
                for text in values:
                    row.cell(nfc(text))
            if table.footer:
                row = grid.row()
                column = 0
                for text, span in table.footer:
                    # A merged cell is centred; a single one takes its column's alignment.
                    align = aligns[min(column, len(aligns) - 1)] if span == 1 else "C"
                    row.cell(
                        nfc(text), colspan=span, style=FontFace(emphasis="BOLD"), align=Align.coerce(align)
                    )
                    column += span
        self.set_xy(MARGIN_LEFT, self.get_y() + 3)

    def closing_height(self, signature: Signature, recipients: Sequence[str]) -> float:
        signature_height = (3 if signature.on_behalf else 2) * line_height(14) + SIGNATURE_SPACE
        return max(signature_height, line_height(12) + line_height(11) * len(recipients)) + 4

    def paragraph_height(self, paragraph: Paragraph) -> float:
        """About how tall ``paragraph`` will be (its indent as spaces): to keep blocks together."""
        self.set_font(FAMILY, "B" if paragraph.bold else "", paragraph.size)
        text = "".join(piece for _style, piece in _runs(paragraph.text))
        if paragraph.indent:
            text = " " * round(FIRST_LINE_INDENT / max(self.get_string_width(" "), 0.1)) + text
        lines = self.multi_cell(
            CONTENT_WIDTH, line_height(paragraph.size), text, dry_run=True, output="LINES"
        )
        count = len(lines) if isinstance(lines, list) else 1
        return count * line_height(paragraph.size) + PARAGRAPH_SPACE + paragraph.space_before

    def closing(self, signature: Signature, recipients: Sequence[str]) -> None:
        """Recipients at the bottom left, the signature block on the right, kept on one page."""
        h14 = line_height(14)
        recipient_h = line_height(11)
        if self.get_y() + self.closing_height(signature, recipients) > PAGE_HEIGHT - MARGIN_BOTTOM:
            self.add_page()
        top = self.get_y() + 4
        right_x = MARGIN_LEFT + LEFT_COLUMN
        width = RIGHT_COLUMN

        self.set_xy(right_x, top)
        self.set_font(FAMILY, "B", 14)
        if signature.on_behalf:
            self._centred_lines(nfc(signature.on_behalf).upper(), right_x, width, h14)
        self._centred_lines(nfc(signature.title).upper(), right_x, width, h14)
        self.set_xy(right_x, self.get_y() + SIGNATURE_SPACE)
        if signature.name:
            self._centred_lines(nfc(signature.name), right_x, width, h14)
        else:
            self.set_font(FAMILY, "", 14)
            self._centred_lines("." * 36, right_x, width, h14)
        signature_bottom = self.get_y()

        recipients_bottom = top
        if recipients:
            self.set_xy(MARGIN_LEFT, top + 1)
            self.set_font(FAMILY, "BI", 12)
            self.cell(LEFT_COLUMN, line_height(12), "Nơi nhận:", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_font(FAMILY, "", 11)
            for item in recipients:
                self.multi_cell(
                    LEFT_COLUMN, recipient_h, nfc(item), align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT
                )
            recipients_bottom = self.get_y()
        self.set_xy(MARGIN_LEFT, max(signature_bottom, recipients_bottom))

    # -- helpers --

    def _balanced(self, text: str, width: float) -> str:
        """Break a centred line that does not fit into two lines of about equal length."""
        if self.get_string_width(text) <= width:
            return text
        words = text.split()
        best: tuple[float, str] | None = None
        for cut in range(1, len(words)):
            first, second = " ".join(words[:cut]), " ".join(words[cut:])
            longest = max(self.get_string_width(first), self.get_string_width(second))
            if longest <= width and (best is None or longest < best[0]):
                best = (longest, f"{first}\n{second}")
        return best[1] if best else text

    def _centred_lines(self, text: str, x: float, width: float, height: float) -> None:
        self.set_x(x)
        self.multi_cell(width, height, text, align=Align.C, new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.set_x(x)


def render_document(document: Document) -> bytes:
    pdf = YouthUnionPDF()
    pdf.set_title(nfc(document.title + (f" — {document.subtitle}" if document.subtitle else "")))
    if document.author:
        pdf.set_author(nfc(document.author))
    pdf.add_page()
    pdf.header_blocks(document.header)
    pdf.title_block(document.title, document.subtitle)
    closing_height = pdf.closing_height(document.signature, document.recipients)
    for index, block in enumerate(document.blocks):
        if isinstance(block, Table):
            pdf.data_table(block)
            continue
        # Never leave the signature alone on a page: the last paragraph goes over with it.
        if index == len(document.blocks) - 1:
            needed = pdf.paragraph_height(block) + closing_height
            if pdf.get_y() + needed > PAGE_HEIGHT - MARGIN_BOTTOM:
                pdf.add_page()
        pdf.paragraph(block)
    pdf.closing(document.signature, document.recipients)
    return bytes(pdf.output())


def render_qr_poster(*, title: str, lines: Sequence[str], qr_png: bytes, footer: str = "") -> bytes:
    """An A4 poster: a big title, a QR code image (PNG bytes) about 150 mm wide, a few lines.

    Not a Youth Union document (no header blocks): posters for desks and events reuse it.
    """
    pdf = YouthUnionPDF()
    pdf.set_title(nfc(title))
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 28)
    pdf.multi_cell(
        CONTENT_WIDTH, line_height(28), nfc(title), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    size = 150.0
    y = pdf.get_y() + 6
    pdf.image(io.BytesIO(qr_png), x=MARGIN_LEFT + (CONTENT_WIDTH - size) / 2, y=y, w=size, h=size)
    pdf.set_xy(MARGIN_LEFT, y + size + 6)
    for index, line in enumerate(lines):
        pdf.set_font(FAMILY, "B" if index == 0 else "", 24 if index == 0 else 16)
        pdf.multi_cell(
            CONTENT_WIDTH,
            line_height(24 if index == 0 else 16),
            nfc(line),
            align=Align.C,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
    if footer:
        # Small print on the last lines above the bottom margin; long URLs break anywhere.
        pdf.set_font(FAMILY, "I", 10)
        height = line_height(10)
        lines_needed = pdf.multi_cell(
            CONTENT_WIDTH, height, nfc(footer), wrapmode=WrapMode.CHAR, dry_run=True, output="LINES"
        )
        count = len(lines_needed) if isinstance(lines_needed, list) else 1
        pdf.set_auto_page_break(auto=False)
        pdf.set_xy(MARGIN_LEFT, PAGE_HEIGHT - MARGIN_BOTTOM - count * height)
        pdf.multi_cell(CONTENT_WIDTH, height, nfc(footer), align=Align.C, wrapmode=WrapMode.CHAR)
    return bytes(pdf.output())
