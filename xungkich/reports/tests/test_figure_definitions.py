"""One definition per figure: the dashboard, the Word report, the Excel file, the summary API and the
campaign page show the same numbers for the same records (docs/reports.md, "Definitions").

- citizens helped = help sessions + the citizens helped typed on campaign activities beyond the
  sessions recorded at each activity (a session linked to an activity is never counted twice);
- accounts created: the same, with account help done;
- banners and panels: materials of banner and panel activities only (not leaflets or posts).
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document as read_docx
from lxml import html
from openpyxl import load_workbook

from xungkich.api import services as api_services
from xungkich.campaigns import services as campaigns
from xungkich.campaigns.models import Activity
from xungkich.helpdesk import services as helpdesk
from xungkich.helpdesk.models import Outcome, PlaceKind
from xungkich.reports.models import ReportExport

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign_work(units, coordinator):
    """A mobile desk typed as 45 helped / 20 accounts with 5 sessions recorded at it (3 accounts),
    a community session typed 0 with 2 sessions recorded at it (1 account), 10 banners and panels,
    and 2 leaflets handed out door to door."""
    today = dt.date.today()
    start = today - dt.timedelta(days=20)
    campaign = campaigns.create_campaign(
        by=coordinator,
        data={
            "name": "Tháng cao điểm dịch vụ công",
            "unit": units["hoian"],
            "start_date": start,
            "end_date": today,
            "target_citizens_helped": 300,
            "target_accounts_created": 100,
            "target_materials": 10,
            "target_participants": 40,
        },
        units=[],
    )
    day = today - dt.timedelta(days=3)

    def activity(kind: str, title: str, **counts: int) -> Activity:
        return campaigns.record_activity(
            campaign=campaign,
            by=coordinator,
            data={"kind": kind, "title": title, "date": day, **counts},
            units=[],
        )

    desk = activity(Activity.Kind.MOBILE_DESK, "Bàn hỗ trợ lưu động", citizens_helped=45, accounts_created=20)
    community = activity(Activity.Kind.COMMUNITY, "Sinh hoạt khu phố")
    activity(Activity.Kind.BANNERS, "Treo băng rôn", materials_count=6)
    activity(Activity.Kind.PANELS, "Dựng pa nô", materials_count=4)
    activity(Activity.Kind.DOOR_TO_DOOR, "Phát tờ rơi", materials_count=2)
    for at, needs in ((desk, ["account"] * 3 + ["app"] * 2), (community, ["account", "app"])):
        for need in needs:
            helpdesk.create_help_session(
                by=coordinator,
                data=helpdesk.SessionInput(
                    need=need,
                    outcome=Outcome.DONE,
                    activity=at,
                    helped_on=day,
                    place_kind=PlaceKind.MOBILE,
                    place_text="Nhà văn hóa khối phố",
                ),
            )
    return {"campaign": campaign, "start": start, "end": today}


EXPECTED = {"citizens_helped": 47, "accounts_created": 21, "banners_panels": 10}


def test_every_reader_shows_the_same_figures(client_for, coordinator, units, campaign_work):
    client = client_for(coordinator)
    start, end = campaign_work["start"], campaign_work["end"]
    dates = {"from": f"{start:%d/%m/%Y}", "to": f"{end:%d/%m/%Y}"}

    # The campaign page.
    url = reverse("campaigns:campaign_detail", args=[campaign_work["campaign"].pk])
    page = html.fromstring(client.get(url).content)
    progress = {
        key: int(
            page.xpath(f'//*[@id="progress-table"]//tr[@data-key="{key}"]/td[@data-value]')[0].text_content()
        )
        for key in ("citizens_helped", "accounts_created", "materials")
    }
    assert progress == {"citizens_helped": 47, "accounts_created": 21, "materials": 10}

    # The dashboard page.
    page = html.fromstring(
        client.get(reverse("reports:dashboard"), {"unit": units["hoian"].pk, **dates}).content
    )

    def tile(tile_id: str) -> int:
        value = page.xpath(f'//*[@id="{tile_id}"]/span[@class="report-tile-value"]')[0].text_content()
        return int(value.strip().replace(".", ""))

    assert {
        "citizens_helped": tile("tile-sessions"),
        "accounts_created": tile("tile-accounts"),
        "banners_panels": tile("tile-banners"),
    } == EXPECTED

    # The summary API.
    token = api_services.create_token(user=coordinator)
    summary = (
        Client()
        .get(
            "/api/v1/reports/summary",
            {"from": f"{start:%Y-%m-%d}", "to": f"{end:%Y-%m-%d}", "unit": units["hoian"].pk},
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        .json()
    )
    assert {key: summary["figures"][key] for key in EXPECTED} == EXPECTED

    # The Word report and the Excel file.
    files = {}
    for kind in ("docx", "xlsx"):
        client.post(reverse("reports:export_start"), {**dates, "unit": units["hoian"].pk, "kind": kind})
        export = ReportExport.objects.get(kind=kind)
        download = client.get(reverse("reports:export_download", args=[export.pk]))
        files[kind] = io.BytesIO(b"".join(download.streaming_content))
    text = "\n".join(p.text for p in read_docx(files["docx"]).paragraphs)
    assert "Tổng số lượt người dân được hỗ trợ: 47 lượt" in text
    assert "tài khoản dịch vụ công: 21 lượt" in text
    assert "10 băng rôn, pa nô" in text
    workbook = load_workbook(files["xlsx"])
    rows = {row[0]: row[1] for row in workbook[workbook.sheetnames[0]].iter_rows(min_row=4, values_only=True)}
    assert rows["Số người dân được hỗ trợ"] == 47
    assert rows["Tài khoản đã tạo"] == 21
    assert rows["Băng rôn, pa nô đã treo dựng"] == 10
