"""Reports in the browser: the coordinator opens December's dashboard, reads the charts and
downloads the Word report, then opens it (python-docx) as the recipient would; the Excel report,
opened with openpyxl, holds every help session."""

from __future__ import annotations

import datetime as dt
import io
import random
import re

import pytest
from django.core.management import call_command
from docx import Document as read_docx
from openpyxl import load_workbook

from tests.browser.conftest import screenshot, sign_in
from xungkich.helpdesk.models import HelpSession
from xungkich.people.models import OrgUnit
from xungkich.places.models import ServicePoint
from xungkich.reports import rollups
from xungkich.reports.synthetic import Place
from xungkich.reports.tests.data import DECEMBER, fill_randomly, make_roster, make_volunteers
from xungkich.reports.tests.help_data import make_sessions

pytestmark = pytest.mark.django_db(transaction=True)


def december_with_sessions() -> ServicePoint:
    call_command("load_demo", volume=0, stdout=io.StringIO())
    point = ServicePoint.objects.get(unit__name="Đoàn phường Hội An")
    assert point is not None
    hoian = OrgUnit.objects.get(pk=point.unit_id)
    rng = random.Random(12)
    shifts = make_roster(point, start=DECEMBER, days=31, demand=2)
    fill_randomly(rng, shifts, make_volunteers(hoian, 4, prefix="Đội viên"))
    make_sessions(
        rng, places=[Place(hoian.pk, point.pk), Place(hoian.pk, None)], start=DECEMBER, days=31, count=150
    )
    rollups.rebuild(start=DECEMBER, end=dt.date(2026, 12, 31))
    return point


def open_december(page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "dieuphoi")
    page.goto("/")
    page.locator("main").get_by_role("link", name="Báo cáo").first.click()
    page.wait_for_url(re.compile(r"/reports/"))
    page.fill("input[name=from]", "01/12/2026")
    page.fill("input[name=to]", "31/12/2026")
    page.locator("#reports-filter button[type=submit]").click()
    page.wait_for_url(re.compile(r"from=01%2F12%2F2026"))


def test_coordinator_reads_december_and_downloads_the_word_report(page):  # type: ignore[no-untyped-def]
    december_with_sessions()
    open_december(page)
    assert page.locator("#reports-period").inner_text() == "01/12/2026 – 31/12/2026"
    assert page.locator("#tile-sessions .report-tile-value").inner_text() == "150"
    charts = page.locator("figure.report-chart svg[role=img]")
    assert charts.count() >= 8
    assert charts.first.is_visible()
    # Each chart's numbers are in a table too.
    page.locator("#chart-by-need summary").click()
    assert page.locator("#chart-by-need table tbody tr").count() >= 3
    screenshot(page, "reports-dashboard")

    page.select_option("#id_kind", "docx")
    page.locator("#export-submit").click()
    page.wait_for_url(re.compile(r"/reports/exports/\d+/$"))
    with page.expect_download() as info:
        page.locator("#export-download").click()
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    document = read_docx(download.path())
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO" in text and "tháng 12/2026" in text
    assert "Tổng số lượt người dân được hỗ trợ: 150 lượt" in text


def test_coordinator_downloads_the_excel_report_with_every_help_session(page):  # type: ignore[no-untyped-def]
    point = december_with_sessions()
    ServicePoint.objects.filter(pk=point.pk).update(name='=HYPERLINK("http://x","Điểm")')
    open_december(page)
    page.select_option("#id_kind", "xlsx")
    page.locator("#export-submit").click()
    page.wait_for_url(re.compile(r"/reports/exports/\d+/$"))
    screenshot(page, "reports-xlsx-export")
    with page.expect_download() as info:
        page.locator("#export-download").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as handle:  # the download has no .xlsx name of its own
        workbook = load_workbook(handle)
    rows = list(workbook["Lượt hỗ trợ"].iter_rows(min_row=4))
    sessions = HelpSession.objects.filter(helped_on__range=(DECEMBER, dt.date(2026, 12, 31)))
    assert len(rows) == sessions.count() >= 150
    assert all(row[0].value and row[1].value and row[5].value for row in rows)  # no empty rows
    at_point = [row[2] for row in rows if row[2].value]
    assert len(at_point) == sessions.filter(point=point).count()
    assert all(cell.data_type == "s" and cell.value.startswith("=HYPERLINK") for cell in at_point)
