"""The hours certificate: who issues it, what it says, and that it is a proper A4 Youth Union document."""

from __future__ import annotations

import datetime as dt

import pytest

from xungkich.core.errors import DomainError
from xungkich.core.pdf import Paragraph, Table
from xungkich.core.tests.test_pdf import MM, media_boxes, pdf_text, word_boxes
from xungkich.people import services as people_services
from xungkich.people.models import AdminUnit, OrgUnit, Volunteer
from xungkich.rosters.attendance import certificate
from xungkich.rosters.attendance.services import late_minutes_for
from xungkich.rosters.tests.test_attendance_data import (
    AFTERNOON,
    DAY,
    assign,
    local,
    make_point,
    make_shifts,
)

ISSUED = dt.date(2026, 4, 2)


@pytest.fixture
def served(units, volunteer):
    """Five mornings at the centre and two afternoons at a ward point, all checked in."""
    Volunteer.objects.filter(pk=volunteer.pk).update(birth_date=dt.date(2001, 3, 14))
    volunteer.refresh_from_db()
    centre = make_point(units["hoian"])
    ward = make_point(units["hoian"], "Điểm hỗ trợ khối phố Sơn Phong")
    for number, shift in enumerate(make_shifts(centre, days=5)):
        assign(
            shift,
            volunteer,
            check_in_at=shift.start + dt.timedelta(minutes=number * 5 - 5),
            check_out_at=shift.end,
            late_minutes=late_minutes_for(shift.start, shift.start + dt.timedelta(minutes=number * 5 - 5)),
        )
    for shift in make_shifts(ward, start=DAY + dt.timedelta(days=7), days=2, times=AFTERNOON, name="Chiều"):
        assign(shift, volunteer, check_in_at=shift.start, check_out_at=shift.end - dt.timedelta(minutes=30))
    return volunteer


def pdf(volunteer, start=DAY, end=DAY + dt.timedelta(days=30)) -> bytes:
    return certificate.hours_certificate_pdf(volunteer=volunteer, start=start, end=end, today=ISSUED)


def test_the_issuer_is_the_base_unit_under_its_parent(units):
    issuer = certificate.issuer_for(units["branch"])
    assert issuer == certificate.Issuer(
        superior="THÀNH ĐOÀN ĐÀ NẴNG",
        issuer="BCH ĐOÀN PHƯỜNG HỘI AN",
        body="Đoàn phường Hội An",
        place="Hội An",
    )
    # A volunteer of the base unit itself: the same.
    assert certificate.issuer_for(units["hoian"]) == issuer


def test_the_place_comes_from_the_administrative_unit(units):
    province = AdminUnit.objects.get_or_create(
        code="48", defaults={"name": "Thành phố Đà Nẵng", "kind": "province"}
    )[0]
    ward = AdminUnit.objects.update_or_create(
        code="20413", defaults={"name": "Phường Hội An Đông", "kind": "ward", "province": province}
    )[0]
    OrgUnit.objects.filter(pk=units["hoian"].pk).update(admin_unit=ward)
    assert certificate.issuer_for(units["branch"]).place == "Hội An Đông"


def test_without_a_base_unit_the_volunteers_own_unit_issues(units):
    city_team = people_services.create_unit(
        by=None, name="Đội hình xung kích Thành đoàn", kind=OrgUnit.Kind.TEAM, parent=units["city"]
    )
    issuer = certificate.issuer_for(city_team)
    assert issuer.issuer == "BCH ĐỘI HÌNH XUNG KÍCH THÀNH ĐOÀN"
    assert issuer.superior == "THÀNH ĐOÀN ĐÀ NẴNG"
    top = certificate.issuer_for(units["city"])
    assert (top.superior, top.issuer, top.place) == ("", "BCH THÀNH ĐOÀN ĐÀ NẴNG", "Đà Nẵng")


def test_the_document_data(served, units):
    from xungkich.rosters.attendance.hours import attendance_rows

    rows = attendance_rows(volunteer=served, served_only=True)
    document = certificate.certificate_document(
        issuer=certificate.issuer_for(served.unit),
        full_name=served.full_name,
        birth_date=served.birth_date,
        unit_name=served.unit.name,
        start=DAY,
        end=DAY + dt.timedelta(days=30),
        rows=rows,
        issued_on=ISSUED,
    )
    assert document.header.superior == "THÀNH ĐOÀN ĐÀ NẴNG"
    assert document.header.date == ISSUED
    table = next(b for b in document.blocks if isinstance(b, Table))
    assert len(table.rows) == 7
    # 07:25 counts as the shift's 4 h (capped); 07:35 → 3 h 55 → 4; 07:40 and 07:45 → 3.75;
    # afternoons 13:30–16:30 → 3.
    assert [r[4] for r in table.rows] == ["4", "4", "4", "3,75", "3,75", "3", "3"]
    assert table.rows[0][3] == "07:25 – 11:30"
    assert table.footer == [("Tổng cộng", 3), ("7 ca trực", 1), ("25,5", 1)]
    intro = next(b for b in document.blocks if isinstance(b, Paragraph) and not isinstance(b.text, str))
    assert ("B", "Nguyễn Văn An") in list(intro.text)
    assert document.signature.on_behalf == "TM. BAN THƯỜNG VỤ" and document.signature.title == "BÍ THƯ"
    assert document.recipients == ["- Đồng chí Nguyễn Văn An;", "- Lưu VP."]


def test_it_is_a_real_a4_pdf(served):
    content = pdf(served)
    assert content.startswith(b"%PDF")
    for box in media_boxes(content):
        assert box[2:] == pytest.approx((595.28, 841.89), abs=1)


def test_it_says_what_it_should_in_vietnamese(served, tmp_path):
    text = " ".join(pdf_text(pdf(served), tmp_path).split())
    for expected in [
        "THÀNH ĐOÀN ĐÀ NẴNG",
        "BCH ĐOÀN PHƯỜNG HỘI AN",
        "***",
        "Số:",
        "-GXN/ĐTN",
        "ĐOÀN TNCS HỒ CHÍ MINH",
        "Hội An, ngày 02 tháng 4 năm 2026",
        "GIẤY XÁC NHẬN",
        "Thời gian tham gia Đội hình thanh niên",
        "xung kích hỗ trợ dịch vụ công trực tuyến",
        "Ban Thường vụ Đoàn phường Hội An xác nhận:",
        "Đồng chí Nguyễn Văn An, sinh ngày 14/03/2001, đoàn viên Chi đoàn Minh An",
        "từ ngày 02/03/2026 đến ngày 01/04/2026",
        "Trung tâm Phục vụ hành chính công",
        "Điểm hỗ trợ khối phố Sơn Phong",
        "Tổng cộng 7 ca trực 25,5",
        "Tổng thời gian tham gia: 25,5 giờ (7 ca trực).",
        "TM. BAN THƯỜNG VỤ",
        "BÍ THƯ",
        "Nơi nhận:",
        "- Đồng chí Nguyễn Văn An;",
        "- Lưu VP.",
    ]:
        assert expected in text, expected


def test_its_margins_follow_the_guide(served, tmp_path):
    words = word_boxes(pdf(served), tmp_path)
    assert min(w[0] for w in words) == pytest.approx(30 * MM, abs=0.6 * MM)  # left 30 mm
    assert max(w[2] for w in words) <= (210 - 20) * MM + 0.5  # right 20 mm
    assert min(w[1] for w in words) >= 20 * MM - 1  # top 20 mm
    assert max(w[3] for w in words) <= (297 - 20) * MM + 1  # bottom 20 mm
    union = next(w for w in words if w[4] == "TNCS")
    superior = next(w for w in words if w[4] == "THÀNH")
    assert union[0] > superior[2]  # the Union's name at the top right, the superior body at the top left
    assert abs(union[1] - superior[1]) < 2


def test_only_the_chosen_dates_count(served, tmp_path):
    text = " ".join(pdf_text(pdf(served, start=DAY, end=DAY + dt.timedelta(days=1)), tmp_path).split())
    assert "Tổng cộng 2 ca trực 8" in text
    assert "Sơn Phong" not in text


def test_nothing_served_or_a_reversed_range_is_refused(served):
    with pytest.raises(DomainError) as excinfo:
        pdf(served, start=DAY - dt.timedelta(days=10), end=DAY - dt.timedelta(days=1))
    assert excinfo.value.code == "certificate_nothing_served"
    with pytest.raises(DomainError) as excinfo:
        pdf(served, start=DAY, end=DAY - dt.timedelta(days=1))
    assert excinfo.value.code == "certificate_range"


def test_no_birth_date_leaves_it_out(served, tmp_path):
    Volunteer.objects.filter(pk=served.pk).update(birth_date=None)
    served.refresh_from_db()
    text = " ".join(pdf_text(pdf(served), tmp_path).split())
    assert "Đồng chí Nguyễn Văn An, đoàn viên Chi đoàn Minh An" in text
    assert "sinh ngày" not in text


def test_filename_is_plain_ascii(served):
    assert certificate.certificate_filename(served, DAY, DAY + dt.timedelta(days=30)) == (
        "giay-xac-nhan-nguyen-van-an-20260302-20260401.pdf"
    )


def test_local_times_are_shown(served, tmp_path):
    # Stored in UTC (00:25Z), printed in Asia/Ho_Chi_Minh.
    assert local(DAY, 7, 25).astimezone(dt.UTC).hour == 0
    assert "07:25 – 11:30" in pdf_text(pdf(served), tmp_path)
