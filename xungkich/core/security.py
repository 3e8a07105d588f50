"""Response headers that keep personal data out of caches and scripts out of pages.

- ``Content-Security-Policy``: every script, style and image comes from the app itself; no inline
  script, inline style or ``on…=`` handler runs, so injected markup cannot run either. Django 5.2 has no
  CSP support of its own (Django 6 has), hence this small middleware; the policy is ``XK_CSP``.
- ``Permissions-Policy``: the camera for the event check-in scanner on the app's own pages, every other
  powerful feature off.
- ``Cache-Control: private, no-store`` on every response to a signed-in person (pages and downloads:
  exports, photos, rosters, lists of volunteers), unless the view marked it ``public`` on purpose.
  Signed-out pages that carry a ticket or a registration say ``never_cache`` in their own view.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

NO_STORE = "private, no-store"


def _cache_directives(response: HttpResponse) -> set[str]:
    return {part.strip().lower() for part in response.get("Cache-Control", "").split(",") if part.strip()}


class SecurityHeadersMiddleware:
    """Goes after AuthenticationMiddleware, which tells who is signed in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.XK_CSP:
            response.headers.setdefault("Content-Security-Policy", settings.XK_CSP)
        if settings.XK_PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.XK_PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            directives = _cache_directives(response)
            if "public" not in directives and "no-store" not in directives:
                response["Cache-Control"] = NO_STORE
                del response["Expires"]
            patch_vary_headers(response, ("Cookie",))
        return response


def allow_on_this_page(response: HttpResponse, *features: str) -> HttpResponse:
    """``response`` with ``XK_PERMISSIONS_POLICY`` opening ``features`` to the app's own origin.

    For the one page that needs a feature (the offline desk asks for the position); every other page
    keeps it off. The middleware leaves a header the view has set.
    """
    policy = settings.XK_PERMISSIONS_POLICY
    if policy:
        parts = [part.strip() for part in policy.split(",") if part.strip()]
        opened = [f"{feature}=(self)" for feature in features]
        kept = [part for part in parts if part.split("=", 1)[0] not in features]
        response["Permissions-Policy"] = ", ".join([*kept, *opened])
    return response
