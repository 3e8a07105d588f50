"""A ``core.pdf.Document`` as a Word file (python-docx), in the Youth Union's format.

A4 portrait, margins top 20 mm, bottom 20 mm, left 30 mm, right 20 mm (Hướng dẫn 29-HD/TWĐTN-VP);
Times New Roman 14 pt body (the recipient's Word has it); the header blocks and the closing are
two-column tables without borders, as offices lay them out; prose is left editable.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from xungkich.core.pdf import (
    FIRST_LINE_INDENT,
    LEFT_COLUMN,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    RIGHT_COLUMN,
    UNION_NAME,
    Document,
    Paragraph,
    Table,
    date_line,
    nfc,
)

FONT = "Times New Roman"
ALIGN = {
    "L": WD_ALIGN_PARAGRAPH.LEFT,
    "C": WD_ALIGN_PARAGRAPH.CENTER,
    "R": WD_ALIGN_PARAGRAPH.RIGHT,
    "J": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def _set_font(style_font: object) -> None:
    style_font.name = FONT  # type: ignore[attr-defined]
    element = style_font.element  # type: ignore[attr-defined]
    fonts = element.rPr.rFonts if element.rPr is not None else None
    if fonts is not None:
        for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attribute), FONT)


def _add_text(
    paragraph: DocxParagraph,
    text: str,
    *,
    size: float = 14,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
) -> None:
    run = paragraph.add_run(nfc(text))
    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold = bold
    run.italic = italic
    run.underline = underline
    properties = run._element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)


def _line(cell_or_doc: Any, text: str, *, align: str = "C", **style: Any) -> DocxParagraph:
    paragraph: DocxParagraph = cell_or_doc.add_paragraph()
    paragraph.alignment = ALIGN[align]
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.first_line_indent = Mm(0)
    _add_text(paragraph, text, **style)
    return paragraph


def _first_paragraph(cell: _Cell) -> DocxParagraph:
    return cell.paragraphs[0]


def _no_borders(table: object) -> None:
    properties = table._tbl.tblPr  # type: ignore[attr-defined]
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)


def _grid_borders(table: object) -> None:
    properties = table._tbl.tblPr  # type: ignore[attr-defined]
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4")
        element.set(qn("w:color"), "000000")
        borders.append(element)
    properties.append(borders)


def _two_columns(doc: object) -> tuple[_Cell, _Cell]:
    table = doc.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _no_borders(table)
    left, right = table.rows[0].cells
    left.width, right.width = Mm(LEFT_COLUMN), Mm(RIGHT_COLUMN)
    grid = table._tbl.tblGrid.gridCol_lst
    grid[0].w, grid[1].w = Mm(LEFT_COLUMN), Mm(RIGHT_COLUMN)
    return left, right


def _remove_first_empty(cell: _Cell) -> None:
    first = _first_paragraph(cell)
    if not first.text and len(cell.paragraphs) > 1:
        first._element.getparent().remove(first._element)


def _header(doc: object, document: Document) -> None:
    header = document.header
    left, right = _two_columns(doc)
    if header.superior:
        _line(left, nfc(header.superior).upper(), size=14)
    _line(left, nfc(header.issuer).upper(), size=14, bold=True)
    _line(left, "***", size=14)
    _line(left, f"Số: {header.number}" if header.number else "Số:", size=14)
    _line(right, UNION_NAME, size=15, bold=True, underline=True)
    _line(right, "", size=8)
    _line(right, date_line(header.place, header.date), size=14, italic=True)
    _remove_first_empty(left)
    _remove_first_empty(right)


def _body_paragraph(doc: object, block: Paragraph) -> None:
    paragraph: DocxParagraph = doc.add_paragraph()  # type: ignore[attr-defined]
    paragraph.alignment = ALIGN[block.align]
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Mm(FIRST_LINE_INDENT if block.indent else 0)
    fmt.space_after = Pt(4)
    if block.space_before:
        fmt.space_before = Pt(6)
    runs = [("", block.text)] if isinstance(block.text, str) else list(block.text)
    for style, text in runs:
        _add_text(
            paragraph,
            text,
            size=block.size,
            bold=block.bold or "B" in style,
            italic=block.italic or "I" in style,
        )


def _data_table(doc: object, block: Table) -> None:
    columns = len(block.headings)
    table = doc.add_table(rows=1, cols=columns)  # type: ignore[attr-defined]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _grid_borders(table)
    table.autofit = False
    aligns = list(block.aligns) or ["L"] * columns
    scale = 160 / sum(block.widths)
    for grid_column, width in zip(table._tbl.tblGrid.gridCol_lst, block.widths, strict=True):
        grid_column.w = Mm(width * scale)
    for index, heading in enumerate(block.headings):
        cell = table.rows[0].cells[index]
        cell.width = Mm(block.widths[index] * scale)
        paragraph = _first_paragraph(cell)
        paragraph.alignment = ALIGN["C"]
        _add_text(paragraph, heading, size=block.size, bold=True)
    for values in block.rows:
        cells = table.add_row().cells
        for index, text in enumerate(values):
            cells[index].width = Mm(block.widths[index] * scale)
            paragraph = _first_paragraph(cells[index])
            paragraph.alignment = ALIGN[aligns[index]]
            _add_text(paragraph, text, size=block.size)
    if block.footer:
        cells = table.add_row().cells
        column = 0
        for text, span in block.footer:
            cell = cells[column]
            if span > 1:
                cell = cell.merge(cells[column + span - 1])
            paragraph = _first_paragraph(cell)
            paragraph.alignment = ALIGN["C" if span > 1 else aligns[column]]
            _add_text(paragraph, text, size=block.size, bold=True)
            column += span
    for row in table.rows:  # a row never breaks across pages
        row_properties = row._tr.get_or_add_trPr()
        row_properties.append(OxmlElement("w:cantSplit"))
    header_properties = table.rows[0]._tr.get_or_add_trPr()
    header_properties.append(OxmlElement("w:tblHeader"))  # repeated on each page
    spacer = doc.add_paragraph()  # type: ignore[attr-defined]
    spacer.paragraph_format.space_after = Pt(0)


def _closing(doc: object, document: Document, recipients: Sequence[str]) -> None:
    left, right = _two_columns(doc)
    signature = document.signature
    if signature.on_behalf:
        _line(right, signature.on_behalf.upper(), size=14, bold=True)
    _line(right, signature.title.upper(), size=14, bold=True)
    for _blank in range(4):
        _line(right, "", size=14)
    _line(right, signature.name or "." * 36, size=14, bold=bool(signature.name))
    if recipients:
        _line(left, "Nơi nhận:", align="L", size=12, bold=True, italic=True)
        for item in recipients:
            _line(left, item, align="L", size=11)
    _remove_first_empty(left)
    _remove_first_empty(right)


def render_docx(document: Document) -> bytes:
    doc = new_document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP), Mm(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT), Mm(MARGIN_RIGHT)
    normal = doc.styles["Normal"]
    _set_font(normal.font)
    normal.font.size = Pt(14)
    doc.core_properties.title = nfc(document.title + (f" — {document.subtitle}" if document.subtitle else ""))
    doc.core_properties.author = nfc(document.author)
    doc.core_properties.language = "vi-VN"

    _header(doc, document)
    doc.add_paragraph().paragraph_format.space_after = Pt(0)
    _line(doc, nfc(document.title).upper(), size=15, bold=True)
    if document.subtitle:
        _line(doc, document.subtitle, size=14, bold=True)
    _line(doc, "—————", size=12)
    for block in document.blocks:
        if isinstance(block, Table):
            _data_table(doc, block)
        else:
            _body_paragraph(doc, block)
    _closing(doc, document, document.recipients)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
