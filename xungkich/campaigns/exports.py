"""The attendance list of an event as an Excel workbook (pure: rows in, bytes out)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from xungkich.lib.spreadsheets import openpyxl_text


@dataclass(frozen=True)
class AttendanceRow:
    full_name: str
    unit: str
    phone: str
    status: str
    registered_on: dt.date
    checked_in_at: dt.datetime | None  # local, naive


def attendance_workbook(*, title: str, event_day: dt.date, rows: list[AttendanceRow]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Attendance")[:31]
    sheet.append([openpyxl_text(sheet, title)])  # names and titles from people: text, never formulas
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("Date"), event_day])
    sheet["B2"].number_format = "dd/mm/yyyy"
    sheet["B2"].alignment = Alignment(horizontal="left")
    sheet.append([])
    headers = [
        _("No."),
        _("Full name"),
        _("Unit"),
        _("Phone"),
        _("Status"),
        _("Registered on"),
        _("Checked in at"),
    ]
    sheet.append(headers)
    fill = PatternFill("solid", fgColor="0B4F9C")
    thin = Side(style="thin", color="999999")
    for cell in sheet[4]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    for number, row in enumerate(rows, start=1):
        texts = [openpyxl_text(sheet, text) for text in (row.full_name, row.unit, row.phone, row.status)]
        sheet.append([number, *texts, row.registered_on, row.checked_in_at])
        sheet.cell(row=sheet.max_row, column=6).number_format = "dd/mm/yyyy"
        sheet.cell(row=sheet.max_row, column=7).number_format = "dd/mm/yyyy hh:mm"
    for column, width in zip("ABCDEFG", (6, 28, 28, 15, 16, 14, 18), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A5"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
