"""Accounts of the people in one's units: who has which role, changed within the grant rules.

Thin views over ``accounts.services`` (``change_role``, ``set_account_active``), which hold the
rules and refuse with a clear message; an account outside the scope is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xungkich.accounts import services
from xungkich.accounts.forms import RoleForm
from xungkich.core.errors import DomainError
from xungkich.people.models import User, Volunteer
from xungkich.people.scope import AuthedHttpRequest, managed_units, require_people_manager


@require_GET
@login_required
def account_list(request: AuthedHttpRequest) -> HttpResponse:
    require_people_manager(request.user)
    units = managed_units(request.user).order_by("path")
    unit = None
    if request.GET.get("unit", "").isdigit():
        unit = units.filter(pk=int(request.GET["unit"])).first()
    accounts = services.accounts_in_scope(request.user).select_related("unit", "volunteer")
    invitations = services.open_invitations().filter(volunteer__unit__in=managed_units(request.user))
    without_account = 0
    if unit is not None:
        accounts = accounts.filter(unit=unit)
        invitations = invitations.filter(volunteer__unit=unit)
        without_account = Volunteer.objects.filter(unit=unit, is_active=True, user__isnull=True).count()
    page = Paginator(accounts.order_by("username"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/account_list.html",
        {
            "page": page,
            "units": units,
            "unit": unit,
            "invitations": invitations.select_related("volunteer", "volunteer__unit").order_by("-created_at"),
            "without_account": without_account,
        },
    )


def _account_in_scope(request: AuthedHttpRequest, pk: int) -> User:
    require_people_manager(request.user)
    account = services.accounts_in_scope(request.user).select_related("unit").filter(pk=pk).first()
    if account is None:
        raise Http404
    return account


@require_http_methods(["GET", "POST"])
@login_required
def account_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    account = _account_in_scope(request, pk)
    can_edit = services.may_manage_account(request.user, account)
    units = managed_units(request.user)
    form = RoleForm(
        request.POST or None,
        by=request.user,
        units=units,
        initial={"role": account.role, "unit": account.unit_id},
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.change_role(
                    by=request.user,
                    account=account,
                    role=form.cleaned_data["role"],
                    unit=form.cleaned_data["unit"],
                )
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Changes saved."))
                return redirect("account_detail", pk=account.pk)
    volunteer = Volunteer.objects.filter(user=account).select_related("unit").first()
    return render(
        request,
        "accounts/account_detail.html",
        {"account": account, "form": form, "can_edit": can_edit, "volunteer": volunteer},
    )


@require_POST
@login_required
def account_set_active(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    account = _account_in_scope(request, pk)
    if not services.may_manage_account(request.user, account):
        raise PermissionDenied
    active = request.POST.get("active") == "1"
    try:
        services.set_account_active(by=request.user, account=account, active=active)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        name = account.get_full_name()
        if active:
            messages.success(request, _("%(name)s can sign in again.") % {"name": name})
        else:
            messages.success(request, _("%(name)s can no longer sign in.") % {"name": name})
    return redirect("account_detail", pk=account.pk)
