"""Campaign, activity and event pages for signed-in users. Thin views: access helper, form, service.

Access rules are in ``access.py``: outsiders 404, read-only roles 403 on writes, kiosks 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xungkich.campaigns import access, services
from xungkich.campaigns.charts import bar_chart_svg
from xungkich.campaigns.exports import AttendanceRow, attendance_workbook
from xungkich.campaigns.forms import ActivityForm, CampaignForm, CheckInForm, EventForm, PhotoForm, SearchForm
from xungkich.campaigns.models import Activity, ActivityPhoto, Campaign, Event, Registration
from xungkich.core.errors import DomainError
from xungkich.lib.vietnamese import fold
from xungkich.people.models import OrgUnit, User
from xungkich.people.scope import AuthedHttpRequest
from xungkich.reports.campaign_progress import campaign_progress


def _owner_units(user: User) -> Any:
    if user.is_superuser:
        return OrgUnit.objects.all()
    if not access.can_create_campaigns(user) or user.unit is None:
        raise PermissionDenied
    return OrgUnit.objects.filter(path__startswith=user.unit.path)


def _campaign_data(form: CampaignForm) -> tuple[dict[str, Any], list[OrgUnit]]:
    data = {key: value for key, value in form.cleaned_data.items() if key != "units"}
    return data, list(form.cleaned_data["units"])


# --- Campaigns ------------------------------------------------------------------------------------


@require_GET
@login_required
def campaign_list(request: AuthedHttpRequest) -> HttpResponse:
    access.require_reader(request.user)
    campaigns = (
        access.campaigns_for_user(request.user)
        .select_related("unit")
        .annotate(
            activity_count=Count("activities", distinct=True), event_count=Count("events", distinct=True)
        )
    )
    return render(
        request,
        "campaigns/campaign_list.html",
        {"campaigns": campaigns, "can_create": access.can_create_campaigns(request.user)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def campaign_create(request: AuthedHttpRequest) -> HttpResponse:
    access.require_reader(request.user)
    owner_units = _owner_units(request.user)
    form = CampaignForm(request.POST or None, owner_units=owner_units, initial={"unit": request.user.unit_id})
    if request.method == "POST" and form.is_valid():
        data, units = _campaign_data(form)
        try:
            campaign = services.create_campaign(by=request.user, data=data, units=units)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Campaign created."))
            return redirect("campaigns:campaign_detail", campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": None})


@require_http_methods(["GET", "POST"])
@login_required
def campaign_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    campaign = access.editable(access.get_campaign_for_user(request.user, pk))
    assert isinstance(campaign, Campaign)
    form = CampaignForm(request.POST or None, instance=campaign, owner_units=_owner_units(request.user))
    if request.method == "POST" and form.is_valid():
        data, units = _campaign_data(form)
        try:
            services.update_campaign(campaign=campaign, by=request.user, data=data, units=units)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Campaign saved."))
            return redirect("campaigns:campaign_detail", campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": campaign})


@require_GET
@login_required
def campaign_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    campaign, can_edit = access.get_campaign_for_user(request.user, pk)
    _read, _manage, can_work = access.campaign_rights(
        request.user, campaign, [unit.path for unit in campaign.units.all()]
    )
    progress = campaign_progress(campaign)
    chart = bar_chart_svg(progress.bars(), title=_("Progress against targets"))
    activities = campaign.activities.select_related("ward").annotate(photo_count=Count("photos"))
    events = campaign.events.annotate(
        confirmed=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)),
        waiting=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)),
        checked_in=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)),
    )
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            "campaign": campaign,
            "can_edit": can_edit,
            "can_work": can_work,
            "can_read_records": access.can_read_records(request.user),
            "progress": progress,
            "chart": mark_safe(chart),  # noqa: S308 — every text in it is escaped by bar_chart_svg
            "activities": activities,
            "events": events,
        },
    )


# --- Activities -----------------------------------------------------------------------------------


def _activity_data(form: ActivityForm) -> tuple[dict[str, Any], list[OrgUnit]]:
    data = {key: value for key, value in form.cleaned_data.items() if key not in ("units", "photos")}
    return data, list(form.cleaned_data["units"])


@require_http_methods(["GET", "POST"])
@login_required
def activity_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    campaign = access.editable(access.get_campaign_for_work(request.user, pk))
    assert isinstance(campaign, Campaign)
    form = ActivityForm(
        request.POST or None,
        request.FILES or None,
        campaign=campaign,
        initial={"date": min(max(timezone.localdate(), campaign.start_date), campaign.end_date)},
    )
    if request.method == "POST" and form.is_valid():
        data, units = _activity_data(form)
        upload = form.cleaned_data.get("photos")
        try:
            activity = services.record_activity(
                campaign=campaign,
                by=request.user,
                data=data,
                units=units,
                photos=[upload.read()] if upload else [],
            )
        except DomainError as exc:
            form.add_error("photos" if exc.code.startswith("photo_") else None, str(exc))
        else:
            messages.success(request, _("Activity recorded."))
            return redirect("campaigns:activity_detail", activity.pk)
    return render(
        request, "campaigns/activity_form.html", {"form": form, "campaign": campaign, "activity": None}
    )


@require_http_methods(["GET", "POST"])
@login_required
def activity_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    activity = access.editable(access.get_activity_for_user(request.user, pk))
    assert isinstance(activity, Activity)
    form = ActivityForm(request.POST or None, instance=activity, campaign=activity.campaign)
    if request.method == "POST" and form.is_valid():
        data, units = _activity_data(form)
        try:
            services.update_activity(activity=activity, by=request.user, data=data, units=units)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Activity saved."))
            return redirect("campaigns:activity_detail", activity.pk)
    return render(
        request,
        "campaigns/activity_form.html",
        {"form": form, "campaign": activity.campaign, "activity": activity},
    )


@require_GET
@login_required
def activity_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    activity, can_edit = access.get_activity_for_user(request.user, pk)
    return render(
        request,
        "campaigns/activity_detail.html",
        {
            "activity": activity,
            "campaign": activity.campaign,
            "can_edit": can_edit,
            "photo_form": PhotoForm(),
        },
    )


@require_POST
@login_required
def activity_photo_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    activity = access.editable(access.get_activity_for_user(request.user, pk))
    assert isinstance(activity, Activity)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_activity_photo(
                activity=activity, by=request.user, content=form.cleaned_data["photo"].read()
            )
        except DomainError as exc:
            form.add_error("photo", str(exc))
        else:
            messages.success(request, _("Photo added."))
            return redirect("campaigns:activity_detail", activity.pk)
    return render(
        request,
        "campaigns/activity_detail.html",
        {"activity": activity, "campaign": activity.campaign, "can_edit": True, "photo_form": form},
        status=400,
    )


@require_GET
@login_required
def activity_photo(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    """Photos are served to those who may read the campaign, not from a public folder."""
    photo = ActivityPhoto.objects.filter(pk=pk).only("activity_id", "image").first()
    if photo is None or not photo.image.name:
        access.require_reader(request.user)
        raise Http404
    access.get_activity_for_user(request.user, photo.activity_id)
    response = FileResponse(default_storage.open(photo.image.name, "rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- Events (organiser side) ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def event_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    campaign = access.editable(access.get_campaign_for_work(request.user, pk))
    assert isinstance(campaign, Campaign)
    form = EventForm(request.POST or None, initial={"capacity": 50, "registration_open": True})
    if request.method == "POST" and form.is_valid():
        event = services.create_event(campaign=campaign, by=request.user, data=form.cleaned_data)
        messages.success(request, _("Event created. Share the sign-up link."))
        return redirect("campaigns:event_detail", event.pk)
    return render(request, "campaigns/event_form.html", {"form": form, "campaign": campaign, "event": None})


@require_http_methods(["GET", "POST"])
@login_required
def event_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    event = access.editable(access.get_event_for_user(request.user, pk))
    assert isinstance(event, Event)
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_event(event=event, by=request.user, data=form.cleaned_data)
        except DomainError as exc:
            form.add_error("capacity", str(exc))
        else:
            messages.success(request, _("Event saved."))
            return redirect("campaigns:event_detail", event.pk)
    return render(
        request, "campaigns/event_form.html", {"form": form, "campaign": event.campaign, "event": event}
    )


def _counts(event: Event) -> dict[str, int]:
    return event.registrations.aggregate(
        confirmed=Count("pk", filter=Q(status=Registration.Status.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=Registration.Status.WAITLISTED)),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )


@require_GET
@login_required
def event_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    event, can_edit = access.get_event_for_user(request.user, pk)
    # Names and phone numbers are personal data: only those who run the event see the list.
    registrations = (
        event.registrations.select_related("unit").exclude(status=Registration.Status.CANCELLED)
        if can_edit
        else None
    )
    return render(
        request,
        "campaigns/event_detail.html",
        {
            "event": event,
            "campaign": event.campaign,
            "can_edit": can_edit,
            "registrations": registrations,
            "counts": _counts(event),
            "signup_url": request.build_absolute_uri(reverse("campaigns:signup", args=[event.code])),
        },
    )


def _checkin_context(request: AuthedHttpRequest, event: Event, **extra: Any) -> dict[str, Any]:
    search = SearchForm(request.GET or None)
    matches: list[Registration] = []
    if search.is_valid() and search.cleaned_data["q"]:
        key = fold(search.cleaned_data["q"])
        matches = list(
            event.registrations.select_related("unit")
            .filter(status=Registration.Status.CONFIRMED, search_key__contains=key)
            .order_by("full_name")[:20]
        )
    return {
        "event": event,
        "campaign": event.campaign,
        "search": search,
        "matches": matches,
        "counts": _counts(event),
        **extra,
    }


@require_http_methods(["GET", "POST"])
@login_required
def event_checkin(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The organiser's check-in page: camera scan where the browser can, typed code or name search always."""
    event = access.editable(access.get_event_for_user(request.user, pk))
    assert isinstance(event, Event)
    result: dict[str, Any] | None = None
    form = CheckInForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                registration = services.find_ticket(event=event, scanned=form.cleaned_data["code"])
                outcome = services.check_in(event=event, registration=registration, by=request.user)
            except DomainError as exc:
                result = {"ok": False, "code": exc.code, "message": str(exc)}
                status = 400
            else:
                result = {
                    "ok": not outcome.already,
                    "already": outcome.already,
                    "registration": outcome.registration,
                }
                form = CheckInForm()
        else:
            result = {"ok": False, "code": "checkin_empty", "message": _("Enter a ticket code.")}
            status = 400
    context = _checkin_context(request, event, form=form, result=result)
    if request.headers.get("HX-Request"):
        return render(request, "campaigns/_checkin_result.html", {**context, "is_htmx": True}, status=200)
    return render(request, "campaigns/event_checkin.html", context, status=status)


@require_POST
@login_required
def registration_checkin(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Check in from the name search (no camera, no code)."""
    registration = access.editable(access.get_registration_for_user(request.user, pk))
    assert isinstance(registration, Registration)
    event = registration.event
    try:
        outcome = services.check_in(event=event, registration=registration, by=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        if outcome.already:
            messages.warning(
                request, _("%(name)s was already checked in.") % {"name": registration.full_name}
            )
        else:
            messages.success(request, _("Checked in: %(name)s.") % {"name": registration.full_name})
    return redirect("campaigns:event_checkin", event.pk)


@require_POST
@login_required
def registration_cancel(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    registration = access.editable(access.get_registration_for_user(request.user, pk))
    assert isinstance(registration, Registration)
    try:
        services.cancel_registration(registration=registration, by=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Registration cancelled."))
    return redirect("campaigns:event_detail", registration.event_id)


@require_GET
@login_required
def event_export(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    event = access.editable(access.get_event_for_user(request.user, pk))
    assert isinstance(event, Event)
    rows = [
        AttendanceRow(
            full_name=item.full_name,
            unit=item.unit_label,
            phone=item.phone_display,
            status=str(item.get_status_display()),
            registered_on=timezone.localtime(item.created_at).date(),
            checked_in_at=timezone.localtime(item.checked_in_at).replace(tzinfo=None)
            if item.checked_in_at
            else None,
        )
        for item in event.registrations.select_related("unit").exclude(status=Registration.Status.CANCELLED)
    ]
    content = attendance_workbook(
        title=event.title, event_day=timezone.localtime(event.starts_at).date(), rows=rows
    )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="attendance-{event.pk}.xlsx"'
    return response
