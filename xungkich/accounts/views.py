"""Sign-in, sign-out, password reset by email and two-step sign-in (TOTP).

Signing in with two-step sign-in on is two pages: the password (``login``), then the code
(``otp_verify``). Between them the session holds only a *pending* sign-in — the user id, the
backend, an expiry and a count of wrong codes — and is not logged in. Codes and passwords are
never stored or logged (``sensitive_post_parameters`` keeps them out of error reports too).
"""

from __future__ import annotations

import time
from typing import Any

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.models import Device

from xungkich.accounts import services
from xungkich.accounts.forms import (
    DisableTwoFactorForm,
    LoginForm,
    OTPCodeForm,
    ResetRequestForm,
    SetupCodeForm,
)
from xungkich.core.errors import DomainError
from xungkich.people.models import User

PENDING_SESSION_KEY = "xk_2fa_pending"
SETUP_SESSION_KEY = "xk_2fa_setup_key"
PENDING_SECONDS = 5 * 60
MAX_CODE_FAILURES = 5


# --- helpers ------------------------------------------------------------------------------------


def _next_url(request: HttpRequest) -> str:
    """The ``next`` page when it is on this site, else ''."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _signed_in_user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def _two_factor_user(request: HttpRequest) -> User:
    """The signed-in user when they may use two-step sign-in, else 403."""
    user = _signed_in_user(request)
    if not services.can_use_two_factor(user):
        raise PermissionDenied
    return user


def _after_login(request: HttpRequest, user: User, next_url: str) -> HttpResponseRedirect:
    if (
        getattr(settings, "XK_REQUIRE_2FA_FOR_COORDINATORS", False)
        and services.can_use_two_factor(user)
        and not services.has_two_factor(user)
    ):
        messages.warning(request, _("Your account must use two-step sign-in. Please turn it on now."))
        return redirect("two_factor_setup")
    return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


def _start_pending(request: HttpRequest, user: User, next_url: str) -> None:
    # A new session key now (and again at login): a session id planted before the password
    # step cannot be used to finish someone else's sign-in.
    request.session.cycle_key()
    request.session[PENDING_SESSION_KEY] = {
        "user_id": user.pk,
        "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[-1]),
        "expires": time.time() + PENDING_SECONDS,
        "failures": 0,
        "next": next_url,
    }


def _pending(request: HttpRequest) -> dict[str, Any] | None:
    data = request.session.get(PENDING_SESSION_KEY)
    if not isinstance(data, dict):
        return None
    if float(data.get("expires", 0)) < time.time():
        _drop_pending(request)
        return None
    return data


def _drop_pending(request: HttpRequest) -> None:
    request.session.pop(PENDING_SESSION_KEY, None)


def _qr_svg(url: str) -> SafeString:
    qr = segno.make(url, error="m")
    svg = qr.svg_inline(
        scale=5, border=4, light="#fff", omitsize=True, svgclass="qr-code", title=_("QR code")
    )
    # Safe: segno writes only its own markup; the URL is encoded as modules, never as text,
    # and the title is escaped by segno.
    return mark_safe(svg)  # noqa: S308


# --- sign in and out ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request)
    if request.user.is_authenticated:
        return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        if not isinstance(user, User):  # pragma: no cover - a valid form always has one
            raise PermissionDenied
        if services.has_two_factor(user):
            _start_pending(request, user, next_url)
            return redirect("otp_verify")
        auth_login(request, user)
        return _after_login(request, user, next_url)
    return render(request, "registration/login.html", {"form": form, "next": next_url})


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("token")
@csrf_protect
@never_cache
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Second step: the session is signed in only once the code is right."""
    pending = _pending(request)
    user = None
    if pending is not None and isinstance(pending.get("user_id"), int):
        user = User.objects.filter(pk=pending["user_id"], is_active=True).select_related("unit").first()
    device = services.confirmed_device(user) if user is not None else None
    if pending is None or user is None or device is None:
        _drop_pending(request)
        messages.error(request, _("Your sign-in has expired. Please type your user name and password again."))
        return redirect("login")

    form = OTPCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if services.is_code_throttled(device):
            form.add_error(
                "token",
                ValidationError(
                    _("Too many wrong codes in a row. Wait a few seconds, then type the newest code."),
                    code="throttled",
                ),
            )
        else:
            token = form.cleaned_data["token"]
            verified: Device | None
            if token.isdigit():
                verified = services.verify_login_code(user=user, device=device, token=token)
            else:  # a backup code, for a lost phone: each works once
                verified = services.verify_backup_code(user=user, code=token)
            if verified is not None:
                _drop_pending(request)
                auth_login(request, user, backend=pending["backend"])
                django_otp.login(request, verified)
                return _after_login(request, user, str(pending.get("next") or ""))
            pending["failures"] = int(pending.get("failures", 0)) + 1
            if pending["failures"] >= MAX_CODE_FAILURES:
                _drop_pending(request)
                messages.error(request, _("Too many wrong codes. Please sign in again from the start."))
                return redirect("login")
            request.session[PENDING_SESSION_KEY] = pending
            form.add_error(
                "token",
                ValidationError(
                    _("That code is not right. Type the newest code from your authenticator app."),
                    code="invalid_code",
                ),
            )
    context = {
        "form": form,
        "attempts_left": MAX_CODE_FAILURES - int(pending.get("failures", 0)),
        "pending_user": user,
    }
    return render(request, "registration/otp_verify.html", context)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    messages.info(request, _("You have signed out."))
    # The login page then lets the phone forget the pages kept for offline use (js/offline/forget.js).
    return redirect(f"{resolve_url(settings.LOGOUT_REDIRECT_URL)}?signed_out=1")


# --- two-step sign-in settings ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("token")
@never_cache
@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = _two_factor_user(request)
    device = services.confirmed_device(user)
    if device is not None:
        if request.method == "POST":
            messages.info(request, _("Two-step sign-in is already on for this account."))
            return redirect("two_factor_setup")
        context = {
            "enabled": True,
            "device": device,
            "backup_codes_left": services.backup_codes_left(user),
        }
        return render(request, "registration/two_factor_setup.html", context)

    key = request.session.get(SETUP_SESSION_KEY)
    if not isinstance(key, str) or not key:
        key = services.new_secret()
        request.session[SETUP_SESSION_KEY] = key
    form = SetupCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.enable_totp(user=user, key=key, token=form.cleaned_data["token"])
        except DomainError as exc:
            form.add_error("token", ValidationError(str(exc), code=exc.code))
        else:
            request.session.pop(SETUP_SESSION_KEY, None)
            django_otp.login(request, device)
            messages.success(
                request,
                _("Two-step sign-in is on. From now on, after your password, you type a code from your app."),
            )
            # Shown in this answer only (never stored in the clear, never cached): no redirect.
            return _backup_codes_page(request, services.make_backup_codes(user=user))
    provisioning = services.provisioning_device(user=user, key=key)
    context = {
        "enabled": False,
        "form": form,
        "qr_svg": _qr_svg(provisioning.config_url),
        "secret": services.secret_for_people(key),
    }
    return render(request, "registration/two_factor_setup.html", context)


def _backup_codes_page(request: HttpRequest, codes: list[str]) -> HttpResponse:
    return render(request, "registration/backup_codes.html", {"codes": codes})


@require_POST
@never_cache
@login_required
def two_factor_backup_codes(request: HttpRequest) -> HttpResponse:
    """New backup codes (the old ones stop working), for a session verified with a code."""
    user = _two_factor_user(request)
    is_verified = getattr(request.user, "is_verified", None)
    if not (callable(is_verified) and is_verified()):
        raise PermissionDenied
    try:
        codes = services.make_backup_codes(user=user)
    except DomainError as exc:
        messages.info(request, str(exc))
        return redirect("two_factor_setup")
    return _backup_codes_page(request, codes)


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("password")
@never_cache
@login_required
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    user = _two_factor_user(request)
    if not services.has_two_factor(user):
        messages.info(request, _("Two-step sign-in is already off for this account."))
        return redirect("two_factor_setup")
    form = DisableTwoFactorForm(
        request.POST if request.method == "POST" else None, request=request, user=user
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.disable_totp(user=user, by=user)
        except DomainError as exc:
            messages.info(request, str(exc))
        else:
            messages.success(request, _("Two-step sign-in is off. You now sign in with your password only."))
        return redirect("two_factor_setup")
    return render(request, "registration/two_factor_disable.html", {"form": form})


# --- password reset by email (Django's views, our templates) -------------------------------------


class _ResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        services.record_password_reset(user=form.user)
        return response


# Class-based views answer PUT (FormView) and OPTIONS too; the decorator keeps them to these.
password_reset = require_http_methods(["GET", "POST"])(
    auth_views.PasswordResetView.as_view(
        form_class=ResetRequestForm,
        template_name="registration/password_reset_form.html",
        email_template_name="registration/password_reset_email.txt",
        subject_template_name="registration/password_reset_subject.txt",
        success_url=reverse_lazy("password_reset_done"),
    )
)
password_reset_done = require_http_methods(["GET"])(
    auth_views.PasswordResetDoneView.as_view(template_name="registration/password_reset_done.html")
)
password_reset_confirm = require_http_methods(["GET", "POST"])(_ResetConfirmView.as_view())
password_reset_complete = require_http_methods(["GET"])(
    auth_views.PasswordResetCompleteView.as_view(template_name="registration/password_reset_complete.html")
)
