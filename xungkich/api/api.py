"""JSON API v1: one NinjaAPI, each app adds its router; schema at /api/v1/openapi.json.

Errors have one shape, ``{"code": …, "message": …}``: codes are stable for programs, messages are
translated for people (Vietnamese unless the request asks for English with Accept-Language). Every
error under /api/v1/ has it, an unexpected one included (500 ``server_error``, logged with its
traceback); each operation lists its error answers in the schema (``errors()`` in ``errors.py``).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, re_path
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from xungkich.api.auth import BearerToken, TwoFactorRequired
from xungkich.api.errors import errors
from xungkich.api.fields import CONTROL_ERROR, DATE_ERROR, DATE_MAX, DATE_MIN
from xungkich.core.errors import DomainError

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="Xung Kích Số API",
    version="1",
    description="Help desk, search and reports for youth volunteer teams.",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url=None,  # the interactive docs load scripts from a CDN; the schema is enough
    auth=BearerToken(),
)


class Me(Schema):
    username: str
    full_name: str
    role: str
    unit: str | None


def error(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message}, status=status)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return error(request, 400, exc.code, str(exc.message))


def _field(error: dict[str, Any]) -> str:
    return ".".join(str(p) for p in error.get("loc", ())[1:]) or "?"


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields = ", ".join(dict.fromkeys(_field(e) for e in exc.errors))
    message = _("Invalid input: %(fields)s") % {"fields": fields}
    kinds = {e.get("type") for e in exc.errors}
    if kinds & {"string_too_long", "too_long"}:
        message += ". " + _("The text is longer than allowed.")
    if CONTROL_ERROR in kinds:
        message += ". " + _("Control characters (such as NUL) are not allowed in text.")
    if DATE_ERROR in kinds:
        message += ". " + _("Dates must be between %(first)s and %(last)s.") % {
            "first": DATE_MIN.strftime("%d/%m/%Y"),
            "last": DATE_MAX.strftime("%d/%m/%Y"),
        }
    return error(request, 400, "invalid", message)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error(request, 401, "unauthorized", _("A valid API token is required."))


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error(request, 403, "forbidden", _("You may not do this."))


@api.exception_handler(TwoFactorRequired)
def on_two_factor_required(request: HttpRequest, exc: TwoFactorRequired) -> HttpResponse:
    return error(
        request, 403, "two_factor_required", _("Your account must use two-step sign-in. Turn it on first.")
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error(request, 404, "not_found", _("Not found."))


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Errors django-ninja raises itself (a body that is not JSON, a throttle)."""
    if exc.status_code == 400:
        return error(request, 400, "invalid", _("The request body is not valid JSON."))
    if exc.status_code == 403:
        return error(request, 403, "forbidden", _("You may not do this."))
    if exc.status_code == 429:
        return error(request, 429, "rate_limited", _("Too many requests. Wait a moment and try again."))
    return error(request, exc.status_code, "http_error", str(exc))


@api.exception_handler(Exception)
def on_unexpected_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Anything else: logged with its traceback, answered as JSON without its details."""
    logger.error("API error: %s %s", request.method, request.path, exc_info=exc)
    return error(
        request, 500, "server_error", _("An unexpected error occurred. It has been logged; try again later.")
    )


@api.get("/me", response={200: Me, **errors(401)}, tags=["account"])
def me(request: HttpRequest) -> Me:
    """The account the token belongs to (to check a token)."""
    user = request.auth  # type: ignore[attr-defined]
    return Me(
        username=user.username,
        full_name=user.get_full_name(),
        role=user.role,
        unit=user.unit.name if user.unit_id else None,
    )


@api.get("/ping", auth=None, tags=["account"])
def ping(request: HttpRequest) -> dict[str, bool]:
    """A trivial endpoint: the baseline benchmarks compare other endpoints against."""
    return {"ok": True}


# Each app's endpoints (imported by path, so the apps' modules may import this one).
api.add_router("", "xungkich.tickets.api.router")
api.add_router("", "xungkich.helpdesk.api.router")
api.add_router("", "xungkich.search.api.router")
api.add_router("", "xungkich.guides.api.router")
api.add_router("", "xungkich.campaigns.api.router")
api.add_router("", "xungkich.reports.api.router")


def _json_405(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """django-ninja answers a wrong method with a plain-text 405: answer it in the error shape."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            allowed = response.get("Allow", "")
            response = error(request, 405, "method_not_allowed", _("This method is not allowed here."))
            response["Allow"] = allowed
        return response

    return wrapped


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other address under /api/v1/: a 404 in the error shape, not the site's HTML page."""
    return error(request, 404, "not_found", _("Not found."))


def urls() -> tuple[list[URLPattern | URLResolver], str, str]:
    """``api.urls`` with JSON 405 answers, then a JSON 404 for every other address below it. The
    root keeps its name (the schema view finds the API's prefix by it) and answers the JSON 404:
    with the interactive docs off, django-ninja's root page is an HTML 404."""
    patterns, app_name, namespace = api.urls
    wrapped: list[URLPattern | URLResolver] = []
    for p in patterns:
        if isinstance(p, URLPattern):
            callback = not_found if str(p.pattern) == "" else _json_405(p.callback)
            p = URLPattern(p.pattern, callback, p.default_args, p.name)
        wrapped.append(p)
    wrapped.append(re_path(r"^(?P<rest>.*)$", not_found))
    return wrapped, app_name, namespace
