"""The volunteer's hours statement ("Giấy xác nhận thời gian tham gia …") as a Youth Union document.

The wording is a document format, written in Vietnamese on purpose (not translated): the statement
goes into a member's file whatever language the volunteer reads the site in.

Who issues it: the ward/commune Youth Union above the volunteer (the nearest unit of kind "base",
else the volunteer's own unit); its parent is the superior body of the header. The place in the date
line is the base unit's administrative unit without "Phường"/"Xã" (else the unit's own name without
"Đoàn phường"/"Đoàn xã"). The number is left blank for the office to fill in when it signs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from xungkich.core.errors import DomainError
from xungkich.core.pdf import (
    Document,
    DocumentHeader,
    Paragraph,
    Signature,
    Table,
    render_document,
    vn_number,
)
from xungkich.lib.vietnamese import fold
from xungkich.people.models import OrgUnit, Volunteer
from xungkich.rosters.attendance.hours import AttendanceRow, attendance_rows, served_hours, total

TITLE = "Giấy xác nhận"
SUBTITLE = "Thời gian tham gia Đội hình thanh niên xung kích hỗ trợ dịch vụ công trực tuyến"
NUMBER = "        -GXN/ĐTN"

_PLACE_PREFIX = re.compile(r"^(phường|xã|đặc khu|thành phố|tỉnh)\s+", re.IGNORECASE)
_UNIT_PREFIX = re.compile(
    r"^(bch\s+)?(ban chấp hành\s+)?(thành đoàn|tỉnh đoàn|đoàn phường|đoàn xã|đoàn đặc khu|chi đoàn|đoàn)\s+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Issuer:
    superior: str  # "THÀNH ĐOÀN ĐÀ NẴNG"
    issuer: str  # "BCH ĐOÀN PHƯỜNG HỘI AN"
    body: str  # "Đoàn phường Hội An", as in "Ban Thường vụ Đoàn phường Hội An"
    place: str  # "Hội An"


def issuer_for(unit: OrgUnit) -> Issuer:
    """The issuing body for a volunteer of ``unit`` (one query for the chain of units above)."""
    ids = [int(part) for part in unit.path.split("/") if part.isdigit()]
    chain = {u.pk: u for u in OrgUnit.objects.filter(pk__in=ids).select_related("admin_unit")}
    ancestors = [chain[pk] for pk in ids if pk in chain] or [unit]
    base = next((u for u in reversed(ancestors) if u.kind == OrgUnit.Kind.BASE), ancestors[-1])
    parent = chain.get(base.parent_id) if base.parent_id else None
    issuer = base.name.upper()
    if not issuer.startswith(("BCH ", "BAN CHẤP HÀNH ")):
        issuer = f"BCH {issuer}"
    if base.admin_unit is not None:
        place = _PLACE_PREFIX.sub("", base.admin_unit.name.strip())
    else:
        place = _UNIT_PREFIX.sub("", base.name.strip())
    return Issuer(
        superior=parent.name.upper() if parent is not None else "",
        issuer=issuer,
        body=base.name,
        place=place,
    )


def _hm(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%H:%M")


def certificate_document(
    *,
    issuer: Issuer,
    full_name: str,
    birth_date: dt.date | None,
    unit_name: str,
    start: dt.date,
    end: dt.date,
    rows: Sequence[AttendanceRow],
    issued_on: dt.date,
) -> Document:
    """Pure: the document for the served ``rows`` (already filtered to this volunteer and range)."""
    served = [row for row in rows if row.served and row.counted_until is not None]  # credited so far
    summary = total(served)
    born = f", sinh ngày {birth_date:%d/%m/%Y}" if birth_date else ""
    table_rows = []
    for number, row in enumerate(served, start=1):
        assert row.check_in_at is not None and row.counted_until is not None
        table_rows.append(
            [
                str(number),
                f"{timezone.localtime(row.shift_start):%d/%m/%Y}",
                row.point_name,
                f"{_hm(row.check_in_at)} – {_hm(row.counted_until)}",
                vn_number(served_hours(row)),
            ]
        )
    return Document(
        header=DocumentHeader(
            superior=issuer.superior, issuer=issuer.issuer, number=NUMBER, place=issuer.place, date=issued_on
        ),
        title=TITLE,
        subtitle=SUBTITLE,
        blocks=[
            Paragraph(f"Ban Thường vụ {issuer.body} xác nhận:"),
            Paragraph(
                [
                    ("", "Đồng chí "),
                    ("B", full_name),
                    (
                        "",
                        f"{born}, đoàn viên {unit_name}, đã tham gia trực hỗ trợ người dân sử dụng dịch vụ "
                        "công trực tuyến tại các điểm hỗ trợ của Đội hình thanh niên xung kích "
                        f"từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}, cụ thể như sau:",
                    ),
                ]
            ),
            Table(
                headings=["STT", "Ngày", "Điểm trực", "Thời gian", "Số giờ"],
                rows=table_rows,
                widths=[12, 24, 66, 34, 20],
                aligns=["C", "C", "L", "C", "C"],
                footer=[
                    ("Tổng cộng", 3),
                    (f"{summary.served} ca trực", 1),
                    (vn_number(summary.hours), 1),
                ],
            ),
            Paragraph(
                [
                    ("", "Tổng thời gian tham gia: "),
                    ("B", f"{vn_number(summary.hours)} giờ"),
                    ("", f" ({summary.served} ca trực)."),
                ]
            ),
            Paragraph(f"Giấy xác nhận này được cấp để đồng chí {full_name} sử dụng khi cần thiết./."),
        ],
        signature=Signature(on_behalf="TM. BAN THƯỜNG VỤ", title="BÍ THƯ"),
        recipients=[f"- Đồng chí {full_name};", "- Lưu VP."],
        author=issuer.issuer,
    )


def hours_certificate_pdf(
    *, volunteer: Volunteer, start: dt.date, end: dt.date, today: dt.date | None = None
) -> bytes:
    if end < start:
        raise DomainError(_("The end date must not be before the start date."), "certificate_range")
    rows = attendance_rows(volunteer=volunteer, start=start, end=end, served_only=True)
    rows = [row for row in rows if row.counted_until is not None]  # a shift still on: not yet
    if not rows:
        raise DomainError(
            _("There are no served shifts between these dates, so there is nothing to certify."),
            "certificate_nothing_served",
        )
    document = certificate_document(
        issuer=issuer_for(volunteer.unit),
        full_name=volunteer.full_name,
        birth_date=volunteer.birth_date,
        unit_name=volunteer.unit.name,
        start=start,
        end=end,
        rows=rows,
        issued_on=today or timezone.localdate(),
    )
    return render_document(document)


def certificate_filename(volunteer: Volunteer, start: dt.date, end: dt.date) -> str:
    name = re.sub(r"[^a-z0-9]+", "-", fold(volunteer.full_name)).strip("-") or "tinh-nguyen-vien"
    return f"giay-xac-nhan-{name}-{start:%Y%m%d}-{end:%Y%m%d}.pdf"
