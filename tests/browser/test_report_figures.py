"""The campaign page and the dashboard agree: a coordinator adds a mobile desk to the 10/10 campaign
(45 citizens helped typed, 5 of them also recorded one by one at the desk form), then reads the
campaign's progress and the dashboard of the same weeks: the same citizens helped, accounts created
and banners (docs/reports.md, "Definitions")."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from tests.browser.conftest import screenshot, sign_in
from xungkich.campaigns import services as campaigns
from xungkich.campaigns.models import Activity, Campaign
from xungkich.demo.campaigns import CAMPAIGN_NAME
from xungkich.helpdesk import services as helpdesk
from xungkich.helpdesk.models import Outcome, PlaceKind
from xungkich.people.models import User

pytestmark = pytest.mark.django_db(transaction=True)


def number(page, selector: str) -> int:  # type: ignore[no-untyped-def]
    return int(re.sub(r"\D", "", page.locator(selector).inner_text()))


def test_campaign_page_and_dashboard_show_the_same_figures(page):  # type: ignore[no-untyped-def]
    call_command("load_demo", volume=0, stdout=io.StringIO())
    campaign = Campaign.objects.get(name=CAMPAIGN_NAME)
    coordinator = User.objects.get(username="dieuphoi")
    day = campaign.start_date.replace(day=12)
    desk = campaigns.record_activity(
        campaign=campaign,
        by=coordinator,
        data={
            "kind": Activity.Kind.MOBILE_DESK,
            "title": "Bàn hỗ trợ lưu động chợ Hội An",
            "date": day,
            "citizens_helped": 45,
            "accounts_created": 20,
        },
        units=[],
    )
    for need in ["account"] * 3 + ["app"] * 2:
        helpdesk.create_help_session(
            by=coordinator,
            data=helpdesk.SessionInput(
                need=need,
                outcome=Outcome.DONE,
                activity=desk,
                helped_on=day,
                place_kind=PlaceKind.MOBILE,
                place_text="Chợ Hội An",
            ),
        )

    sign_in(page, "dieuphoi")
    page.goto(f"/campaigns/{campaign.pk}/")
    row = '#progress-table tr[data-key="{}"] td[data-value]'
    on_campaign = {
        key: number(page, row.format(key)) for key in ("citizens_helped", "accounts_created", "materials")
    }
    screenshot(page, "figures-campaign")

    page.goto("/reports/")
    page.select_option("#id_unit", str(campaign.unit_id))
    page.fill("input[name=from]", f"{campaign.start_date:%d/%m/%Y}")
    page.fill("input[name=to]", f"{campaign.end_date:%d/%m/%Y}")
    page.locator("#reports-filter button[type=submit]").click()
    page.wait_for_url(re.compile(r"from="))
    on_dashboard = {
        "citizens_helped": number(page, "#tile-sessions .report-tile-value"),
        "accounts_created": number(page, "#tile-accounts .report-tile-value"),
        "materials": number(page, "#tile-banners .report-tile-value"),
    }
    screenshot(page, "figures-dashboard")
    # The demo's door-to-door visit typed 46 helped and 21 accounts; the desk 45 and 20 (its five
    # sessions, three of them accounts, are part of those); banners: the demo's 24.
    assert on_campaign == on_dashboard == {"citizens_helped": 91, "accounts_created": 41, "materials": 24}
