"""Check-in by QR poster, the desk page, hours pages and the hours certificate. Thin views.

Access: a service point or assignment outside the user's visible units is a 404; inside them but
outside the managed units (viewers, volunteers) a 403. The desk, the poster and the unit hours are
for coordinators and unit leaders (``managed_units``); hours and certificates of one's own are for
any signed-in volunteer.
"""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xungkich.core.errors import DomainError
from xungkich.lib.qr import qr_svg
from xungkich.lib.spreadsheets import csv_text
from xungkich.people.access import get_volunteer_for_user
from xungkich.people.models import OrgUnit, User, Volunteer
from xungkich.people.scope import managed_units, require_people_manager, visible_units
from xungkich.places.access import get_point_for_user
from xungkich.places.models import ServicePoint
from xungkich.rosters.attendance import certificate
from xungkich.rosters.attendance import services as attendance
from xungkich.rosters.attendance.forms import DateRangeForm, DeskActionForm, DeskDayForm, MonthForm
from xungkich.rosters.attendance.hours import (
    HoursSummary,
    attendance_rows,
    desk_assignments,
    summarise,
    total,
)
from xungkich.rosters.models import Assignment

# --- Access helpers -------------------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    """The signed-in user (every view here is behind login_required)."""
    return cast(User, request.user)


def get_assignment_for_user(user: User, pk: int) -> tuple[Assignment, bool]:
    assignment = (
        Assignment.objects.select_related("shift", "shift__point", "shift__period", "volunteer")
        .filter(pk=pk)
        .first()
    )
    if assignment is None:
        raise Http404
    unit_id = assignment.shift.point.unit_id
    if not visible_units(user).filter(pk=unit_id).exists():
        raise Http404
    return assignment, managed_units(user).filter(pk=unit_id).exists()


def _editable_point(user: User, pk: int) -> ServicePoint:
    point, can_edit = get_point_for_user(user, pk)
    if not can_edit:
        raise PermissionDenied
    return point


def _own_volunteer(user: User) -> Volunteer | None:
    return Volunteer.objects.select_related("unit").filter(user=user).first()


def _checkin_url(request: HttpRequest, point: ServicePoint) -> str:
    return request.build_absolute_uri(reverse("rosters:checkin", args=[point.checkin_token]))


# --- Scanning the poster --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def checkin(request: HttpRequest, token: str) -> HttpResponse:
    point = get_object_or_404(ServicePoint, checkin_token=token, is_active=True)
    volunteer = _own_volunteer(_user(request))
    if request.method == "POST":
        if volunteer is None:
            raise PermissionDenied
        try:
            if request.POST.get("action") == "check_out":
                done = attendance.check_out_at_point(volunteer=volunteer, point=point, by=_user(request))
                assert done.check_out_at is not None
                messages.success(
                    request,
                    _("Checked out at %(time)s. Thank you!")
                    % {"time": f"{timezone.localtime(done.check_out_at):%H:%M}"},
                )
            else:
                done = attendance.check_in_at_point(volunteer=volunteer, point=point, by=_user(request))
                assert done.check_in_at is not None
                if done.late_minutes:
                    messages.warning(
                        request,
                        _("Checked in at %(time)s, %(minutes)s minutes late.")
                        % {
                            "time": f"{timezone.localtime(done.check_in_at):%H:%M}",
                            "minutes": done.late_minutes,
                        },
                    )
                else:
                    messages.success(
                        request,
                        _("Checked in at %(time)s. Have a good shift!")
                        % {"time": f"{timezone.localtime(done.check_in_at):%H:%M}"},
                    )
        except DomainError as exc:
            messages.error(request, str(exc))
        return redirect("rosters:checkin", token=token)
    assignment = attendance.current_assignment(volunteer=volunteer, point=point) if volunteer else None
    return render(
        request,
        "rosters/attendance/checkin.html",
        {
            "point": point,
            "volunteer": volunteer,
            "assignment": assignment,
            "opens_minutes": int(attendance.CHECKIN_OPENS_BEFORE.total_seconds() // 60),
        },
    )


# --- The QR poster --------------------------------------------------------------------------------


@require_GET
@login_required
def point_poster(request: HttpRequest, pk: int) -> HttpResponse:
    point = _editable_point(_user(request), pk)
    url = _checkin_url(request, point)
    # Safe: segno writes only its own markup and escapes the title.
    svg = mark_safe(qr_svg(url))  # noqa: S308
    return render(request, "rosters/attendance/poster.html", {"point": point, "url": url, "qr_svg": svg})


@require_GET
@login_required
def point_poster_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    point = _editable_point(_user(request), pk)
    content = attendance.poster_pdf(point=point, url=_checkin_url(request, point))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ma-diem-danh-{point.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def point_poster_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    point = _editable_point(_user(request), pk)
    attendance.rotate_checkin_token(point=point, by=_user(request))
    messages.success(request, _("New code made. Print the new poster: the old one no longer works."))
    return redirect("rosters:point_poster", pk=point.pk)


# --- The desk -------------------------------------------------------------------------------------


@require_GET
@login_required
def desk_index(request: HttpRequest) -> HttpResponse:
    require_people_manager(_user(request))
    units = managed_units(_user(request))
    points = (
        ServicePoint.objects.filter(unit__in=units, is_active=True).select_related("unit").order_by("name")
    )
    return render(
        request,
        "rosters/attendance/desk_index.html",
        {"points": points, "units": units.order_by("path"), "today": timezone.localdate()},
    )


@require_GET
@login_required
def desk(request: HttpRequest, pk: int) -> HttpResponse:
    point = _editable_point(_user(request), pk)
    form = DeskDayForm(request.GET or None, initial={"date": timezone.localdate()})
    day = form.day()
    assignments = list(desk_assignments(point=point, day=day))
    return render(
        request,
        "rosters/attendance/desk.html",
        {
            "point": point,
            "form": form,
            "day": day,
            "previous_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1),
            "assignments": assignments,
            "now": timezone.now(),
        },
    )


@require_POST
@login_required
def desk_action(request: HttpRequest, pk: int) -> HttpResponse:
    assignment, can_edit = get_assignment_for_user(_user(request), pk)
    if not can_edit:
        raise PermissionDenied
    shift_day = timezone.localtime(assignment.shift.start).date()
    form = DeskActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an action and a time such as 07:30."))
    else:
        action, at = form.cleaned_data["action"], form.moment(shift_day)
        name = assignment.volunteer.full_name
        try:
            if action == DeskActionForm.Action.CHECK_IN:
                attendance.check_in(assignment=assignment, by=_user(request), at=at)
                messages.success(request, _("%(name)s is checked in.") % {"name": name})
            elif action == DeskActionForm.Action.CHECK_OUT:
                attendance.check_out(assignment=assignment, by=_user(request), at=at)
                messages.success(request, _("%(name)s is checked out.") % {"name": name})
            else:
                attendance.mark_no_show(assignment=assignment, by=_user(request))
                messages.success(request, _("%(name)s is marked as a no-show.") % {"name": name})
        except DomainError as exc:
            messages.error(request, f"{name}: {exc}")
    query = urlencode({"date": f"{shift_day:%d/%m/%Y}"})
    return redirect(f"{reverse('rosters:desk', args=[assignment.shift.point_id])}?{query}")


# --- Hours ----------------------------------------------------------------------------------------


@require_GET
@login_required
def my_hours(request: HttpRequest) -> HttpResponse:
    volunteer = _own_volunteer(_user(request))
    if volunteer is None:
        raise Http404
    form = MonthForm(request.GET or None, initial={"month": timezone.localdate().replace(day=1)})
    start, end = form.bounds()
    rows = attendance_rows(volunteer=volunteer, start=start, end=end)
    certificate_query = urlencode({"from": f"{start:%d/%m/%Y}", "to": f"{end:%d/%m/%Y}"})
    return render(
        request,
        "rosters/attendance/my_hours.html",
        {
            "volunteer": volunteer,
            "form": form,
            "start": start,
            "end": end,
            "rows": rows,
            "summary": total(rows),
            "now": timezone.now(),
            "certificate_form": DateRangeForm(initial={"from": start, "to": end}),
            "certificate_url": f"{reverse('rosters:my_certificate')}?{certificate_query}",
        },
    )


def _certificate_response(request: HttpRequest, volunteer: Volunteer, back: str) -> HttpResponse:
    form = DateRangeForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Enter the dates as dd/mm/yyyy, the first one not after the second."))
        return redirect(back)
    start, end = form.cleaned_data["from"], form.cleaned_data["to"]
    try:
        content = certificate.hours_certificate_pdf(volunteer=volunteer, start=start, end=end)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    response = HttpResponse(content, content_type="application/pdf")
    filename = certificate.certificate_filename(volunteer, start, end)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def my_certificate(request: HttpRequest) -> HttpResponse:
    volunteer = _own_volunteer(_user(request))
    if volunteer is None:
        raise Http404
    return _certificate_response(request, volunteer, reverse("rosters:my_hours"))


@require_GET
@login_required
def volunteer_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """A coordinator or unit leader downloads the statement of a volunteer in their scope."""
    volunteer, _can_edit = get_volunteer_for_user(_user(request), pk)  # 404 outside scope; own record ok
    back = reverse("rosters:unit_hours", args=[volunteer.unit_id])
    if not managed_units(_user(request)).filter(pk=volunteer.unit_id).exists():
        back = reverse("rosters:my_hours")
    return _certificate_response(request, volunteer, back)


def _unit_for_hours(user: User, pk: int) -> OrgUnit:
    unit = visible_units(user).filter(pk=pk).first()
    if unit is None:
        raise Http404
    if not managed_units(user).filter(pk=unit.pk).exists():
        raise PermissionDenied
    return unit


def _unit_summaries(
    user: User, unit: OrgUnit, start: Any, end: Any
) -> tuple[list[dict[str, Any]], HoursSummary]:
    volunteers = Volunteer.objects.filter(
        unit__in=managed_units(user), unit__path__startswith=unit.path
    ).select_related("unit")
    rows = attendance_rows(volunteers=volunteers, start=start, end=end)
    by_id = {summary.volunteer_id: summary for summary in summarise(rows)}
    people = volunteers.filter(Q(is_active=True) | Q(pk__in=list(by_id))).order_by("full_name", "pk")
    table = [
        {"volunteer": person, "summary": by_id.get(person.pk) or HoursSummary(person.pk, person.full_name)}
        for person in people
    ]
    return table, total(rows)


@require_GET
@login_required
def unit_hours(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit_for_hours(_user(request), pk)
    form = MonthForm(request.GET or None, initial={"month": timezone.localdate().replace(day=1)})
    start, end = form.bounds()
    table, overall = _unit_summaries(_user(request), unit, start, end)
    query = urlencode({"from": f"{start:%d/%m/%Y}", "to": f"{end:%d/%m/%Y}"})
    return render(
        request,
        "rosters/attendance/unit_hours.html",
        {
            "unit": unit,
            "form": form,
            "start": start,
            "end": end,
            "table": table,
            "overall": overall,
            "range_query": query,
            "month_query": urlencode({"month": f"{start:%Y-%m}"}),
        },
    )


@require_GET
@login_required
def unit_hours_csv(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit_for_hours(_user(request), pk)
    form = MonthForm(request.GET or None)
    start, end = form.bounds()
    table, _overall = _unit_summaries(_user(request), unit, start, end)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="gio-tinh-nguyen-{unit.pk}-{start:%Y-%m}.csv"'
    response.write("\ufeff")  # a BOM, so that Excel reads the Vietnamese names as UTF-8
    writer = csv.writer(response)
    writer.writerow(
        [_("Volunteer"), _("Unit"), _("Shifts"), _("Served"), _("Hours"), _("Late"), _("No-shows")]
    )
    for line in table:
        summary = line["summary"]
        writer.writerow(
            [
                csv_text(line["volunteer"].full_name),
                csv_text(line["volunteer"].unit.name),
                summary.shifts,
                summary.served,
                f"{summary.hours.normalize():f}",
                summary.late,
                summary.no_shows,
            ]
        )
    return response
