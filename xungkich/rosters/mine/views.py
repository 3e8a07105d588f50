"""The volunteers' own roster pages (phone first) and the leaders' list of unconfirmed shifts.

Thin views: an access helper, a form, one service call, a message and a redirect (or, for htmx
requests, the changed card). A volunteer acts only on their own assignments (others' are 404);
users without a volunteer profile get 403.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xungkich.core.errors import DomainError
from xungkich.people.models import Role, User, Volunteer
from xungkich.people.scope import managed_units
from xungkich.rosters import notify
from xungkich.rosters.mine import availability, changes, ical
from xungkich.rosters.mine.forms import (
    OfferForm,
    OneOffForm,
    PreferencesForm,
    ReasonForm,
    TimetableForm,
    WeeklyForm,
)
from xungkich.rosters.models import Assignment, RosterPeriod, Shift, Unavailability
from xungkich.rosters.rules import HOLDING

RECENT_DAYS = 14
LEADER_WINDOW_HOURS = 72


# --- Access -------------------------------------------------------------------------------------


def _actor(request: HttpRequest) -> User:
    """The signed-in user (every view here but the feed and the signed links requires a login)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def get_my_volunteer(request: HttpRequest) -> Volunteer:
    """The signed-in user's volunteer profile, or 403 (coordinators, kiosks, viewers without one)."""
    volunteer = Volunteer.objects.select_related("unit").filter(user=_actor(request)).first()
    if volunteer is None:
        raise PermissionDenied
    return volunteer


def get_my_assignment(volunteer: Volunteer, pk: int) -> Assignment:
    """One of the volunteer's own assignments on a published roster, else 404."""
    assignment = changes.my_assignments(volunteer).filter(pk=pk).first()
    if assignment is None:
        raise Http404
    return assignment


def get_open_shift(volunteer: Volunteer, pk: int) -> Shift:
    """A published shift at a point the volunteer can reach, else 404."""
    shift = (
        Shift.objects.filter(
            pk=pk, period__status=RosterPeriod.Status.PUBLISHED, point__in=changes.reach_of(volunteer)
        )
        .select_related("point", "pattern", "period")
        .first()
    )
    if shift is None:
        raise Http404
    return shift


def require_leader(request: HttpRequest) -> None:
    user = _actor(request)
    if not (user.is_superuser or user.role in (Role.COORDINATOR, Role.UNIT_LEADER)):
        raise PermissionDenied


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


# --- My shifts ----------------------------------------------------------------------------------


@require_GET
@login_required
def my_shifts(request: HttpRequest) -> HttpResponse:
    volunteer = get_my_volunteer(request)
    now = timezone.now()
    mine = changes.my_assignments(volunteer)
    upcoming = list(mine.filter(shift__end__gt=now).order_by("shift__start", "pk"))
    recent = list(
        mine.filter(shift__end__lte=now, shift__end__gt=now - dt.timedelta(days=RECENT_DAYS)).order_by(
            "-shift__start", "pk"
        )
    )
    profile = ical.calendar_profile(volunteer)
    feed_url = request.build_absolute_uri(reverse("rosters:calendar_feed", args=[profile.calendar_token]))
    return render(
        request,
        "rosters/mine/my_shifts.html",
        {
            "volunteer": volunteer,
            "upcoming": upcoming,
            "recent": recent,
            "feed_url": feed_url,
            "webcal_url": "webcal://" + feed_url.split("://", 1)[1],
            "now": now,
        },
    )


def _after_change(
    request: HttpRequest, assignment: Assignment, message: str, error: str = ""
) -> HttpResponse:
    """htmx: the changed card; otherwise back to the list with a message."""
    if _is_htmx(request):
        return render(
            request,
            "rosters/mine/_shift_card.html",
            {
                "a": assignment,
                "now": timezone.now(),
                "card_message": error or message,
                "card_error": bool(error),
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, message)
    return redirect("rosters:my_shifts")


@require_POST
@login_required
def assignment_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = get_my_volunteer(request)
    assignment = get_my_assignment(volunteer, pk)
    try:
        assignment = changes.confirm(by=_actor(request), assignment=assignment)
    except DomainError as exc:
        return _after_change(request, assignment, "", str(exc))
    return _after_change(request, assignment, _("Thank you: your shift is confirmed."))


@require_http_methods(["GET", "POST"])
@login_required
def assignment_cant_come(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = get_my_volunteer(request)
    assignment = get_my_assignment(volunteer, pk)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = changes.cant_come(
                by=_actor(request), assignment=assignment, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            if _is_htmx(request):
                return _after_change(request, assignment, "", str(exc))
            form.add_error(None, str(exc))
        else:
            return _after_change(
                request, assignment, _("Noted: you can't come. Your place is open for others.")
            )
    elif request.method == "POST" and _is_htmx(request):
        return _after_change(request, assignment, "", _("Please give a reason."))
    return render(
        request,
        "rosters/mine/assignment_action.html",
        {"a": assignment, "form": form, "action": "cant_come", "now": timezone.now()},
    )


@require_http_methods(["GET", "POST"])
@login_required
def assignment_offer(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = get_my_volunteer(request)
    assignment = get_my_assignment(volunteer, pk)
    form = OfferForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = changes.offer_for_swap(
                by=_actor(request), assignment=assignment, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            if _is_htmx(request):
                return _after_change(request, assignment, "", str(exc))
            form.add_error(None, str(exc))
        else:
            return _after_change(
                request,
                assignment,
                _("Your shift is offered for swap. It stays yours until someone takes it over."),
            )
    return render(
        request,
        "rosters/mine/assignment_action.html",
        {"a": assignment, "form": form, "action": "offer", "now": timezone.now()},
    )


@require_POST
@login_required
def calendar_rotate(request: HttpRequest) -> HttpResponse:
    volunteer = get_my_volunteer(request)
    ical.rotate_calendar_token(by=_actor(request), volunteer=volunteer)
    messages.success(request, _("New calendar link made. The old link no longer works: subscribe again."))
    return redirect(reverse("rosters:my_shifts") + "#calendar")


# --- Open places ------------------------------------------------------------------------------


@require_GET
@login_required
def open_shifts(request: HttpRequest) -> HttpResponse:
    volunteer = get_my_volunteer(request)
    return render(
        request,
        "rosters/mine/open_shifts.html",
        {"volunteer": volunteer, "shifts": changes.open_shifts(volunteer)},
    )


@require_POST
@login_required
def shift_take(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = get_my_volunteer(request)
    shift = get_open_shift(volunteer, pk)
    try:
        changes.take_shift(by=_actor(request), volunteer=volunteer, shift=shift)
    except DomainError as exc:
        if _is_htmx(request):
            return render(
                request,
                "rosters/mine/_take_result.html",
                {"shift": shift, "error": str(exc), "code": exc.code},
            )
        messages.error(request, str(exc))
        return redirect("rosters:open_shifts")
    if _is_htmx(request):
        return render(request, "rosters/mine/_take_result.html", {"shift": shift, "error": ""})
    messages.success(
        request,
        _("The shift is yours: %(when)s at %(point)s.")
        % {"when": notify.shift_when(shift), "point": shift.point.name},
    )
    return redirect("rosters:my_shifts")


# --- Availability -------------------------------------------------------------------------------


def _availability_page(request: HttpRequest, volunteer: Volunteer, **forms: object) -> HttpResponse:
    profile = ical.calendar_profile(volunteer)
    context = {
        "volunteer": volunteer,
        "items": [
            (item, availability.describe(item)) for item in availability.upcoming_unavailability(volunteer)
        ],
        "one_off_form": forms.get("one_off_form") or OneOffForm(),
        "weekly_form": forms.get("weekly_form") or WeeklyForm(),
        "timetable_form": forms.get("timetable_form") or TimetableForm(),
        "preferences_form": forms.get("preferences_form")
        or PreferencesForm(
            volunteer=volunteer,
            initial={
                "points": list(profile.points.all()),
                "max_shifts_per_week": profile.max_shifts_per_week,
            },
        ),
        "open_section": forms.get("open_section", ""),
    }
    return render(request, "rosters/mine/availability.html", context)


@require_GET
@login_required
def availability_page(request: HttpRequest) -> HttpResponse:
    return _availability_page(request, get_my_volunteer(request))


@require_POST
@login_required
def availability_add_one_off(request: HttpRequest) -> HttpResponse:
    volunteer = get_my_volunteer(request)
    form = OneOffForm(request.POST)
    if form.is_valid():
        try:
            availability.add_one_off(by=_actor(request), volunteer=volunteer, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved: you will not be asked to serve then."))
            return redirect("rosters:availability")
    return _availability_page(request, volunteer, one_off_form=form, open_section="one_off")


@require_POST
@login_required
def availability_add_weekly(request: HttpRequest) -> HttpResponse:
    volunteer = get_my_volunteer(request)
    form = WeeklyForm(request.POST)
    if form.is_valid():
        try:
            availability.add_weekly(by=_actor(request), volunteer=volunteer, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved: you will not be asked to serve then."))
            return redirect("rosters:availability")
    return _availability_page(request, volunteer, weekly_form=form, open_section="weekly")


@require_POST
@login_required
def availability_add_timetable(request: HttpRequest) -> HttpResponse:
    volunteer = get_my_volunteer(request)
    form = TimetableForm(request.POST)
    if form.is_valid():
        try:
            made = availability.add_timetable(
                by=_actor(request),
                volunteer=volunteer,
                slots=form.cleaned_slots(),
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Timetable saved: %(n)s weekly times added.") % {"n": len(made)})
            return redirect("rosters:availability")
    return _availability_page(request, volunteer, timetable_form=form, open_section="timetable")


@require_POST
@login_required
def availability_preferences(request: HttpRequest) -> HttpResponse:
    volunteer = get_my_volunteer(request)
    form = PreferencesForm(request.POST, volunteer=volunteer)
    if form.is_valid():
        try:
            availability.update_preferences(
                by=_actor(request),
                volunteer=volunteer,
                points=form.cleaned_data["points"],
                max_shifts_per_week=form.cleaned_data["max_shifts_per_week"],
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Changes saved."))
            return redirect("rosters:availability")
    return _availability_page(request, volunteer, preferences_form=form, open_section="preferences")


@require_POST
@login_required
def availability_remove(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = get_my_volunteer(request)
    item = Unavailability.objects.filter(pk=pk, volunteer=volunteer).first()
    if item is None:
        raise Http404
    try:
        availability.remove_unavailability(by=_actor(request), volunteer=volunteer, item=item)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Removed."))
    return redirect("rosters:availability")


# --- Calendar feed (no login: the token is the key) ---------------------------------------------


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    volunteer = ical.volunteer_for_token(token)
    if volunteer is None:
        raise Http404
    body = ical.render_calendar(
        volunteer=volunteer,
        assignments=ical.calendar_assignments(volunteer),
        base_url=request.build_absolute_uri("/"),
    )
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="xungkich.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


# --- Signed links from the reminder (no login) ------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def signed_action(request: HttpRequest, token: str) -> HttpResponse:
    try:
        assignment, action = notify.read_action_token(token)
    except DomainError as exc:
        status = 410 if exc.code == "link_expired" else 400
        return render(
            request, "rosters/mine/link_invalid.html", {"error": str(exc), "code": exc.code}, status=status
        )
    form = ReasonForm(request.POST if request.method == "POST" else None) if action == "cant_come" else None
    done = False
    error = ""
    if request.method == "POST" and (form is None or form.is_valid()):
        by = assignment.volunteer.user
        try:
            if action == "confirm":
                assignment = changes.confirm(by=by, assignment=assignment, via="signed_link")
            else:
                assert form is not None
                assignment = changes.cant_come(
                    by=by, assignment=assignment, reason=form.cleaned_data["reason"], via="signed_link"
                )
        except DomainError as exc:
            error = str(exc)
        else:
            done = True
    response = render(
        request,
        "rosters/mine/signed_action.html",
        {
            "a": assignment,
            "action": action,
            "form": form,
            "done": done,
            "error": error,
            "when": notify.shift_when(assignment.shift),
        },
        status=409 if error else 200,
    )
    # The token in this page's address must not reach other sites in a Referer header, but the
    # form must still post with this site's Origin: "no-referrer" would make browsers send
    # "Origin: null" and the CSRF check would refuse the button. "same-origin" does both: no
    # Referer (nor token) leaves the site, and same-site requests keep their Origin.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


# --- Leaders: unconfirmed shifts --------------------------------------------------------------


@require_GET
@login_required
def unconfirmed(request: HttpRequest) -> HttpResponse:
    require_leader(request)
    now = timezone.now()
    units = managed_units(request.user)
    pending = list(
        notify.unconfirmed_assignments(now=now, within_hours=LEADER_WINDOW_HOURS).filter(
            volunteer__unit__in=units
        )
    )
    flagged = notify.flagged_ids(pending)
    for assignment in pending:
        assignment.flagged = assignment.pk in flagged  # type: ignore[attr-defined]
    cancelled = list(
        Assignment.objects.filter(
            status=Assignment.Status.CANT_COME,
            shift__period__status=RosterPeriod.Status.PUBLISHED,
            shift__start__gt=now,
            shift__start__lte=now + dt.timedelta(hours=LEADER_WINDOW_HOURS),
            volunteer__unit__in=units,
        )
        .select_related("shift__point", "volunteer")
        .annotate(taken=Count("shift__assignments", filter=Q(shift__assignments__status__in=HOLDING)))
        .order_by("shift__start", "pk")
    )
    return render(
        request,
        "rosters/mine/unconfirmed.html",
        {"pending": pending, "cancelled": cancelled, "hours": LEADER_WINDOW_HOURS},
    )
