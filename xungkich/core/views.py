from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from xungkich.core import audit_labels
from xungkich.core.models import AuditEntry
from xungkich.people.models import OrgUnit
from xungkich.people.scope import AuthedHttpRequest, can_manage_people, require_coordinator, visible_units


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer: the process answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links: send them to the static file."""
    return redirect(static("favicon.ico"))


@require_GET
@login_required
def home(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    if user.is_superuser and not OrgUnit.objects.exists():
        # A fresh install: the person who installed it sets up the province first.
        return redirect("firstrun:setup")
    context = {
        "can_manage_people": can_manage_people(user),
        "volunteer_profile": getattr(user, "volunteer", None),
    }
    return render(request, "core/home.html", context)


@require_GET
@login_required
def audit_list(request: AuthedHttpRequest) -> HttpResponse:
    require_coordinator(request.user)
    entries = AuditEntry.objects.select_related("unit").order_by("-at", "-pk")
    if not request.user.is_superuser:
        entries = entries.filter(unit__in=visible_units(request.user))
    action = request.GET.get("action", "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": audit_labels.readable_page(page),
        "action": action,
        "action_choices": audit_labels.action_choices(),
    }
    return render(request, "core/audit_list.html", context)
