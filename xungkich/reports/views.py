"""The dashboard, exports (ask, follow, download) and recomputing figures. Thin views.

Access (``access.py``): volunteers and kiosks 403; a unit or export outside the reader's scope 404;
viewers read and download the figures report but do not recompute nor get records exports (403).
"""

from __future__ import annotations

import datetime as dt
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import storages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from xungkich.core.errors import DomainError
from xungkich.people.models import User
from xungkich.reports import access, selectors, services
from xungkich.reports.forms import ExportForm, ReportFilterForm
from xungkich.reports.models import ReportExport


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _unit_pk(request: HttpRequest) -> int | None:
    raw = (request.GET.get("unit") or request.POST.get("unit") or "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    return int(raw)


def _query(unit_pk: int, start: dt.date, end: dt.date) -> str:
    query: dict[str, str | int] = {"unit": unit_pk, "from": f"{start:%d/%m/%Y}", "to": f"{end:%d/%m/%Y}"}
    return urlencode(query)


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    unit, can_refresh = access.get_unit_for_user(user, _unit_pk(request))
    form = ReportFilterForm(request.GET or None)
    start, end = form.period()
    data = selectors.dashboard(unit=unit, start=start, end=end)
    units = list(access.report_units(user).order_by("path").only("pk", "name", "depth", "path"))
    base_depth = min((u.depth for u in units), default=0)
    recent = list(
        ReportExport.objects.filter(requested_by=user, unit=unit).order_by("-created_at", "-pk")[:5]
    )
    return render(
        request,
        "reports/dashboard.html",
        {
            "data": data,
            "form": form,
            "unit": unit,
            "units": [(u, "\u2003" * (u.depth - base_depth) + u.name) for u in units],
            "can_refresh": can_refresh,
            "export_form": ExportForm(kinds=access.export_kinds(user)),
            "recent": recent,
            "query": _query(unit.pk, start, end),
        },
    )


@login_required
@require_POST
def export_start(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    unit, _can_refresh = access.get_unit_for_user(user, _unit_pk(request))
    kinds = access.export_kinds(user)
    if request.POST.get("kind") in ReportExport.Kind.values and request.POST["kind"] not in kinds:
        raise PermissionDenied  # records exports are not for figures-only readers
    period_form = ReportFilterForm(request.POST)
    form = ExportForm(request.POST, kinds=kinds)
    if not period_form.is_valid() or not form.is_valid():
        messages.error(request, _("Choose a format and a valid period."))
        return redirect(f"{reverse('reports:dashboard')}?unit={unit.pk}")
    start, end = period_form.period()
    try:
        export = services.start_export(
            kind=form.cleaned_data["kind"], unit=unit, start=start, end=end, by=user
        )
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect(f"{reverse('reports:dashboard')}?{_query(unit.pk, start, end)}")
    return redirect("reports:export_detail", export.pk)


@never_cache
@login_required
@require_GET
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    export, _can_edit = access.get_export_for_user(_user(request), pk)
    template = (
        "reports/_export_status.html" if request.headers.get("HX-Request") else "reports/export_detail.html"
    )
    return render(request, template, {"export": export, "export_keep_days": settings.XK_EXPORT_KEEP_DAYS})


@login_required
@require_GET
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    export, _can_edit = access.get_export_for_user(_user(request), pk)
    if export.status != ReportExport.Status.DONE or not export.file_name:
        raise Http404
    storage = storages["private"]
    if not storage.exists(export.file_name):
        raise Http404
    response = FileResponse(
        storage.open(export.file_name, "rb"),
        as_attachment=True,
        filename=export.file_name.rsplit("/", 1)[-1],
        content_type=services.CONTENT_TYPES[ReportExport.Kind(export.kind)],
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def refresh(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    unit, can_refresh = access.get_unit_for_user(user, _unit_pk(request))
    if not can_refresh:
        raise PermissionDenied
    form = ReportFilterForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid period."))
        return redirect(f"{reverse('reports:dashboard')}?unit={unit.pk}")
    start, end = form.period()
    services.refresh_scope(unit=unit, start=start, end=end, by=user)
    messages.success(request, _("The figures were recomputed from the records."))
    return redirect(f"{reverse('reports:dashboard')}?{_query(unit.pk, start, end)}")
