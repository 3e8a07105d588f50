"""Content-Security-Policy without inline script or style, and a Permissions-Policy.

Two nets: every template file (and every Python module that writes HTML) is read for inline script,
inline style and ``on…=`` handlers, and every page in each persona's menu is rendered and parsed.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from xungkich.core.tests.test_cache_headers import PERSONAS, menu_urls

ROOT = Path(settings.BASE_DIR)
TEMPLATES = sorted(
    path
    for folder in (ROOT / "templates", ROOT / "xungkich")
    for path in folder.rglob("*.html")
    if "/tests/" not in str(path)
)
PYTHON = sorted(path for path in (ROOT / "xungkich").rglob("*.py") if "/tests/" not in str(path))

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"""<[a-z][^>]*\sstyle\s*=""", re.IGNORECASE | re.DOTALL)
HANDLER = re.compile(r"""<[a-z][^>]*\s(on[a-z]+|hx-on[:\w-]*)\s*=""", re.IGNORECASE | re.DOTALL)


class InlineFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _value in attrs}
        if tag == "script" and "src" not in names:
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style>")
        for name in names:
            if name == "style" or name.startswith(("on", "hx-on")):
                self.found.append(f"<{tag} {name}=>")


def inline_in(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.found


def test_the_policies_are_sent_on_pages(client, client_for, coordinator):
    for response in (client.get(reverse("login")), client_for(coordinator).get(reverse("home"))):
        policy = response["Content-Security-Policy"]
        assert "script-src 'self';" in policy
        assert "style-src 'self';" in policy
        assert "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        features = response["Permissions-Policy"]
        assert "camera=(self)" in features
        assert "microphone=()" in features and "geolocation=()" in features and "payment=()" in features


def test_htmx_is_told_not_to_inject_its_indicator_style(client):
    html = client.get(reverse("login")).content.decode()
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles":false}\'>' in html


def test_no_template_has_inline_script_style_or_handlers():
    assert len(TEMPLATES) > 50
    offences = []
    for path in TEMPLATES:
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, INLINE_STYLE, STYLE_ATTRIBUTE, HANDLER):
            offences += [f"{path.relative_to(ROOT)}: {m.group(0)[:80]}" for m in pattern.finditer(text)]
    assert offences == []


def test_no_python_writes_html_with_inline_style_or_handlers():
    offences = []
    for path in PYTHON:
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, INLINE_STYLE, STYLE_ATTRIBUTE, HANDLER):
            offences += [f"{path.relative_to(ROOT)}: {m.group(0)[:80]}" for m in pattern.finditer(text)]
    assert offences == []


@pytest.mark.parametrize("persona", PERSONAS)
def test_menu_pages_render_without_inline_script_or_style(request, client_for, volunteer, units, persona):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    checked = 0
    for url in menu_urls(client, user):
        response = client.get(url, follow=True)
        if response.status_code != 200:
            continue
        assert inline_in(response.content.decode()) == [], url
        checked += 1
    assert checked >= 2
