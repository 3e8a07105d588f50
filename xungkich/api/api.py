"""JSON API v1: one NinjaAPI, each app adds its router; schema at /api/v1/openapi.json.

Errors have one shape, ``{"code": …, "message": …}``: codes are stable for programs, messages are
translated for people (Vietnamese unless the request asks for English with Accept-Language).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, ValidationError

from xungkich.api.auth import BearerToken, TwoFactorRequired
from xungkich.core.errors import DomainError

api = NinjaAPI(
    title="Xung Kích Số API",
    version="1",
    description="Help desk, search and reports for youth volunteer teams.",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url=None,  # the interactive docs load scripts from a CDN; the schema is enough
    auth=BearerToken(),
)


class Error(Schema):
    code: str
    message: str


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


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields = ", ".join(".".join(str(p) for p in e.get("loc", ())[1:]) or "?" for e in exc.errors)
    return error(request, 400, "invalid", _("Invalid input: %(fields)s") % {"fields": fields})


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


@api.get("/me", response=Me, tags=["account"])
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
api.add_router("", "xungkich.guides.api.router")
api.add_router("", "xungkich.campaigns.api.router")
api.add_router("", "xungkich.reports.api.router")
