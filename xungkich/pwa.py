"""The installable app: the web app manifest and the service worker, both at the site's root.

The service worker must be served from ``/`` to look after every page (the offline desk, the guides a
volunteer opens, the procedure list), hence a view here and not a file under /static/. Its code is
static/js/offline/sw.js; this view puts in front of it what changes with each release: the shell's
asset addresses (hashed names in production) and a version that changes when any of them does, so
phones pick up a new release on their next visit. docs/helpdesk.md, "Offline desk".
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Any

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

#: Static files of the offline shell, kept on the phone when the service worker installs.
SHELL_ASSETS = (
    "css/app.css",
    "css/helpdesk.css",
    "css/offline.css",
    "css/guides.css",
    "js/htmx.min.js",
    "js/page.js",
    "js/menu.js",
    "js/offline/privacy.js",
    "js/offline/search.js",
    "js/offline/desk.js",
    "favicon.svg",
    "icons/icon-192.png",
)
ICONS = (
    ("icons/icon-192.png", "192x192", "any"),
    ("icons/icon-512.png", "512x512", "any"),
    ("icons/icon-maskable-512.png", "512x512", "maskable"),
)
#: How many guide pages the phone keeps (the most recently opened).
RECENT_GUIDES = 10


@lru_cache(maxsize=1)
def _asset_digest() -> str:
    """A digest of the shell's files: a new release (or a changed file in development) → a new version."""
    digest = hashlib.sha256()
    for name in SHELL_ASSETS:
        path = finders.find(name)
        digest.update(name.encode())
        if path:
            with open(path, "rb") as handle:
                digest.update(handle.read())
    digest.update(_sw_source().encode())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def _sw_source() -> str:
    path = finders.find("js/offline/sw.js")
    if not path:
        raise FileNotFoundError("static/js/offline/sw.js")
    with open(path, encoding="utf-8") as handle:
        return str(handle.read())


def worker_config() -> dict[str, Any]:
    return {
        "version": _asset_digest(),
        "shell": reverse("helpdesk:offline_desk"),
        "precache": [static(name) for name in SHELL_ASSETS],
        "searchIndex": reverse("search:offline_index"),
        "guidesPrefix": reverse("guides:hub"),
        "recentGuides": RECENT_GUIDES,
    }


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    body = f"self.XK_SW = {json.dumps(worker_config())};\n{_sw_source()}"
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"  # the browser checks for a new release on every visit
    return response


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest (public: browsers fetch it without the session cookie)."""
    data = {
        "name": "Xung Kích Số",
        "short_name": "Xung Kích",
        "description": _("Record help to citizens, with or without a network"),
        "lang": "vi",
        "start_url": reverse("helpdesk:offline_desk"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#f6f7f9",
        "theme_color": "#0b4f9c",
        "icons": [
            {"src": static(name), "sizes": sizes, "type": "image/png", "purpose": purpose}
            for name, sizes, purpose in ICONS
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    response["Cache-Control"] = "public, max-age=3600"
    return response
