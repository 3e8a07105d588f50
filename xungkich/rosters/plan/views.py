"""Planning pages: service points and their shift patterns, closed days, roster periods with the
calendar grid, the solver run (in the background, with progress), hand edits and publishing.

Thin views: an access helper from ``rosters.plan.access`` (404 outside the scope, 403 for read-only
readers on writes, 403 for volunteers and kiosks everywhere), a form, one service call, a message
and a redirect or render. htmx requests get partials (the progress box, the grid).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xungkich.core.errors import DomainError
from xungkich.people.models import User
from xungkich.places import services as point_services
from xungkich.places.models import ServicePoint
from xungkich.rosters import services, solving
from xungkich.rosters.models import Assignment, RosterPeriod, Shift
from xungkich.rosters.plan import planning
from xungkich.rosters.plan.access import (
    can_plan_anything,
    can_plan_unit,
    closed_days_for_user,
    get_closed_day_for_user,
    get_pattern_for_user,
    get_period_for_user,
    get_plan_assignment_for_user,
    get_point_for_user,
    get_shift_for_user,
    periods_for_user,
    planned_units,
    points_for_user,
    require_plan_reader,
)
from xungkich.rosters.plan.forms import (
    AddAssigneeForm,
    CandidateSearchForm,
    ClosedDayForm,
    PeriodForm,
    ServicePointForm,
    ShiftPatternForm,
    SolveForm,
)
from xungkich.rosters.rules import HOLDING

STAGE_LABELS = {
    "queued": gettext_lazy("Waiting for a worker to start"),
    "building": gettext_lazy("Reading the period"),
    "greedy": gettext_lazy("A first roster"),
    "model": gettext_lazy("Building the model"),
    "fill": gettext_lazy("Filling as many places as possible"),
    "skills": gettext_lazy("Meeting the skill needs"),
    "max_load": gettext_lazy("Sharing out the busiest people's shifts"),
    "spread": gettext_lazy("Sharing the shifts evenly"),
    "changes": gettext_lazy("Keeping the published roster where possible"),
    "saving": gettext_lazy("Saving the roster"),
    "done": gettext_lazy("Finished"),
    "failed": gettext_lazy("Failed"),
    "cancelled": gettext_lazy("Cancelled"),
}


def _user(request: HttpRequest) -> User:
    """The signed-in user (every view here is behind login_required)."""
    return cast(User, request.user)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _require_planner(request: HttpRequest) -> User:
    """Pages that only create (a new period or point): coordinators; readers 403."""
    user = _user(request)
    require_plan_reader(user)
    if not can_plan_anything(user):
        raise PermissionDenied
    return user


def _editable(obj_and_flag: tuple[Any, bool]) -> Any:
    obj, can_edit = obj_and_flag
    if not can_edit:
        raise PermissionDenied
    return obj


def _day_url(shift: Shift) -> str:
    day = timezone.localtime(shift.start).date()
    return reverse("rosters:period_detail", args=[shift.period_id]) + f"#day-{day.isoformat()}"


# --- Periods --------------------------------------------------------------------------------------


@require_GET
@login_required
def period_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require_plan_reader(user)
    periods = periods_for_user(user).select_related("unit").order_by("-start", "pk")
    page = Paginator(periods, 30).get_page(request.GET.get("page"))
    ids = [p.pk for p in page]
    places: dict[int, dict[str, Any]] = {
        row["period"]: dict(row)
        for row in Shift.objects.filter(period__in=ids)
        .values("period")
        .annotate(shifts=Count("pk"), places=Sum("demand"))
    }
    filled = dict(
        Assignment.objects.filter(shift__period__in=ids, status__in=HOLDING)
        .values("shift__period")
        .annotate(n=Count("pk"))
        .values_list("shift__period", "n")
    )
    rows = [
        {
            "period": period,
            "shifts": places.get(period.pk, {}).get("shifts", 0),
            "places": places.get(period.pk, {}).get("places") or 0,
            "filled": filled.get(period.pk, 0),
        }
        for period in page
    ]
    return render(
        request,
        "rosters/plan/period_list.html",
        {"page": page, "rows": rows, "can_create": can_plan_anything(user), "tab": "periods"},
    )


@require_http_methods(["GET", "POST"])
@login_required
def period_create(request: HttpRequest) -> HttpResponse:
    user = _require_planner(request)
    units = planned_units(user)
    form = PeriodForm(request.POST or None, units=units, initial={"unit": user.unit_id})
    if request.method == "POST" and form.is_valid():
        try:
            period = services.create_period(by=user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            count = period.shifts.count()
            if count:
                messages.success(
                    request,
                    _("Roster period %(name)s created with %(n)s shifts.")
                    % {"name": period.name, "n": count},
                )
            else:
                messages.warning(
                    request,
                    _(
                        "Roster period %(name)s created, but it has no shifts: add shift patterns to the "
                        "service points of its unit, then refresh the shifts."
                    )
                    % {"name": period.name},
                )
            return redirect("rosters:period_detail", pk=period.pk)
    return render(request, "rosters/plan/period_form.html", {"form": form, "tab": "periods"})


def _progress_context(period: RosterPeriod) -> dict[str, Any]:
    progress = dict(period.solver_progress or {})
    stage = progress.get("stage", "")
    return {
        "progress": progress,
        "stage_label": STAGE_LABELS.get(stage, stage),
        "solving": period.status == RosterPeriod.Status.SOLVING,
        "stale": period.status == RosterPeriod.Status.SOLVING and solving.solving_is_stale(period),
        "summary": progress.get("summary") if stage == "done" else None,
    }


@require_GET
@login_required
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    period, can_edit = get_period_for_user(_user(request), pk)
    context = {
        "period": period,
        "can_edit": can_edit,
        "calendar": planning.calendar(period),
        "last_day": period.start + dt.timedelta(days=period.days - 1),
        "tab": "periods",
        **_progress_context(period),
    }
    if _is_htmx(request) and request.GET.get("partial") == "grid":
        return render(request, "rosters/plan/_grid.html", context)
    context["solve_form"] = SolveForm()
    return render(request, "rosters/plan/period_detail.html", context)


@require_POST
@login_required
def period_solve(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    period = _editable(get_period_for_user(user, pk))
    form = SolveForm(request.POST)
    time_limit = form.cleaned_data["time_limit"] if form.is_valid() else 30
    try:
        period = services.start_solving(period=period, by=user, time_limit=time_limit)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("rosters:period_detail", pk=pk)
    progress = period.solver_progress or {}
    if period.status == RosterPeriod.Status.SOLVING:
        messages.info(request, _("The solver is working on the roster. You can leave this page meanwhile."))
    elif progress.get("stage") == "done":
        summary = progress.get("summary", {})
        messages.success(
            request,
            _("The solver finished: %(filled)s of %(places)s places are filled.")
            % {"filled": summary.get("filled", 0), "places": summary.get("places", 0)},
        )
    else:
        messages.error(request, _("The solver failed: %(error)s") % {"error": progress.get("error", "")})
    return redirect("rosters:period_detail", pk=pk)


@require_GET
@login_required
@never_cache
def period_progress(request: HttpRequest, pk: int) -> HttpResponse:
    period, can_edit = get_period_for_user(_user(request), pk)
    context = {"period": period, "can_edit": can_edit, **_progress_context(period)}
    response = render(request, "rosters/plan/_progress.html", context)
    if _is_htmx(request) and not context["solving"]:
        # Over: reload the page, so the grid, the counts and the buttons all show the new roster.
        response["HX-Refresh"] = "true"
    return response


@require_POST
@login_required
def period_solve_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    period = _editable(get_period_for_user(user, pk))
    try:
        services.cancel_solving(period=period, by=user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The solver run was cancelled."))
    return redirect("rosters:period_detail", pk=pk)


@require_http_methods(["GET", "POST"])
@login_required
def period_publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    period = _editable(get_period_for_user(user, pk))
    if request.method == "POST":
        try:
            services.publish_period(by=user, period=period)
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("The roster %(name)s is published: volunteers see their shifts.") % {"name": period.name},
            )
        return redirect("rosters:period_detail", pk=pk)
    return render(
        request,
        "rosters/plan/period_publish.html",
        {"period": period, "calendar": planning.calendar(period), "tab": "periods"},
    )


@require_POST
@login_required
def period_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    period = _editable(get_period_for_user(user, pk))
    try:
        added, removed = services.refresh_period_shifts(by=user, period=period)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Shifts refreshed: %(added)s added, %(removed)s removed.")
            % {"added": added, "removed": removed},
        )
    return redirect("rosters:period_detail", pk=pk)


@require_GET
@login_required
def period_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The period as a solver instance (xungkich-roster/1), as ``manage.py export_roster`` writes it."""
    period = _editable(get_period_for_user(_user(request), pk))
    document = planning.build_instance(period)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="roster-{period.pk}.json"'
    return response


# --- Hand edits -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def assignment_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    shift = _editable(get_shift_for_user(user, pk))
    search = CandidateSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    form = AddAssigneeForm(request.POST or None, period=shift.period)
    status = 200
    if request.method == "POST" and form.is_valid():
        volunteer = form.cleaned_data["volunteer"]
        try:
            services.add_assignment(by=user, shift=shift, volunteer=volunteer)
        except DomainError as exc:
            problems = exc.details if isinstance(exc.details, list) else []
            for problem in problems or [exc]:
                form.add_error(None, getattr(problem, "message", str(problem)))
            status = 409 if exc.code.startswith("rule_") or exc.code == "period_solving" else 400
        else:
            messages.success(
                request,
                _("%(name)s is on the shift %(shift)s.")
                % {"name": volunteer.full_name, "shift": _shift_label(shift)},
            )
            return redirect(_day_url(shift))
    elif request.method == "POST":
        status = 400
    candidates = planning.shift_candidates(shift, query=query)
    holding = list(
        Assignment.objects.filter(shift=shift, status__in=HOLDING)
        .select_related("volunteer__unit")
        .order_by("volunteer__sort_key")
    )
    return render(
        request,
        "rosters/plan/assignment_add.html",
        {
            "shift": shift,
            "period": shift.period,
            "form": form,
            "search": search,
            "query": query,
            "eligible": [c for c in candidates if c.eligible],
            "others": [c for c in candidates if not c.eligible],
            "holding": holding,
            "back_url": _day_url(shift),
            "tab": "periods",
        },
        status=status,
    )


def _shift_label(shift: Shift) -> str:
    start, end = timezone.localtime(shift.start), timezone.localtime(shift.end)
    return f"{shift.point.name} {start:%d/%m/%Y %H:%M}–{end:%H:%M}"


@require_POST
@login_required
def assignment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    assignment = _editable(get_plan_assignment_for_user(user, pk))
    shift = assignment.shift
    try:
        services.remove_assignment(by=user, assignment=assignment)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(name)s is off the shift %(shift)s.")
            % {"name": assignment.volunteer.full_name, "shift": _shift_label(shift)},
        )
    return redirect(_day_url(shift))


# --- Service points and patterns ------------------------------------------------------------------


@require_GET
@login_required
def point_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require_plan_reader(user)
    points = (
        points_for_user(user)
        .select_related("unit")
        .annotate(pattern_count=Count("patterns", filter=Q(patterns__is_active=True)))
        .order_by("-is_active", "unit__path", "name")
    )
    return render(
        request,
        "rosters/plan/point_list.html",
        {"points": points, "can_create": can_plan_anything(user), "tab": "points"},
    )


@require_http_methods(["GET", "POST"])
@login_required
def point_create(request: HttpRequest) -> HttpResponse:
    user = _require_planner(request)
    form = ServicePointForm(request.POST or None, units=planned_units(user), initial={"unit": user.unit_id})
    if request.method == "POST" and form.is_valid():
        try:
            point = point_services.create_service_point(by=user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Service point %(name)s added. Now add its shift patterns.") % {"name": point.name}
            )
            return redirect("rosters:point_detail", pk=point.pk)
    return render(request, "rosters/plan/point_form.html", {"form": form, "point": None, "tab": "points"})


@require_GET
@login_required
def point_detail(request: HttpRequest, pk: int) -> HttpResponse:
    point, can_edit = get_point_for_user(_user(request), pk)
    patterns = list(point.patterns.order_by("-is_active", "start_time", "name"))
    closed = list(
        closed_days_for_user(_user(request))
        .filter(Q(point=point) | Q(point__isnull=True), date__gte=timezone.localdate())
        .order_by("date")[:20]
    )
    return render(
        request,
        "rosters/plan/point_detail.html",
        {"point": point, "can_edit": can_edit, "patterns": patterns, "closed": closed, "tab": "points"},
    )


@require_http_methods(["GET", "POST"])
@login_required
def point_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    point: ServicePoint = _editable(get_point_for_user(user, pk))
    initial = {
        "name": point.name,
        "kind": point.kind,
        "address": point.address,
        "opening_hours": point.opening_hours,
        "admin_unit": point.admin_unit_id,
        "is_active": point.is_active,
    }
    form = ServicePointForm(request.POST or None, units=planned_units(user), point=point, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            point_services.update_service_point(by=user, point=point, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Changes saved."))
            return redirect("rosters:point_detail", pk=point.pk)
    return render(request, "rosters/plan/point_form.html", {"form": form, "point": point, "tab": "points"})


@require_http_methods(["GET", "POST"])
@login_required
def pattern_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    point: ServicePoint = _editable(get_point_for_user(user, pk))
    form = ShiftPatternForm(request.POST or None, initial={"weekdays": ["1", "2", "3", "4", "5"]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.create_shift_pattern(
                by=user,
                point=point,
                name=data["name"],
                weekdays=form.weekday_numbers(),
                start_time=data["start_time"],
                end_time=data["end_time"],
                demand=data["demand"],
                skill_needs=form.skill_needs(),
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Shift pattern %(name)s added.") % {"name": data["name"]})
            return redirect("rosters:point_detail", pk=point.pk)
    return render(
        request,
        "rosters/plan/pattern_form.html",
        {"form": form, "point": point, "pattern": None, "tab": "points"},
    )


@require_http_methods(["GET", "POST"])
@login_required
def pattern_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    pattern = _editable(get_pattern_for_user(user, pk))
    form = ShiftPatternForm(request.POST or None, initial=ShiftPatternForm.initial_for(pattern))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_shift_pattern(
                by=user,
                pattern=pattern,
                name=data["name"],
                weekdays=form.weekday_numbers(),
                start_time=data["start_time"],
                end_time=data["end_time"],
                demand=data["demand"],
                skill_needs=form.skill_needs(pattern),
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Changes saved. They apply to the shifts of new periods."))
            return redirect("rosters:point_detail", pk=pattern.point_id)
    return render(
        request,
        "rosters/plan/pattern_form.html",
        {"form": form, "point": pattern.point, "pattern": pattern, "tab": "points"},
    )


@require_POST
@login_required
def pattern_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    pattern = _editable(get_pattern_for_user(user, pk))
    active = request.POST.get("active") == "1"
    services.set_pattern_active(by=user, pattern=pattern, active=active)
    if active:
        messages.success(request, _("Shift pattern %(name)s is active again.") % {"name": pattern.name})
    else:
        messages.success(request, _("Shift pattern %(name)s makes no more shifts.") % {"name": pattern.name})
    return redirect("rosters:point_detail", pk=pattern.point_id)


# --- Closed days ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def closed_days(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require_plan_reader(user)
    can_edit = can_plan_anything(user)
    form = None
    if can_edit:
        units = list(planned_units(user).filter(is_active=True).order_by("path"))
        points = list(
            ServicePoint.objects.filter(unit__in=planned_units(user), is_active=True).order_by("name", "pk")
        )
        form = ClosedDayForm(
            request.POST if request.method == "POST" else None,
            units=units,
            points=points,
            everywhere=user.is_superuser,
        )
    elif request.method == "POST":
        raise PermissionDenied
    if request.method == "POST" and form is not None and form.is_valid():
        unit, point = form.target()
        try:
            made = services.close_day(
                by=user,
                date=form.cleaned_data["date"],
                unit=unit,
                point=point,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            day = f"{form.cleaned_data['date']:%d/%m/%Y}"
            if made:
                messages.success(
                    request,
                    _("%(date)s is closed at %(n)s service point(s); draft periods lost that day's shifts.")
                    % {"date": day, "n": len(made)},
                )
            else:
                messages.info(request, _("%(date)s was already closed there.") % {"date": day})
            return redirect("rosters:closed_days")
    since = timezone.localdate() - dt.timedelta(days=31)
    closures = list(
        closed_days_for_user(user)
        .filter(date__gte=since)
        .select_related("point__unit")
        .order_by("date", "point__name", "pk")[:500]
    )
    rows = [
        (c, user.is_superuser if c.point is None else can_plan_unit(user, c.point.unit)) for c in closures
    ]
    return render(
        request,
        "rosters/plan/closed_days.html",
        {"rows": rows, "form": form, "can_edit": can_edit, "tab": "closed"},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def closed_day_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    closure = _editable(get_closed_day_for_user(user, pk))
    services.reopen_day(by=user, closure=closure)
    messages.success(
        request,
        _("%(date)s is open again. Refresh the shifts of draft periods to add that day's shifts.")
        % {"date": f"{closure.date:%d/%m/%Y}"},
    )
    return redirect("rosters:closed_days")
