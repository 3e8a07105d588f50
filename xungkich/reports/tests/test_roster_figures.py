"""Staffing and hours figures count what has happened by the time they are read (docs/reports.md,
"Definitions"):

- shifts, shifts fully staffed, check-ins, no-shows and late arrivals: shifts that have **ended**;
- volunteer hours: credited when the volunteer checks out or the shift ends, never before, and
  attributed to the **volunteer's** unit, on the unit hours page, the dashboard and the report alike.

Time is frozen at explicit moments; nothing but the clock changes between two readings.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document as read_docx
from freezegun import freeze_time
from lxml import html

from xungkich.reports import figures as f
from xungkich.reports import rollups, selectors
from xungkich.reports.models import ReportExport
from xungkich.reports.report import report_document
from xungkich.reports.tests.data import make_volunteers
from xungkich.rosters.tests.test_attendance_data import assign, local, make_point, make_shifts

pytestmark = pytest.mark.django_db

D = dt.date(2026, 11, 18)  # a Wednesday; the morning shift is 07:30–11:30 local time
NOVEMBER = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def report_text(unit, start, end) -> str:
    document = report_document(selectors.report_input(unit=unit, start=start, end=end))
    return "\n".join(str(block.text) for block in document.blocks if hasattr(block, "text"))


def test_staffing_counts_only_shifts_that_have_ended(units):
    with freeze_time(local(D, 12, 0)):
        point = make_point(units["hoian"])
        shifts = make_shifts(point, start=D - dt.timedelta(days=1), days=5)  # 17/11 … 21/11
        people = make_volunteers(units["hoian"], 3)
        for shift in shifts:
            for person in people:
                ended = shift.end <= local(D, 12, 0)
                assign(shift, person, check_in_at=shift.start if ended else None)
        rollups.rebuild(start=NOVEMBER[0], end=NOVEMBER[1])
        figures = rollups.figures(unit=units["hoian"], start=NOVEMBER[0], end=NOVEMBER[1])
        assert figures == rollups.raw_figures(unit=units["hoian"], start=NOVEMBER[0], end=NOVEMBER[1])
        assert (figures.total(f.SHIFTS), figures.total(f.SHIFTS_COVERED), figures.total(f.CHECK_INS)) == (
            2,
            2,
            6,
        )
        text = report_text(units["hoian"], *NOVEMBER)
        assert "Số ca trực đã kết thúc: 2 ca; số ca đủ người: 2 ca (đạt 100%)" in text

    # A day later, with no service call in between: the 18/11 … 19/11 shifts have ended (nobody came
    # on the 19th), the ones still to come are not counted.
    with freeze_time(local(D + dt.timedelta(days=1), 12, 0)):
        figures = rollups.figures(unit=units["hoian"], start=NOVEMBER[0], end=NOVEMBER[1])
        assert figures == rollups.raw_figures(unit=units["hoian"], start=NOVEMBER[0], end=NOVEMBER[1])
        assert (figures.total(f.SHIFTS), figures.total(f.SHIFTS_COVERED)) == (3, 2)
        assert "Số ca trực đã kết thúc: 3 ca; số ca đủ người: 2 ca (đạt 66,7%)" in report_text(
            units["hoian"], *NOVEMBER
        )


def _hours(client, unit) -> dict[str, str]:
    """The volunteer hours of ``unit`` in November on the unit hours page, the dashboard and the
    unit-filtered Word report."""
    page = html.fromstring(
        client.get(reverse("rosters:unit_hours", args=[unit.pk]), {"month": "11/2026"}).content
    )
    on_hours_page = page.xpath('//*[@id="unit-hours-total"]')[0].text_content().strip()
    dates = {"from": "01/11/2026", "to": "30/11/2026"}
    page = html.fromstring(client.get(reverse("reports:dashboard"), {"unit": unit.pk, **dates}).content)
    on_dashboard = (
        page.xpath('//*[@id="tile-hours"]/span[@class="report-tile-value"]')[0].text_content().strip()
    )
    ReportExport.objects.all().delete()
    client.post(reverse("reports:export_start"), {**dates, "unit": unit.pk, "kind": "docx"})
    export = ReportExport.objects.get()
    download = client.get(reverse("reports:export_download", args=[export.pk]))
    document = read_docx(io.BytesIO(b"".join(download.streaming_content)))
    line = next(p.text for p in document.paragraphs if "tổng số giờ tình nguyện" in p.text)
    in_report = line.split("tổng số giờ tình nguyện: ")[1].split(" giờ")[0]
    return {"hours page": on_hours_page, "dashboard": on_dashboard, "report": in_report}


def test_hours_are_credited_when_the_shift_ends_to_the_volunteers_unit(
    client_for, coordinator, units, volunteer
):
    """A volunteer of Chi đoàn Minh An on the roster of Đoàn phường Hội An's point."""
    point = make_point(units["hoian"])
    with freeze_time(local(D, 9, 0)):
        yesterday, today, tomorrow = make_shifts(point, start=D - dt.timedelta(days=1), days=3)
        assign(yesterday, volunteer, check_in_at=yesterday.start)  # no check-out: to the scheduled end
        assign(today, volunteer, check_in_at=today.start)  # on duty now
        assign(tomorrow, volunteer)  # still to come
        rollups.rebuild(start=NOVEMBER[0], end=NOVEMBER[1])
        client = client_for(coordinator)
        assert _hours(client, units["branch"]) == {"hours page": "4", "dashboard": "4", "report": "4"}
        assert _hours(client, units["hoian"]) == {"hours page": "4", "dashboard": "4", "report": "4"}

    with freeze_time(local(D, 11, 45)):  # the morning shift has ended; nobody checked out
        client = client_for(coordinator)
        assert _hours(client, units["branch"]) == {"hours page": "8", "dashboard": "8", "report": "8"}
        figures = rollups.figures(unit=units["branch"], start=NOVEMBER[0], end=NOVEMBER[1])
        assert figures == rollups.raw_figures(unit=units["branch"], start=NOVEMBER[0], end=NOVEMBER[1])
