"""A citizen on a phone: types a request the way people do, gets live results, opens the procedure."""

import pytest

from tests.browser.conftest import screenshot
from xungkich.catalogue import services as catalogue

pytestmark = pytest.mark.django_db(transaction=True)


def test_search_live_then_procedure_page(page):
    catalogue.load_seed()
    page.goto("/tim/")
    page.fill("#search-q", "cap lai cccd")
    page.wait_for_selector("#search-result-list")
    first = page.locator("#search-result-list a").first
    assert first.inner_text() == "Cấp lại thẻ căn cước"
    assert "q=cap+lai+cccd" in page.url or "q=cap%20lai%20cccd" in page.url
    screenshot(page, "guides-search")
    first.click()
    page.wait_for_selector("#procedure-name")
    assert page.locator("#procedure-ways").is_visible()
    assert "35.000 đồng" in page.locator("#procedure-ways").inner_text()
    assert page.locator("#procedure-official").get_attribute("href").startswith("https://")
    screenshot(page, "guides-procedure")
