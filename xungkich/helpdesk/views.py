"""Help desk pages: record a session, the session list, follow-up calls, a person's data, ratings and
the known issues board. Thin views: an access helper, a form, one service call."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xungkich.core.errors import DomainError
from xungkich.helpdesk import access, services
from xungkich.helpdesk.forms import (
    FollowUpAnswerForm,
    HelpSessionForm,
    KnownIssueForm,
    PhoneLookupForm,
    RatingForm,
    SessionFilterForm,
    TrackingForm,
)
from xungkich.helpdesk.models import FollowUp, Rating
from xungkich.people.models import User
from xungkich.people.scope import require_coordinator
from xungkich.tickets.models import Ticket


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _form_error(form: HelpSessionForm | KnownIssueForm | RatingForm, exc: DomainError) -> None:
    field = "notes" if exc.code == "secret_in_notes" and "notes" in form.fields else None
    form.add_error(field, str(exc.message))


# --- Recording a session (the desk page) ---------------------------------------------------------


PROCEDURE_CHOICES = 8


@require_GET
@login_required
def procedure_search(request: HttpRequest) -> HttpResponse:
    """The desk form's procedure picker: catalogue procedures matching what the volunteer types."""
    from xungkich.search.services import MAX_QUERY_LENGTH, search

    access.require_recorder(_user(request))
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH].strip()
    hits = (
        [hit for hit in search(query, limit=3 * PROCEDURE_CHOICES) if hit.type == "procedure"]
        if query
        else []
    )
    return render(
        request,
        "helpdesk/_procedure_results.html",
        {"hits": hits[:PROCEDURE_CHOICES], "query": query},
    )


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def session_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    access.require_recorder(user)
    ticket: Ticket | None = None
    ticket_id = request.GET.get("ticket", "")
    if ticket_id:
        if not ticket_id.isdigit():
            raise Http404
        ticket = access.get_ticket_for_recording(user, int(ticket_id))
    points = access.points_for_recorder(user).select_related("unit")
    form = HelpSessionForm(
        request.POST or None, points=points, ticket=ticket, activities=access.activities_for_recorder(user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = services.create_help_session(by=user, data=form.to_input())
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Help session recorded. Thank you!"))
            return redirect("helpdesk:session_detail", session.pk)
    minutes = services.ticket_minutes(ticket) if ticket is not None else None
    return render(
        request,
        "helpdesk/session_form.html",
        {
            "form": form,
            "ticket": ticket,
            "ticket_minutes": minutes,
            "issues": access.issues_for_user(user).filter(closed_at=None)[:10],
        },
    )


@require_GET
@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session, can_edit = access.get_session_for_user(_user(request), pk)
    followup = getattr(session, "followup", None)
    return render(
        request,
        "helpdesk/session_detail.html",
        {"session": session, "can_edit": can_edit, "followup": followup, "tracking_form": TrackingForm()},
    )


@require_http_methods(["GET", "POST"])
@login_required
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    session, can_edit = access.get_session_for_user(user, pk)
    if not can_edit:
        raise PermissionDenied
    points = access.points_for_recorder(user)
    form = HelpSessionForm(
        request.POST or None,
        points=points,
        ticket=session.ticket,
        editing=True,
        fixed_point=session.point,
        activities=access.activities_for_recorder(user),
        initial=HelpSessionForm.initial_from(session),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_help_session(by=user, session=session, data=form.to_input())
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Help session saved."))
            return redirect("helpdesk:session_detail", session.pk)
    return render(request, "helpdesk/session_edit.html", {"form": form, "session": session})


@require_POST
@login_required
def session_tracking(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    session, can_edit = access.get_session_for_user(user, pk)
    if not can_edit:
        raise PermissionDenied
    form = TrackingForm(request.POST)
    if form.is_valid():
        try:
            services.set_tracking_state(by=user, session=session, state=form.cleaned_data["state"])
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Follow-up of the dossier saved."))
    else:
        messages.error(request, _("Choose a valid state."))
    return redirect("helpdesk:session_detail", session.pk)


@require_GET
@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    access.require_session_reader(user)
    qs = access.sessions_for_user(user).select_related("point", "helped_by", "ward", "unit")
    points = access.points_for_recorder(user)
    form = SessionFilterForm(request.GET or None, points=points)
    if form.is_valid():
        data = form.cleaned_data
        if data["date_from"]:
            qs = qs.filter(helped_on__gte=data["date_from"])
        if data["date_to"]:
            qs = qs.filter(helped_on__lte=data["date_to"])
        if data["point"]:
            qs = qs.filter(point=data["point"])
        if data["need"]:
            qs = qs.filter(need=data["need"])
        if data["outcome"]:
            qs = qs.filter(outcome=data["outcome"])
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "helpdesk/session_list.html",
        {"page": page, "form": form, "query": query.urlencode(), "can_record": access.can_record(user)},
    )


# --- Follow-up calls -----------------------------------------------------------------------------


@require_GET
@login_required
@never_cache
def followup_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    access.require_recorder(user)
    mine = access.followups_for_user(user)
    today = timezone.localdate()
    due = mine.filter(status=FollowUp.Status.DUE, due_on__lte=today).select_related(
        "session__point", "session__helped_by"
    )
    tracked = (
        access.sessions_for_user(user)
        .filter(tracking_state="waiting")
        .select_related("point")
        .order_by("expected_result_on", "pk")
    )
    return render(
        request,
        "helpdesk/followup_list.html",
        {
            "due": due[:100],
            "upcoming": mine.filter(status=FollowUp.Status.DUE, due_on__gt=today).count(),
            "habit": services.habit_figure(mine),
            "tracked": tracked[:100],
            "answer_form": FollowUpAnswerForm(),
            "today": today,
        },
    )


@require_POST
@login_required
def followup_answer(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    followup = access.get_followup_for_user(user, pk)
    form = FollowUpAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an answer."))
    else:
        try:
            services.record_followup_answer(by=user, followup=followup, answer=form.cleaned_data["answer"])
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Answer saved; the phone number has been deleted."))
    return redirect("helpdesk:followup_list")


# --- A person's data on request ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def my_data(request: HttpRequest) -> HttpResponse:
    """Coordinators find what is kept under a phone number, show it to the person, delete it."""
    user = _user(request)
    require_coordinator(user)
    scope = access.followups_for_user(user)
    form = PhoneLookupForm(request.POST if request.method == "POST" else (request.GET or None))
    found: list[FollowUp] | None = None
    if form.is_bound and form.is_valid():
        phone = form.cleaned_data["phone"]
        if request.method == "POST" and request.POST.get("action") == "erase":
            count = services.erase_personal_data(by=user, phone=phone, followups=scope)
            messages.success(request, _("Deleted: %(count)s record(s).") % {"count": count})
            return redirect("helpdesk:my_data")
        found = services.find_personal_data(by=user, phone=phone, followups=scope)
    return render(request, "helpdesk/my_data.html", {"form": form, "found": found})


# --- The citizen's rating ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@never_cache
def rate(request: HttpRequest, token: str) -> HttpResponse:
    ticket = get_object_or_404(Ticket, public_token=token)
    if Rating.objects.filter(ticket=ticket).exists():
        return render(request, "helpdesk/rate_done.html", {"ticket": ticket, "already": True})
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rate_ticket(
                ticket=ticket, score=form.cleaned_data["score"], comment=form.cleaned_data["comment"] or ""
            )
        except DomainError as exc:
            if exc.code == "already_rated":
                return render(request, "helpdesk/rate_done.html", {"ticket": ticket, "already": True})
            _form_error(form, exc)
        else:
            return render(request, "helpdesk/rate_done.html", {"ticket": ticket, "already": False})
    return render(request, "helpdesk/rate.html", {"form": form, "ticket": ticket})


# --- Known issues --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def issue_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    access.require_issue_reader(user)
    form = KnownIssueForm(request.POST or None)
    if request.method == "POST":
        access.require_recorder(user)
        if form.is_valid():
            try:
                services.post_known_issue(by=user, **form.cleaned_data)
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Posted. Everyone on duty sees it until it is closed."))
                return redirect("helpdesk:issue_list")
    issues = access.issues_for_user(user).select_related("posted_by", "closed_by")
    return render(
        request,
        "helpdesk/issue_list.html",
        {
            "form": form,
            "open_issues": issues.filter(closed_at=None),
            "closed_issues": issues.exclude(closed_at=None)[:20],
            "can_post": access.can_record(user),
        },
    )


@require_POST
@login_required
def issue_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    issue, can_edit = access.get_issue_for_user(user, pk)
    if not can_edit:
        raise PermissionDenied
    try:
        services.close_known_issue(by=user, issue=issue)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Issue closed."))
    return redirect("helpdesk:issue_list")
