"""Reports in the browser: the coordinator opens December's dashboard, reads the charts and
downloads the Word report, then opens it (python-docx) as the recipient would."""

from __future__ import annotations

import datetime as dt
import io
import random
import re

import pytest
from django.core.management import call_command
from docx import Document as read_docx

from tests.browser.conftest import screenshot
from tests.browser.test_foundation import sign_in
from xungkich.people.models import OrgUnit
from xungkich.reports import rollups
from xungkich.reports.synthetic import Place
from xungkich.reports.tests.data import DECEMBER, fill_randomly, make_roster, make_volunteers
from xungkich.reports.tests.help_data import make_sessions
from xungkich.rosters.models import ServicePoint

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_reads_december_and_downloads_the_word_report(page):  # type: ignore[no-untyped-def]
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

    sign_in(page, "dieuphoi")
    page.goto("/")
    page.locator("main").get_by_role("link", name="Báo cáo").first.click()
    page.wait_for_url(re.compile(r"/reports/"))
    page.fill("input[name=from]", "01/12/2026")
    page.fill("input[name=to]", "31/12/2026")
    page.locator("#reports-filter button[type=submit]").click()
    page.wait_for_url(re.compile(r"from=01%2F12%2F2026"))
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
