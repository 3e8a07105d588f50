"""Volunteers and units. Thin views: access helper, form, one service call, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xungkich.core.errors import DomainError
from xungkich.lib.vietnamese import fold
from xungkich.people import services
from xungkich.people.access import get_unit_for_user, get_volunteer_for_user, volunteers_for_user
from xungkich.people.forms import UnitForm, VolunteerFilterForm, VolunteerForm
from xungkich.people.models import OrgUnit, Role
from xungkich.people.scope import AuthedHttpRequest, managed_units, require_people_manager, visible_units

# --- Volunteers -------------------------------------------------------------------------------


@require_GET
@login_required
def volunteer_list(request: AuthedHttpRequest) -> HttpResponse:
    require_people_manager(request.user)
    units = managed_units(request.user)
    form = VolunteerFilterForm(request.GET or None, units=units)
    volunteers = volunteers_for_user(request.user).select_related("unit").prefetch_related("skills")
    status = "active"
    if form.is_valid():
        query = fold(form.cleaned_data["q"])
        if query:
            digits = "".join(ch for ch in query if ch.isdigit())
            if digits and len(digits) >= 4:
                volunteers = volunteers.filter(phone__contains=digits.lstrip("0"))
            else:
                volunteers = volunteers.filter(search_key__contains=query)
        if form.cleaned_data["unit"]:
            volunteers = volunteers.filter(unit__path__startswith=form.cleaned_data["unit"].path)
        status = form.cleaned_data["status"] or "active"
    if status != "all":
        volunteers = volunteers.filter(is_active=status == "active")
    page = Paginator(volunteers.order_by("sort_key", "pk"), 50).get_page(request.GET.get("page"))
    return render(
        request, "people/volunteer_list.html", {"page": page, "form": form, "total": page.paginator.count}
    )


@require_GET
@login_required
def volunteer_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    volunteer, can_edit = get_volunteer_for_user(request.user, pk)
    return render(request, "people/volunteer_detail.html", {"volunteer": volunteer, "can_edit": can_edit})


@require_http_methods(["GET", "POST"])
@login_required
def volunteer_create(request: AuthedHttpRequest) -> HttpResponse:
    require_people_manager(request.user)
    units = managed_units(request.user)
    form = VolunteerForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "skills"}
        try:
            volunteer = services.create_volunteer(
                by=request.user, data=data, skills=form.cleaned_data["skills"]
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Volunteer %(name)s added.") % {"name": volunteer.full_name})
            return redirect("people:volunteer_detail", pk=volunteer.pk)
    return render(request, "people/volunteer_form.html", {"form": form, "volunteer": None})


@require_http_methods(["GET", "POST"])
@login_required
def volunteer_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    volunteer, can_edit = get_volunteer_for_user(request.user, pk)
    if not can_edit:
        raise PermissionDenied
    form = VolunteerForm(request.POST or None, instance=volunteer, units=managed_units(request.user))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "skills"}
        try:
            services.update_volunteer(
                by=request.user, volunteer=volunteer, data=data, skills=form.cleaned_data["skills"]
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Changes saved."))
            return redirect("people:volunteer_detail", pk=volunteer.pk)
    return render(request, "people/volunteer_form.html", {"form": form, "volunteer": volunteer})


@require_POST
@login_required
def volunteer_set_active(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    volunteer, can_edit = get_volunteer_for_user(request.user, pk)
    if not can_edit:
        raise PermissionDenied
    active = request.POST.get("active") == "1"
    services.set_volunteer_active(by=request.user, volunteer=volunteer, active=active)
    if active:
        messages.success(request, _("%(name)s is active again.") % {"name": volunteer.full_name})
    else:
        messages.success(request, _("%(name)s is now inactive.") % {"name": volunteer.full_name})
    return redirect("people:volunteer_detail", pk=volunteer.pk)


# --- Units ------------------------------------------------------------------------------------


def _require_unit_reader(request: AuthedHttpRequest) -> None:
    user = request.user
    if not (user.is_superuser or user.role in (Role.COORDINATOR, Role.UNIT_LEADER, Role.VIEWER)):
        raise PermissionDenied


@require_GET
@login_required
def unit_list(request: AuthedHttpRequest) -> HttpResponse:
    _require_unit_reader(request)
    units = list(visible_units(request.user).select_related("admin_unit").order_by("path"))
    can_create = bool(_creatable_parents(request).exists())
    return render(request, "people/unit_list.html", {"units": units, "can_create": can_create})


def _creatable_parents(request: AuthedHttpRequest) -> QuerySet[OrgUnit]:
    user = request.user
    if user.is_superuser:
        return OrgUnit.objects.all()
    if user.role == Role.COORDINATOR:
        return managed_units(user)
    return OrgUnit.objects.none()


@require_GET
@login_required
def unit_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    unit, can_edit = get_unit_for_user(request.user, pk)
    children = unit.children.order_by("name")
    volunteer_count = unit.volunteers.filter(is_active=True).count()
    # Those who manage the unit's people may invite them to make accounts (accounts' pages).
    can_invite = managed_units(request.user).filter(pk=unit.pk).exists()
    return render(
        request,
        "people/unit_detail.html",
        {
            "unit": unit,
            "can_edit": can_edit,
            "can_invite": can_invite,
            "children": children,
            "volunteer_count": volunteer_count,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def unit_create(request: AuthedHttpRequest) -> HttpResponse:
    parents = _creatable_parents(request)
    if not parents.exists():
        raise PermissionDenied
    initial = {"parent": request.GET.get("parent")}
    form = UnitForm(request.POST or None, parents=parents, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.create_unit(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Unit %(name)s created.") % {"name": unit.name})
            return redirect("people:unit_detail", pk=unit.pk)
    return render(request, "people/unit_form.html", {"form": form, "unit": None})


@require_http_methods(["GET", "POST"])
@login_required
def unit_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    unit, can_edit = get_unit_for_user(request.user, pk)
    if not can_edit:
        raise PermissionDenied
    initial = {"name": unit.name, "kind": unit.kind, "parent": unit.parent, "admin_unit": unit.admin_unit}
    parents = _creatable_parents(request).exclude(path__startswith=unit.path)
    form = UnitForm(request.POST or None, parents=parents, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_unit(by=request.user, unit=unit, is_active=unit.is_active, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Changes saved."))
            return redirect("people:unit_detail", pk=unit.pk)
    return render(request, "people/unit_form.html", {"form": form, "unit": unit})
