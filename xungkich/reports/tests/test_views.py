"""Views of the reports: dashboard, exports, recompute.

Each: works / outsider gets 404 / read-only gets 403 (where there is a write) / wrong method 405.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document as read_docx
from openpyxl import load_workbook

from xungkich.core.models import AuditEntry
from xungkich.helpdesk.models import HelpSession
from xungkich.places.models import ServicePoint
from xungkich.reports import figures as f
from xungkich.reports import rollups
from xungkich.reports.models import DailyFigure, ReportExport
from xungkich.reports.synthetic import Place
from xungkich.reports.tests.data import DECEMBER, fill_randomly, make_roster, make_volunteers
from xungkich.reports.tests.help_data import make_campaign_work, make_ratings, make_sessions
from xungkich.rosters.models import RosterPeriod, Shift
from xungkich.rosters.tests.test_attendance_data import make_point

DEC = {"from": "01/12/2026", "to": "31/12/2026"}


@pytest.fixture
def december(units):
    rng = random.Random(7)
    point = make_point(units["hoian"])
    shifts = make_roster(point, days=31, demand=2)
    fill_randomly(rng, shifts, make_volunteers(units["hoian"], 5))
    places = [Place(units["hoian"].pk, point.pk), Place(units["branch"].pk, None)]
    make_sessions(rng, places=places, start=DECEMBER, days=31, count=120)
    make_ratings(rng, point=point, start=DECEMBER, days=31, count=12)
    make_campaign_work(rng, units=[units["hoian"]], start=DECEMBER, days=31)
    rollups.rebuild(start=DECEMBER, end=dt.date(2026, 12, 31))
    return rollups.figures(unit=units["hoian"], start=DECEMBER, end=dt.date(2026, 12, 31))


def body(response) -> str:
    return response.content.decode()


# --- Dashboard ------------------------------------------------------------------------------------


def tile(data, tile_id):
    return next(t for t in data.tiles if t.tile_id == tile_id)


def test_dashboard_shows_the_figures_and_charts(
    client_for, coordinator, units, december, django_assert_num_queries
):
    client = client_for(coordinator)
    client.get(reverse("reports:dashboard"))  # session and language warm-up
    # session, user, the unit, shifts ended since the last read?, pending changes?, 3 rollup
    # queries, point names, ward names, units list, recent exports.
    with django_assert_num_queries(12):
        response = client.get(reverse("reports:dashboard"), {**DEC, "unit": units["hoian"].pk})
    assert response.status_code == 200
    html = body(response)
    data = response.context["data"]
    assert data.figures == december
    for chart_id in (
        "chart-sessions-week",
        "chart-by-need",
        "chart-by-failure",
        "chart-by-ward",
        "chart-hours-week",
    ):
        assert f'id="{chart_id}"' in html
    assert html.count('role="img"') >= 8
    assert html.count('class="report-chart-data"') == len(data.charts)  # each chart has its data table
    assert december.total(f.SESSIONS) == 120  # and what the activities add beyond their sessions:
    assert (
        tile(data, "tile-sessions").value
        == december.citizens_helped
        == 120 + december.total(f.CAMPAIGN_HELPED)
    )
    assert 'id="tile-sessions"' in html and f">{december.citizens_helped}<" in html
    assert "120 lượt hỗ trợ đã ghi nhận" in html
    assert tile(data, "tile-rating").value == december.average_rating
    assert tile(data, "tile-hours").value == december.volunteer_hours
    assert tile(data, "tile-reach").value == december.total(f.PEOPLE_REACHED) > 0
    assert 'id="chart-reach-month"' in html


def test_dashboard_defaults_to_the_users_unit_and_this_month(client_for, viewer, units):
    response = client_for(viewer).get(reverse("reports:dashboard"))
    assert response.status_code == 200
    assert response.context["unit"] == units["hoian"]
    assert response.context["data"].start.day == 1


def test_dashboard_reads_only_the_rollups(client_for, coordinator, units, december):
    HelpSession.objects.all().delete()
    RosterPeriod.objects.all().delete()
    response = client_for(coordinator).get(reverse("reports:dashboard"), DEC)
    assert response.context["data"].figures == december


def test_dashboard_bad_dates_say_so_and_show_this_month(client_for, coordinator):
    response = client_for(coordinator).get(
        reverse("reports:dashboard"), {"from": "31/12/2026", "to": "01/12/2026"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors


def test_dashboard_unit_outside_scope_is_404(client_for, outsider, unit_leader, units):
    assert (
        client_for(outsider).get(reverse("reports:dashboard"), {"unit": units["hoian"].pk}).status_code == 404
    )
    # A unit leader reads their own unit only.
    assert (
        client_for(unit_leader).get(reverse("reports:dashboard"), {"unit": units["hoian"].pk}).status_code
        == 404
    )
    assert (
        client_for(unit_leader).get(reverse("reports:dashboard"), {"unit": units["branch"].pk}).status_code
        == 200
    )
    assert client_for(outsider).get(reverse("reports:dashboard"), {"unit": "abc"}).status_code == 404


def test_dashboard_is_not_for_volunteers_or_kiosks(client_for, volunteer_user, kiosk):
    assert client_for(volunteer_user).get(reverse("reports:dashboard")).status_code == 403
    assert client_for(kiosk).get(reverse("reports:dashboard")).status_code == 403


def test_dashboard_wrong_method_is_405(client_for, coordinator):
    assert client_for(coordinator).post(reverse("reports:dashboard")).status_code == 405


# --- Exports --------------------------------------------------------------------------------------


def start(client, unit, kind):
    return client.post(reverse("reports:export_start"), {**DEC, "unit": unit.pk, "kind": kind})


def test_a_docx_export_is_built_and_downloaded(client_for, coordinator, units, december):
    client = client_for(coordinator)
    response = start(client, units["hoian"], "docx")
    export = ReportExport.objects.get()
    assert response.status_code == 302 and response.url == reverse("reports:export_detail", args=[export.pk])
    assert export.status == ReportExport.Status.DONE and export.percent == 100
    assert AuditEntry.objects.filter(action="reports.export_requested").exists()
    page = client.get(reverse("reports:export_detail", args=[export.pk]))
    assert 'id="export-download"' in body(page)
    download = client.get(reverse("reports:export_download", args=[export.pk]))
    assert download.status_code == 200
    assert download["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    document = read_docx(io.BytesIO(b"".join(download.streaming_content)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO" in text and "tháng 12/2026" in text
    assert f"Số ca trực đã kết thúc: {december.total(f.SHIFTS)} ca" in text


def test_an_xlsx_export_has_the_sheets_and_the_records(client_for, coordinator, units, december):
    client = client_for(coordinator)  # viewers get figures only: test_viewer_exports.py
    start(client, units["hoian"], "xlsx")
    export = ReportExport.objects.get()
    download = client.get(reverse("reports:export_download", args=[export.pk]))
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True)
    assert len(workbook.sheetnames) >= 8
    summary = {
        row[0]: row[1] for row in workbook[workbook.sheetnames[0]].iter_rows(min_row=4, values_only=True)
    }
    assert summary["Số người dân được hỗ trợ"] == december.citizens_helped
    assert summary["Lượt hỗ trợ đã ghi nhận"] == december.total(f.SESSIONS) == 120
    sessions = list(workbook[workbook.sheetnames[-2]].iter_rows(min_row=4, values_only=True))
    shifts = list(workbook[workbook.sheetnames[-1]].iter_rows(min_row=4, values_only=True))
    ended = Shift.objects.filter(period__status=RosterPeriod.Status.PUBLISHED, end__lte=timezone.now())
    assert (len(sessions), len(shifts)) == (120, ended.count())


def _download(client, unit, kind):
    start(client, unit, kind)
    export = ReportExport.objects.filter(kind=kind).latest("pk")
    assert export.status == ReportExport.Status.DONE, export.error
    return b"".join(client.get(reverse("reports:export_download", args=[export.pk])).streaming_content)


def _as_csv_text(value) -> str:
    """A workbook value as the CSV writes it (dates dd/mm/yyyy, empty for nothing)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return f"{value:%d/%m/%Y}"
    return str(value)


def test_the_workbook_records_match_the_csv_and_the_records(client_for, coordinator, units, december):
    client = client_for(coordinator)
    workbook = load_workbook(io.BytesIO(_download(client, units["hoian"], "xlsx")), read_only=True)
    csv_rows = list(csv.reader(io.StringIO(_download(client, units["hoian"], "csv").decode("utf-8-sig"))))
    sheet = list(workbook["Lượt hỗ trợ"].iter_rows(values_only=True))
    assert sheet[0][0] == f"Kết quả của {units['hoian'].name}" and sheet[1][0] == "01/12/2026 – 31/12/2026"
    assert list(sheet[2]) == csv_rows[0]  # the same headings
    records = sheet[3:]
    assert len(records) == len(csv_rows) - 1 == 120
    for row, line in zip(records, csv_rows[1:], strict=True):
        assert [_as_csv_text(value) for value in row] == line
    # ... and they are the help sessions themselves, in date order, typed (dates, whole minutes).
    sessions = list(
        HelpSession.objects.filter(helped_on__range=(DECEMBER, dt.date(2026, 12, 31)))
        .select_related("unit", "point", "ward")
        .order_by("helped_on", "pk")
    )
    assert len(sessions) == 120
    for row, session in zip(records, sessions, strict=True):
        assert row[0].date() == session.helped_on
        assert row[1] == session.unit.name
        assert row[2] == (session.point.name if session.point else None)
        assert row[5] == session.get_need_display()
        assert row[9] == session.get_outcome_display()
        assert row[11] == session.duration_minutes
        assert row[14] == (session.ward.name if session.ward else None)
    # The shifts sheet: one row per published shift that has ended, in time order, with its places.
    shifts = list(workbook["Ca đã kết thúc"].iter_rows(min_row=4, values_only=True))
    published = list(
        Shift.objects.filter(period__status=RosterPeriod.Status.PUBLISHED, end__lte=timezone.now()).order_by(
            "start", "pk"
        )
    )
    assert len(shifts) == len(published) > 0
    for row, shift in zip(shifts, published, strict=True):
        assert row[0].date() == timezone.localtime(shift.start).date()
        assert (row[1], row[3], row[6]) == (shift.point.name, shift.name, shift.demand)
    assert sum(row[7] for row in shifts) == december.total(f.CHECK_INS)
    assert sum(row[8] for row in shifts) == december.total(f.NO_SHOWS)
    # The figures sheets agree with the rollups (citizens helped: sessions and what activities add).
    helped = december.citizens_helped
    assert helped > december.total(f.SESSIONS) == 120
    by_point = list(workbook["Theo điểm hỗ trợ"].iter_rows(min_row=4, values_only=True))
    assert sum(row[1] for row in by_point) == helped
    summary = {row[0]: row[1] for row in workbook["Tóm tắt"].iter_rows(min_row=4, values_only=True)}
    assert (summary["Số người dân được hỗ trợ"], summary["Lượt hỗ trợ đã ghi nhận"]) == (helped, 120)
    for title in ("Theo tuần", "Theo tháng"):
        trend = list(workbook[title].iter_rows(min_row=4, values_only=True))
        assert all(isinstance(row[0], dt.datetime) for row in trend)
        assert sum(row[1] for row in trend) == helped


def test_report_exports_keep_formula_looking_names_as_text(client_for, coordinator, units, december):
    point = ServicePoint.objects.get()
    ServicePoint.objects.filter(pk=point.pk).update(name='=HYPERLINK("http://x","click")')
    first = HelpSession.objects.filter(point=point).order_by("helped_on", "pk").first()
    HelpSession.objects.filter(pk=first.pk).update(procedure_name="-Đăng ký thường trú")
    client = client_for(coordinator)
    workbook = load_workbook(io.BytesIO(_download(client, units["hoian"], "xlsx")))
    cells = [row[2] for row in workbook["Lượt hỗ trợ"].iter_rows(min_row=4) if row[2].value]
    assert cells and all(c.data_type == "s" and c.value == '=HYPERLINK("http://x","click")' for c in cells)
    procedures = [row[7] for row in workbook["Lượt hỗ trợ"].iter_rows(min_row=4)]
    assert [c.value for c in procedures if c.data_type == "s" and c.quotePrefix] == ["-Đăng ký thường trú"]
    assert not any(cell.data_type == "f" for sheet in workbook for row in sheet.iter_rows() for cell in row)
    assert {row[1].data_type for row in workbook["Theo điểm hỗ trợ"].iter_rows(min_row=4)} == {"n"}
    lines = list(csv.reader(io.StringIO(_download(client, units["hoian"], "csv").decode("utf-8-sig"))))
    points = {line[2] for line in lines[1:]} - {""}
    assert points == {'\'=HYPERLINK("http://x","click")'}
    assert sum(line[7] == "'-Đăng ký thường trú" for line in lines) == 1


def test_a_csv_export_has_the_records_without_personal_data(client_for, coordinator, units, december):
    session = HelpSession.objects.first()
    HelpSession.objects.filter(pk=session.pk).update(
        notes="Gọi lại 0905 123 456", dossier_code="H36.99-261201-0001", tracking_consent_version="v1"
    )
    session.refresh_from_db()
    client = client_for(coordinator)
    start(client, units["hoian"], "csv")
    export = ReportExport.objects.get()
    text = b"".join(
        client.get(reverse("reports:export_download", args=[export.pk])).streaming_content
    ).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 121
    assert "0905" not in text and "H36.99" not in text and "Gọi lại" not in text
    assert "Ngày" in lines[0] and "Kết quả" in lines[0]


def test_export_of_an_outside_unit_is_404(client_for, outsider, units):
    assert start(client_for(outsider), units["hoian"], "docx").status_code == 404
    assert not ReportExport.objects.exists()


def test_export_pages_outside_scope_are_404(client_for, coordinator, outsider, units, december):
    start(client_for(coordinator), units["hoian"], "pdf")
    export = ReportExport.objects.get()
    assert client_for(outsider).get(reverse("reports:export_detail", args=[export.pk])).status_code == 404
    assert client_for(outsider).get(reverse("reports:export_download", args=[export.pk])).status_code == 404


def test_exports_are_not_for_volunteers(client_for, volunteer_user, coordinator, units, december):
    start(client_for(coordinator), units["hoian"], "pdf")
    export = ReportExport.objects.get()
    assert start(client_for(volunteer_user), units["hoian"], "pdf").status_code == 403
    assert (
        client_for(volunteer_user).get(reverse("reports:export_download", args=[export.pk])).status_code
        == 403
    )


def test_export_wrong_methods_are_405(client_for, coordinator, units, december):
    client = client_for(coordinator)
    start(client, units["hoian"], "pdf")
    export = ReportExport.objects.get()
    assert client.get(reverse("reports:export_start")).status_code == 405
    assert client.post(reverse("reports:export_detail", args=[export.pk])).status_code == 405
    assert client.post(reverse("reports:export_download", args=[export.pk])).status_code == 405


def test_a_pdf_export_is_a_pdf(client_for, coordinator, units, december):
    client = client_for(coordinator)
    start(client, units["hoian"], "pdf")
    export = ReportExport.objects.get()
    content = b"".join(client.get(reverse("reports:export_download", args=[export.pk])).streaming_content)
    assert content.startswith(b"%PDF")


def test_an_unfinished_export_has_no_download_and_polls(client_for, coordinator, units):
    export = ReportExport.objects.create(
        kind="xlsx",
        unit=units["hoian"],
        start=DECEMBER,
        end=DECEMBER,
        requested_by=coordinator,
        percent=40,
        status=ReportExport.Status.RUNNING,
    )
    client = client_for(coordinator)
    assert client.get(reverse("reports:export_download", args=[export.pk])).status_code == 404
    partial = client.get(reverse("reports:export_detail", args=[export.pk]), headers={"HX-Request": "true"})
    assert 'hx-trigger="every 2s"' in body(partial) and "40%" in body(partial)
    assert "<html" not in body(partial)


def test_a_bad_export_request_says_so(client_for, coordinator, units):
    response = client_for(coordinator).post(
        reverse("reports:export_start"), {**DEC, "unit": units["hoian"].pk, "kind": "exe"}, follow=True
    )
    assert not ReportExport.objects.exists()
    assert any("định dạng" in str(m) for m in response.context["messages"])


# --- Recompute ------------------------------------------------------------------------------------


def test_recompute_rebuilds_the_scope(client_for, coordinator, units, december):
    DailyFigure.objects.all().delete()
    response = client_for(coordinator).post(reverse("reports:refresh"), {**DEC, "unit": units["hoian"].pk})
    assert response.status_code == 302
    assert rollups.figures(unit=units["hoian"], start=DECEMBER, end=dt.date(2026, 12, 31)) == december
    assert AuditEntry.objects.filter(action="reports.figures_refreshed").exists()


def test_recompute_is_not_for_viewers(client_for, viewer, units):
    assert (
        client_for(viewer).post(reverse("reports:refresh"), {**DEC, "unit": units["hoian"].pk}).status_code
        == 403
    )


def test_recompute_outside_scope_is_404(client_for, outsider, units):
    assert (
        client_for(outsider).post(reverse("reports:refresh"), {**DEC, "unit": units["hoian"].pk}).status_code
        == 404
    )


def test_recompute_wrong_method_is_405(client_for, coordinator):
    assert client_for(coordinator).get(reverse("reports:refresh")).status_code == 405
