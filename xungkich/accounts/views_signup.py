"""Self sign-up: the public form behind a unit's link, and the leaders' pages for links and requests.

Leaders and coordinators see the units they manage (``people.scope.managed_units``): a unit or a
request outside them is a 404, like every object outside scope; other roles get a 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from xungkich.accounts import signup
from xungkich.accounts.models import SignupLink, SignupRequest
from xungkich.accounts.signup_forms import RejectForm, SignupForm
from xungkich.core.errors import DomainError
from xungkich.core.ratelimit import allow, client_address
from xungkich.lib.qr import qr_svg
from xungkich.people.scope import AuthedHttpRequest, managed_units, require_people_manager

# Sign-ups per address per hour: a phone on a shared Wi-Fi at a Youth Union meeting sends a few.
SIGNUPS_PER_HOUR = 10


# --- public ---------------------------------------------------------------------------------------


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    link = signup.open_link(token)
    if link is None:
        raise Http404
    form = SignupForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not allow(f"signup:{client_address(request)}", limit=SIGNUPS_PER_HOUR, window=3600):
            form.add_error(None, _("Too many sign-ups from this network. Please try again in an hour."))
            status = 429
        elif form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "skills"}
            signup.submit_request(
                link=link, data=data, password_hash=form.password_hash(), skills=form.cleaned_data["skills"]
            )
            return redirect("signup_sent", token=token)
    return render(request, "accounts/join.html", {"form": form, "unit": link.unit}, status=status)


@require_GET
def join_sent(request: HttpRequest, token: str) -> HttpResponse:
    link = signup.open_link(token)
    if link is None:
        raise Http404
    return render(request, "accounts/join_sent.html", {"unit": link.unit})


# --- links ----------------------------------------------------------------------------------------


@require_GET
@login_required
def link_list(request: AuthedHttpRequest) -> HttpResponse:
    require_people_manager(request.user)
    units = managed_units(request.user).select_related("signup_link").order_by("path")
    return render(request, "accounts/signup_links.html", {"units": units})


@require_http_methods(["GET", "POST"])
@login_required
def link_detail(request: AuthedHttpRequest, unit_pk: int) -> HttpResponse:
    require_people_manager(request.user)
    unit = get_object_or_404(managed_units(request.user), pk=unit_pk)
    link = SignupLink.objects.filter(unit=unit).first()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "publish":
            signup.publish_link(by=request.user, unit=unit)
            messages.success(request, _("The sign-up link is open."))
        elif action == "renew" and link is not None:
            signup.renew_link(by=request.user, link=link)
            messages.success(request, _("A new link was made; the old link and QR code no longer work."))
        elif action == "close" and link is not None:
            signup.close_link(by=request.user, link=link)
            messages.success(request, _("The sign-up link is closed."))
        return redirect("signup_link", unit_pk=unit.pk)
    url = ""
    qr = ""
    if link is not None and link.is_active:
        url = request.build_absolute_uri(reverse("signup_join", kwargs={"token": link.token}))
        qr = mark_safe(qr_svg(url))  # noqa: S308 — segno escapes what it writes
    return render(request, "accounts/signup_link.html", {"unit": unit, "link": link, "url": url, "qr": qr})


# --- requests -------------------------------------------------------------------------------------


@require_GET
@login_required
def request_list(request: AuthedHttpRequest) -> HttpResponse:
    require_people_manager(request.user)
    pending = (
        SignupRequest.objects.filter(
            unit__in=managed_units(request.user), status=SignupRequest.Status.PENDING
        )
        .select_related("unit")
        .order_by("created_at")
    )
    return render(request, "accounts/signup_requests.html", {"pending": pending})


@require_http_methods(["GET", "POST"])
@login_required
def request_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    require_people_manager(request.user)
    item = get_object_or_404(
        SignupRequest.objects.filter(unit__in=managed_units(request.user))
        .select_related("unit")
        .prefetch_related("skills"),
        pk=pk,
    )
    reject_form = RejectForm(request.POST if request.POST.get("action") == "reject" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "approve":
                signup.approve(by=request.user, request=item)
                messages.success(
                    request,
                    _("%(name)s can now sign in as %(username)s.")
                    % {"name": item.full_name, "username": item.username},
                )
                return redirect("signup_requests")
            if request.POST.get("action") == "reject" and reject_form.is_valid():
                signup.reject(by=request.user, request=item, reason=reject_form.cleaned_data["reason"])
                messages.success(request, _("The request was rejected; no account was made."))
                return redirect("signup_requests")
        except DomainError as exc:
            messages.error(request, str(exc))
            return redirect("signup_request", pk=item.pk)
    return render(request, "accounts/signup_request.html", {"item": item, "reject_form": reject_form})
