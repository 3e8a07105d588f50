"""The results report ("Báo cáo kết quả …") as plain data, in the Youth Union's document format.

``report_document(ReportInput(...))`` returns a ``core.pdf.Document``: header blocks, "BÁO CÁO" and
the subject, an opening, sections I–V with the figures filled in and dotted lines where the unit
writes its own assessment, the signature block and "Nơi nhận:". ``core.pdf.render_document`` draws
it as PDF and ``docx.render_docx`` writes it as a Word file the recipient edits.
The document is Vietnamese whatever the reader's language: it is filed with Vietnamese bodies.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from xungkich.core.pdf import Document, DocumentHeader, Paragraph, Signature, Table, vn_number
from xungkich.reports import figures as f
from xungkich.reports.figures import Figures

NUMBER = "    -BC/ĐTN"  # the office writes the number in
FILL = "…" * 75  # an editable line for the unit's own words

_PLACE_PREFIX = re.compile(r"^(phường|xã|đặc khu|thành phố|tỉnh)\s+", re.IGNORECASE)
_UNIT_PREFIX = re.compile(
    r"^(bch\s+)?(ban chấp hành\s+)?(thành đoàn|tỉnh đoàn|đoàn phường|đoàn xã|đoàn đặc khu|chi đoàn|đoàn)\s+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ReportInput:
    unit_name: str  # "Đoàn phường Hội An"
    parent_name: str  # "Thành đoàn Đà Nẵng" ("" at the top)
    admin_unit_name: str  # "Phường Hội An" ("" when unknown)
    start: dt.date
    end: dt.date
    figures: Figures
    point_names: Mapping[int | None, str] = field(default_factory=dict)
    issued_on: dt.date | None = None
    # Breakdown keys as people read them, per metric: {"by_need": {"account": "Tài khoản …"}}.
    key_names: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


def issuer_line(unit_name: str) -> str:
    name = unit_name.strip().upper()
    return name if name.startswith(("BCH ", "BAN CHẤP HÀNH ")) else f"BCH {name}"


def place_of(data: ReportInput) -> str:
    if data.admin_unit_name:
        return _PLACE_PREFIX.sub("", data.admin_unit_name.strip())
    return _UNIT_PREFIX.sub("", data.unit_name.strip())


def period_text(start: dt.date, end: dt.date) -> str:
    """ "tháng 12/2026" for a whole month, else "từ ngày 01/12/2026 đến ngày 14/12/2026"."""
    following = (start + dt.timedelta(days=32)).replace(day=1)
    if start.day == 1 and end == following - dt.timedelta(days=1):
        return f"tháng {start.month}/{start.year}"
    return f"từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"


def percent(part: int, whole: int) -> str:
    if not whole:
        return "0"
    return vn_number((Decimal(100 * part) / whole).quantize(Decimal("0.1")))


def _breakdown_rows(data: ReportInput, metric: str, limit: int = 20) -> list[list[str]]:
    items = data.figures.breakdown(metric)
    whole = sum(value for _key, value in items)
    names = data.key_names.get(metric, {})
    return [
        [str(number), names.get(key, key), vn_number(value), percent(value, whole)]
        for number, (key, value) in enumerate(items[:limit], start=1)
    ]


def _failures(data: ReportInput) -> str:
    totals = data.figures.totals
    failed = totals.get(f.FAILED, 0)
    text = (
        f"- Số trường hợp chưa thực hiện được: {vn_number(failed)} lượt "
        f"({percent(failed, totals.get(f.SESSIONS, 0))}%)"
    )
    reasons = data.figures.breakdown(f.BY_FAILURE)[:3]
    if reasons:
        names = data.key_names.get(f.BY_FAILURE, {})
        listed = "; ".join(
            f"{_lower_first(names.get(key, key))} ({vn_number(value)})" for key, value in reasons
        )
        text += f"; nguyên nhân chủ yếu: {listed}"
    return text + "."


def _lower_first(text: str) -> str:
    """ "Không nhận được mã OTP" → "không nhận được mã OTP" (acronyms stay as they are)."""
    return text[:1].lower() + text[1:]


def _campaigns(totals: Mapping[str, int]) -> list[Paragraph]:
    if not any(totals.get(metric, 0) for metric in f.CAMPAIGN_METRICS):
        return []
    return [
        Paragraph(
            f"- Tổ chức {vn_number(totals.get(f.ACTIVITIES, 0))} hoạt động tuyên truyền, với "
            f"{vn_number(totals.get(f.PARTICIPANTS, 0))} lượt đoàn viên, thanh niên tham gia; "
            f"{vn_number(f.defined(totals, f.BANNERS_PANELS))} băng rôn, pa nô; tiếp cận "
            f"{vn_number(totals.get(f.PEOPLE_REACHED, 0))} lượt người dân. Tổ chức "
            f"{vn_number(totals.get(f.EVENTS, 0))} sự kiện với {vn_number(totals.get(f.REGISTRATIONS, 0))} "
            f"lượt đăng ký, {vn_number(totals.get(f.EVENT_CHECK_INS, 0))} lượt có mặt."
        )
    ]


def _habit_and_rating(figures: Figures) -> str:
    answered = figures.total(f.FOLLOWUPS_ANSWERED)
    habit = figures.share(f.FOLLOWUPS_ALONE, f.FOLLOWUPS_ANSWERED)
    rating = figures.average_rating
    parts = []
    if answered:
        parts.append(
            f"qua {vn_number(answered)} cuộc gọi hỏi lại, {vn_number(habit or 0)}% người dân đã tự thực hiện "
            "thủ tục trực tuyến sau khi được hỗ trợ"
        )
    if rating is not None:
        parts.append(
            f"mức độ hài lòng bình quân {vn_number(rating)}/5 điểm "
            f"({vn_number(figures.total(f.RATINGS))} lượt đánh giá)"
        )
    if not parts:
        return "- Chưa có số liệu hỏi lại và đánh giá của người dân."
    sentence = "; ".join(parts)
    return "- " + sentence[0].upper() + sentence[1:] + "."


def _point_rows(data: ReportInput) -> list[list[str]]:
    rows = []
    ordered = sorted(data.figures.points.items(), key=lambda item: data.point_names.get(item[0], ""))
    for number, (point_id, values) in enumerate(ordered, start=1):
        rows.append(
            [
                str(number),
                data.point_names.get(point_id, "—"),
                vn_number(values.get(f.SHIFTS, 0)),
                vn_number(values.get(f.SHIFTS_COVERED, 0)),
                vn_number(values.get(f.CHECK_INS, 0)),
                vn_number(f.quarters_to_hours(values.get(f.VOLUNTEER_QUARTERS, 0))),
                vn_number(values.get(f.NO_SHOWS, 0)),
            ]
        )
    return rows


def report_document(data: ReportInput) -> Document:
    figures = data.figures
    totals = figures.totals
    body = data.unit_name.strip()
    when = period_text(data.start, data.end)
    shifts = totals.get(f.SHIFTS, 0)
    covered = totals.get(f.SHIFTS_COVERED, 0)
    blocks: list[Paragraph | Table] = [
        Paragraph(
            f"Thực hiện Kế hoạch số {'…' * 6}-KH/ĐTN ngày {'…' * 8} của Ban Thường vụ {body} "
            "về việc triển khai Đội hình thanh niên xung kích hỗ trợ người dân sử dụng "
            "dịch vụ công trực tuyến, "
            f"Ban Thường vụ {body} báo cáo kết quả thực hiện {when} như sau:"
        ),
        Paragraph("I. CÔNG TÁC TRIỂN KHAI", bold=True, indent=False, space_before=2),
        Paragraph(
            f"- Duy trì {vn_number(len([p for p in figures.points if p is not None]))} điểm hỗ trợ "
            "người dân; "
            f"bố trí {vn_number(shifts)} ca trực đã kết thúc với {vn_number(totals.get(f.PLACES, 0))} "
            "lượt vị trí."
        ),
        *_campaigns(totals),
        Paragraph(FILL),
        Paragraph("II. KẾT QUẢ", bold=True, indent=False, space_before=2),
        Paragraph("1. Hỗ trợ người dân", bold=True, indent=True),
        Paragraph(
            f"- Tổng số lượt người dân được hỗ trợ: {vn_number(figures.citizens_helped)} lượt; trong đó "
            "tạo tài khoản định danh điện tử / tài khoản dịch vụ công: "
            f"{vn_number(figures.accounts_created)} lượt; "
            f"nộp hồ sơ trực tuyến: {vn_number(totals.get(f.ONLINE_SUBMISSIONS, 0))} hồ sơ; "
            f"cài đặt ứng dụng: {vn_number(totals.get(f.APPS_INSTALLED, 0))} lượt."
        ),
        Paragraph(
            "- Số người lần đầu sử dụng dịch vụ công trực tuyến: "
            f"{vn_number(totals.get(f.FIRST_ONLINE, 0))} người "
            f"({percent(totals.get(f.FIRST_ONLINE, 0), totals.get(f.SESSIONS, 0))}%)."
        ),
        Paragraph(_failures(data)),
        Paragraph(_habit_and_rating(figures)),
    ]
    need_rows = _breakdown_rows(data, f.BY_NEED)
    if need_rows:
        blocks.append(
            Table(
                headings=["TT", "Nội dung hỗ trợ", "Số lượt", "Tỷ lệ (%)"],
                rows=need_rows,
                widths=[10, 90, 30, 30],
                aligns=["C", "L", "R", "R"],
                footer=[("Tổng cộng", 2), (vn_number(totals.get(f.SESSIONS, 0)), 1), ("100", 1)],
            )
        )
    procedure_rows = _breakdown_rows(data, f.BY_PROCEDURE, limit=10)
    if procedure_rows:
        blocks.append(Paragraph("- Các thủ tục nộp trực tuyến nhiều nhất:"))
        blocks.append(
            Table(
                headings=["TT", "Thủ tục", "Số hồ sơ", "Tỷ lệ (%)"],
                rows=procedure_rows,
                widths=[10, 90, 30, 30],
                aligns=["C", "L", "R", "R"],
            )
        )
    blocks += [
        Paragraph("2. Lực lượng tham gia", bold=True, indent=True),
        Paragraph(
            f"- Số ca trực đã kết thúc: {vn_number(shifts)} ca; số ca đủ người: {vn_number(covered)} ca "
            f"(đạt {percent(covered, shifts)}%)."
        ),
        Paragraph(
            f"- Lượt tình nguyện viên tham gia: {vn_number(totals.get(f.CHECK_INS, 0))} lượt; "
            f"tổng số giờ tình nguyện: {vn_number(figures.volunteer_hours)} giờ."
        ),
        Paragraph(
            f"- Lượt vắng không báo trước: {vn_number(totals.get(f.NO_SHOWS, 0))} lượt; "
            f"đến muộn: {vn_number(totals.get(f.LATE, 0))} lượt."
        ),
    ]
    point_rows = _point_rows(data)
    if point_rows:
        blocks.append(Paragraph("3. Kết quả theo điểm hỗ trợ", bold=True, indent=True))
        blocks.append(
            Table(
                headings=["TT", "Điểm hỗ trợ", "Ca đã kết thúc", "Ca đủ người", "Lượt TNV", "Số giờ", "Vắng"],
                rows=point_rows,
                widths=[10, 50, 14, 18, 16, 16, 12],
                aligns=["C", "L", "R", "R", "R", "R", "R"],
                footer=[
                    ("Tổng cộng", 2),
                    (vn_number(shifts), 1),
                    (vn_number(covered), 1),
                    (vn_number(totals.get(f.CHECK_INS, 0)), 1),
                    (vn_number(figures.volunteer_hours), 1),
                    (vn_number(totals.get(f.NO_SHOWS, 0)), 1),
                ],
            )
        )
    blocks += [
        Paragraph("III. ĐÁNH GIÁ", bold=True, indent=False, space_before=2),
        Paragraph("1. Ưu điểm", bold=True),
        Paragraph(FILL),
        Paragraph("2. Hạn chế, nguyên nhân", bold=True),
        Paragraph(FILL),
        Paragraph("IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI", bold=True, indent=False, space_before=2),
        Paragraph(FILL),
        Paragraph("V. ĐỀ XUẤT, KIẾN NGHỊ", bold=True, indent=False, space_before=2),
        Paragraph(FILL),
        Paragraph(f"Trên đây là báo cáo kết quả thực hiện {when} của Ban Thường vụ {body}./."),
    ]
    recipients: Sequence[str] = [
        *([f"- Ban Thường vụ {data.parent_name} (b/c);"] if data.parent_name else []),
        *([f"- UBND {data.admin_unit_name} (b/c);"] if data.admin_unit_name else []),
        "- Lưu VP.",
    ]
    return Document(
        header=DocumentHeader(
            superior=data.parent_name.upper(),
            issuer=issuer_line(body),
            number=NUMBER,
            place=place_of(data),
            date=data.issued_on,
        ),
        title="BÁO CÁO",
        subtitle=f"Kết quả hoạt động Đội hình thanh niên xung kích hỗ trợ dịch vụ công trực tuyến {when}",
        blocks=blocks,
        signature=Signature(),
        recipients=recipients,
        author=issuer_line(body),
    )


def report_filename(unit_name: str, start: dt.date, end: dt.date, extension: str) -> str:
    from xungkich.lib.vietnamese import fold

    slug = re.sub(r"[^a-z0-9]+", "-", fold(unit_name).lower()).strip("-") or "don-vi"
    return f"bao-cao-{slug}-{start:%Y%m%d}-{end:%Y%m%d}.{extension}"
