"""A citizen on a phone: the guides hub → a guide → read aloud → the handout PDF; axe finds nothing.

axe-core is vendored in tests/browser/vendor (MPL-2.0) and injected into the page; the rules run are
WCAG 2.0/2.1 A and AA and WCAG 2.2 AA.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.browser.conftest import screenshot
from xungkich.people.models import Role, User

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PASSWORD = "Xk-browser-2026"  # test account only

FAKE_SPEECH = """
window.__spoken = [];
(function () {
  var fake = {
    speak: function (u) { window.__spoken.push({text: u.text, lang: u.lang}); },
    cancel: function () {},
    getVoices: function () { return [{lang: "vi-VN", name: "Tiếng Việt"}]; },
    addEventListener: function () {}
  };
  Object.defineProperty(window, "speechSynthesis", {value: fake, configurable: true});
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
}());
"""
NO_SPEECH = 'Object.defineProperty(window, "speechSynthesis", {value: undefined, configurable: true});'


def axe_violations(page) -> list[dict]:  # type: ignore[no-untyped-def, type-arg]
    # Evaluated through the DevTools protocol: a <script> tag with inline code would be refused by
    # the page's Content-Security-Policy.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def assert_accessible(page) -> None:  # type: ignore[no-untyped-def]
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, ensure_ascii=False, indent=1)


@pytest.fixture
def guides(transactional_db):  # type: ignore[no-untyped-def]
    call_command("load_procedures", stdout=io.StringIO())
    call_command("load_guides", stdout=io.StringIO())


def test_citizen_goes_from_the_hub_to_a_guide_hears_a_step_and_gets_the_handout(page, guides):  # type: ignore[no-untyped-def]
    page.add_init_script(FAKE_SPEECH)
    page.goto("/huong-dan/")
    assert page.locator("h1").inner_text() == "Hướng dẫn dịch vụ công trực tuyến"
    assert page.locator("#hub-q").is_visible()
    assert_accessible(page)
    screenshot(page, "guides-hub")

    page.get_by_role("link", name="Cài ứng dụng VNeID và đăng ký tài khoản mức 1").click()
    page.wait_for_url("**/huong-dan/cai-dat-vneid-muc-1/")
    assert page.locator("#guide-steps > li").count() == 7
    button = page.locator('button[data-speak="step-2"]')
    assert button.is_visible()
    button.click()
    spoken = page.evaluate("window.__spoken")
    assert spoken[0]["lang"] == "vi-VN"
    assert spoken[0]["text"].startswith("Bước 2: Chọn đăng ký tài khoản.")
    assert "số định danh cá nhân" in spoken[0]["text"]
    assert button.get_attribute("aria-pressed") == "true"
    assert_accessible(page)
    screenshot(page, "guides-guide")

    href = page.locator("#handout-a4").get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    a5 = page.request.get(page.locator("#handout-a5").get_attribute("href"))
    assert a5.ok and a5.body().startswith(b"%PDF")


def test_read_aloud_buttons_stay_hidden_without_speech(page, guides):  # type: ignore[no-untyped-def]
    page.add_init_script(NO_SPEECH)
    page.goto("/huong-dan/khong-doc-duoc-chip/")
    assert page.locator("button[data-speak]").count() == 4
    assert page.locator("button[data-speak]:visible").count() == 0


def test_editor_pages_are_accessible(page, guides):  # type: ignore[no-untyped-def]
    from xungkich.guides.models import Guide
    from xungkich.people import services

    unit = services.create_unit(by=None, name="Đoàn phường Hội An", kind="base", parent=None)
    User.objects.create_user(
        username="dieuphoi", password=PASSWORD, role=Role.COORDINATOR, unit=unit, full_name="Điều Phối"
    )
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "dieuphoi")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login" not in url)
    guide = Guide.objects.get(slug="nop-ho-so-truc-tuyen")
    for url in (
        reverse("guides:manage_list"),
        reverse("guides:manage_detail", args=[guide.pk]),
        reverse("guides:guide_edit", args=[guide.pk]),
        reverse("guides:review_list"),
    ):
        page.goto(url)
        assert_accessible(page)
    screenshot(page, "guides-review")


def test_citizen_searches_the_way_people_talk_and_reaches_procedure_guide_and_handout(page, guides):  # type: ignore[no-untyped-def]
    """Scan the poster → the hub → search "lam giay khai sinh" → the procedure → its guide → print."""
    page.goto("/huong-dan/")
    page.fill("#hub-q", "lam giay khai sinh")
    page.locator("#hub-q").press("Enter")
    page.wait_for_url("**/tim/?q=*")
    results = page.locator("#search-result-list")
    assert "Đăng ký khai sinh" in results.inner_text()
    assert_accessible(page)
    screenshot(page, "guides-search")

    page.locator("#search-result-list a", has_text="Đăng ký khai sinh").first.click()
    page.wait_for_url("**/thu-tuc/1.001193/")
    guide_link = page.locator("#procedure-guides a", has_text="Nộp hồ sơ thủ tục hành chính trực tuyến")
    assert guide_link.is_visible()
    assert_accessible(page)
    screenshot(page, "guides-procedure")

    guide_link.click()
    page.wait_for_url("**/huong-dan/nop-ho-so-truc-tuyen/")
    assert page.locator("#guide").get_by_role("link", name="Đăng ký khai sinh").is_visible()
    response = page.request.get(page.locator("#handout-a5").get_attribute("href"))
    assert response.ok and response.body().startswith(b"%PDF")
