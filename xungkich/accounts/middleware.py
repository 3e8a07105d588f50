"""Required two-step sign-in (``XK_REQUIRE_2FA_FOR_COORDINATORS``), enforced on every request.

A coordinator (or superuser) whose session has not been verified with a code may open only the
pages that lead to a verified session: the setup page (when they have no authenticator yet), the
code step, sign-in and sign-out, the language switch, the health check and static files. Every other
page redirects there; API-like and htmx requests get a JSON 403 instead, which a script can read.

A coordinator who already has an authenticator but whose session was never verified (signed in
some other way) is signed out and sent to the sign-in page, where the code step follows.
The JSON API authenticates with tokens, not sessions: ``xungkich.api.auth`` applies the same rule.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from xungkich.accounts import services
from xungkich.people.models import User

# Pages that lead to a verified session, open to a coordinator who has no authenticator yet.
SETUP_VIEWS = frozenset({"two_factor_setup", "otp_verify", "login", "logout", "set_language", "healthz"})
# The same without the setup page, for one who has an authenticator but an unverified session.
SIGN_IN_VIEWS = SETUP_VIEWS - {"two_factor_setup"}


def _wants_json(request: HttpRequest) -> bool:
    return (
        request.path_info.startswith("/api/")
        or bool(request.headers.get("HX-Request"))
        or "application/json" in request.headers.get("Accept", "")
    )


def two_factor_refusal() -> JsonResponse:
    return JsonResponse(
        {
            "code": "two_factor_required",
            "message": _("Your account must use two-step sign-in. Turn it on first."),
        },
        status=403,
    )


class RequireTwoFactorMiddleware:
    """Keeps unverified coordinator sessions to the sign-in pages while two-step sign-in is required."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = self._refusal(request)
        return refusal if refusal is not None else self.get_response(request)

    def _refusal(self, request: HttpRequest) -> HttpResponse | None:
        if not getattr(settings, "XK_REQUIRE_2FA_FOR_COORDINATORS", False):
            return None
        user = getattr(request, "user", None)
        if not isinstance(user, User) or not services.can_use_two_factor(user):
            return None
        is_verified = getattr(user, "is_verified", None)
        if callable(is_verified) and is_verified():
            return None
        if request.path_info.startswith(settings.STATIC_URL):
            return None
        try:
            view_name = resolve(request.path_info).view_name
        except Resolver404:
            return None  # a 404 whatever happens
        has_device = services.has_two_factor(user)
        if view_name in (SIGN_IN_VIEWS if has_device else SETUP_VIEWS):
            return None
        if _wants_json(request):
            return two_factor_refusal()
        if has_device:
            auth_logout(request)
            messages.info(request, _("Please sign in again with the code from your authenticator app."))
            return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
        if request.method == "GET":
            messages.warning(request, _("Your account must use two-step sign-in. Please turn it on now."))
        return redirect("two_factor_setup")
