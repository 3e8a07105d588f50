"""The report viewer reads figures: its menu offers no roster plans and the campaign page lists the
activities without opening their records."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.conftest import screenshot
from xungkich.campaigns import services as campaign_services
from xungkich.campaigns.models import Activity
from xungkich.people import services as people_services
from xungkich.people.models import OrgUnit, Role, User

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Xk-viewer-pass-2026"


def test_viewer_menu_and_campaign_page_show_figures_only(page):  # type: ignore[no-untyped-def]
    unit = people_services.create_unit(
        by=None, name="Đoàn phường Hội An", kind=OrgUnit.Kind.BASE, parent=None
    )
    coordinator = User.objects.create_user(
        username="coord", password=PASSWORD, role=Role.COORDINATOR, unit=unit, full_name="Trần Điều Phối"
    )
    User.objects.create_user(
        username="xem", password=PASSWORD, role=Role.VIEWER, unit=unit, full_name="Phạm Xem"
    )
    year = dt.date.today().year
    campaign = campaign_services.create_campaign(
        by=coordinator,
        data={
            "name": "Ngày Chuyển đổi số",
            "unit": unit,
            "start_date": dt.date(year, 1, 1),
            "end_date": dt.date(year, 12, 31),
            "target_materials": 20,
        },
        units=[],
    )
    campaign_services.record_activity(
        campaign=campaign,
        by=coordinator,
        data={
            "kind": Activity.Kind.BANNERS,
            "title": "Treo băng rôn",
            "date": dt.date(year, 6, 1),
            "materials_count": 12,
            "participants_count": 6,
            "notes": "Anh Tư và chị Ba treo",
        },
        units=[],
    )

    page.goto("/accounts/login/")
    page.fill("input[name=username]", "xem")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login" not in url)

    page.goto(f"/campaigns/{campaign.pk}/")
    menu = [link.get_attribute("href") for link in page.locator("nav a").all()]
    assert "/reports/" in menu and "/campaigns/" in menu
    assert "/rosters/plan/" not in menu and "/desk/queue/" not in menu and "/desk/issues/" not in menu
    row = page.locator("#activity-table tbody tr").first
    assert "Treo băng rôn" in row.inner_text() and "12" in row.inner_text()
    assert row.locator("a").count() == 0  # the activity's notes and photos are not for the viewer
    assert "Anh Tư" not in page.content()
    screenshot(page, "viewer-campaign")
    page.screenshot(path="/tmp/viewer-campaign.png", full_page=True)

    response = page.goto("/rosters/plan/")
    assert response is not None and response.status == 403
    page.goto("/reports/")
    assert page.locator("h1").count() == 1
