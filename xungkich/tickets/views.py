"""Queue pages: take a ticket (kiosk and own phone), follow it, the TV board, the desk. Thin views.

Public pages (no account): ``q/<point>/`` take a ticket, ``q/t/<token>/`` follow it, ``board/<point>/``
the board. Everything else needs an account; see ``access`` for who may do what.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xungkich.core.errors import DomainError
from xungkich.core.pdf import render_qr_poster
from xungkich.lib.qr import qr_png, qr_svg
from xungkich.people.models import User
from xungkich.places.models import ServicePoint
from xungkich.tickets import ratelimit, selectors, services
from xungkich.tickets.access import (
    Scope,
    get_point_for_desk,
    get_point_for_kiosk,
    get_ticket_for_user,
    points_for_user,
)
from xungkich.tickets.forms import DESK_CHOICES, DeskForm, NeedForm, TicketActionForm
from xungkich.tickets.models import Need, Ticket

# The help session form of the help desk (another app): linked as a plain path on purpose.
HELP_SESSION_URL = "/desk/session/new/?ticket={id}"
REFRESH_SECONDS = 15
# The kiosk's "your number" screen goes back to the need buttons after this long.
KIOSK_RETURN_SECONDS = 30


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _public_point(point_id: int) -> ServicePoint:
    return get_object_or_404(
        ServicePoint.objects.only("id", "name", "address", "is_active"), pk=point_id, is_active=True
    )


def _take_url(request: HttpRequest, point: ServicePoint) -> str:
    return request.build_absolute_uri(reverse("tickets:take", args=[point.pk]))


def _ticket_url(request: HttpRequest, ticket: Ticket) -> str:
    return request.build_absolute_uri(reverse("tickets:ticket", args=[ticket.public_token]))


# --- Citizens: take a ticket on one's own phone, follow it ---------------------------------------


@require_http_methods(["GET", "POST"])
@never_cache
def take(request: HttpRequest, point_id: int) -> HttpResponse:
    point = _public_point(point_id)
    form = NeedForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            ratelimit.check_take_ticket(request, point.pk)
            taken = services.take_ticket(
                point=point, need=form.cleaned_data["need"], source=Ticket.Source.PHONE
            )
        except ratelimit.RateLimited as exc:
            messages.error(request, str(exc))
            status = 429
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            return redirect("tickets:ticket", token=taken.ticket.public_token)
    return render(
        request, "tickets/take.html", {"point": point, "form": form, "needs": Need.choices}, status=status
    )


def _ticket_context(ticket: Ticket) -> dict[str, Any]:
    ahead = services.people_ahead(ticket)
    waiting = ticket.status == Ticket.Status.WAITING
    is_today = ticket.day == services.local_today()
    estimate = services.wait_estimate(point=ticket.point_id, day=ticket.day, ahead=ahead) if waiting else None
    return {
        "ticket": ticket,
        "ahead": ahead,
        "ahead_at_least": ahead >= services.AHEAD_LIMIT,
        "estimate": estimate,
        "waiting": waiting,
        "at_desk": ticket.status in services.ACTIVE,
        "is_today": is_today,
        # Still moving: the page polls for changes (waiting or at a desk, today).
        "live": is_today and (waiting or ticket.status in services.ACTIVE),
        "refresh_seconds": REFRESH_SECONDS,
    }


@require_GET
@never_cache
def ticket(request: HttpRequest, token: str) -> HttpResponse:
    item = get_object_or_404(Ticket.objects.select_related("point"), public_token=token)
    context = _ticket_context(item)
    if request.headers.get("HX-Request"):
        # htmx polls the status; 286 tells it to stop once the number no longer moves.
        return render(request, "tickets/_ticket_live.html", context, status=200 if context["live"] else 286)
    return render(request, "tickets/ticket.html", context)


@require_POST
def ticket_cancel(request: HttpRequest, token: str) -> HttpResponse:
    item = get_object_or_404(Ticket, public_token=token)
    try:
        services.cancel_ticket(ticket=item)
        messages.success(request, _("Your number is cancelled. Thank you for telling us."))
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("tickets:ticket", token=token)


# --- The kiosk -----------------------------------------------------------------------------------


@require_GET
@login_required
def kiosk_index(request: HttpRequest) -> HttpResponse:
    points = list(points_for_user(_user(request), minimum=Scope.KIOSK))
    if not points:
        raise PermissionDenied
    if len(points) == 1:
        return redirect("tickets:kiosk", point_id=points[0].pk)
    return render(request, "tickets/kiosk_index.html", {"points": points})


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def kiosk(request: HttpRequest, point_id: int) -> HttpResponse:
    point, can_hand_out = get_point_for_kiosk(_user(request), point_id)
    form = NeedForm(request.POST or None)
    if request.method == "POST":
        if not can_hand_out:
            raise PermissionDenied
        if form.is_valid():
            try:
                taken = services.take_ticket(
                    point=point, need=form.cleaned_data["need"], source=Ticket.Source.KIOSK
                )
            except DomainError as exc:
                messages.error(request, str(exc))
            else:
                return redirect("tickets:kiosk_issued", point_id=point.pk, token=taken.ticket.public_token)
    return render(
        request,
        "tickets/kiosk.html",
        {"point": point, "form": form, "needs": Need.choices, "can_hand_out": can_hand_out},
    )


@require_GET
@login_required
@never_cache
def kiosk_issued(request: HttpRequest, point_id: int, token: str) -> HttpResponse:
    point, _can = get_point_for_kiosk(_user(request), point_id)
    item = get_object_or_404(Ticket, point=point, public_token=token)
    context = _ticket_context(item)
    url = _ticket_url(request, item)
    context.update(
        point=point,
        url=url,
        qr_svg=mark_safe(qr_svg(url)),  # noqa: S308 — segno's own markup
        return_seconds=KIOSK_RETURN_SECONDS,
    )
    return render(request, "tickets/kiosk_issued.html", context)


# --- The QR poster for phones -------------------------------------------------------------------


@require_GET
@login_required
def poster(request: HttpRequest, point_id: int) -> HttpResponse:
    point, can_serve = get_point_for_desk(_user(request), point_id)
    if not can_serve:
        raise PermissionDenied
    url = _take_url(request, point)
    svg = mark_safe(qr_svg(url))  # noqa: S308 — segno's own markup
    return render(request, "tickets/poster.html", {"point": point, "url": url, "qr_svg": svg})


@require_GET
@login_required
def poster_pdf(request: HttpRequest, point_id: int) -> HttpResponse:
    point, can_serve = get_point_for_desk(_user(request), point_id)
    if not can_serve:
        raise PermissionDenied
    url = _take_url(request, point)
    content = render_qr_poster(
        title="Quét mã để lấy số thứ tự",
        lines=[point.name, "Được tình nguyện viên hỗ trợ dịch vụ công trực tuyến, miễn phí"],
        qr_png=qr_png(url),
        footer=url,
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="lay-so-{point.pk}.pdf"'
    return response


# --- The TV board --------------------------------------------------------------------------------


@require_GET
def board(request: HttpRequest, point_id: int) -> HttpResponse:
    point = _public_point(point_id)
    return render(
        request,
        "tickets/board.html",
        {
            "point": point,
            "state_url": f"/api/v1/board/{point.pk}",
            "take_url": _take_url(request, point),
            # Filled in by the board's script (Python-format placeholders).
            "say_template": _("Number %(number)s, please come to %(desk)s."),
            "minutes_template": _("about %(minutes)s min"),
            "take_qr": mark_safe(qr_svg(_take_url(request, point))),  # noqa: S308 — segno's own markup
        },
    )


# --- The volunteer's desk ------------------------------------------------------------------------


def _desk_key(point_id: int) -> str:
    return f"tickets.desk.{point_id}"


def chosen_desk(request: HttpRequest, point_id: int) -> str:
    """The desk the volunteer chose today at this point ("" before they choose)."""
    saved = request.session.get(_desk_key(point_id))
    if isinstance(saved, dict) and saved.get("day") == services.local_today().isoformat():
        return str(saved.get("desk", ""))
    return ""


def _remember_desk(request: HttpRequest, point_id: int, desk: str) -> None:
    request.session[_desk_key(point_id)] = {"day": services.local_today().isoformat(), "desk": desk}


@require_GET
@login_required
def desk_index(request: HttpRequest) -> HttpResponse:
    points = list(points_for_user(_user(request), minimum=Scope.SERVE))  # viewers: 403
    if not points:
        raise PermissionDenied
    if len(points) == 1:
        return redirect("tickets:desk", point_id=points[0].pk)
    return render(request, "tickets/desk_index.html", {"points": points})


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def desk(request: HttpRequest, point_id: int) -> HttpResponse:
    point, can_serve = get_point_for_desk(_user(request), point_id)
    if request.method == "POST":
        if not can_serve:
            raise PermissionDenied
        form = DeskForm(request.POST)
        if form.is_valid():
            _remember_desk(request, point.pk, form.cleaned_data["desk"])
            return redirect("tickets:desk", point_id=point.pk)
    else:
        form = DeskForm(initial={"desk": chosen_desk(request, point.pk) or DESK_CHOICES[0]})
    desk_chosen = bool(chosen_desk(request, point.pk))
    # The desk field always holds a desk (the one chosen today, else "Bàn 1"), so the call button
    # is there at once; it sends the field's value (see desk_call_next).
    desk_label = str(form["desk"].value() or "") if request.method == "GET" else ""
    state = selectors.board_state(point.pk)
    current = None
    if desk_label:
        current = (
            Ticket.objects.filter(
                point=point, day=services.local_today(), desk=desk_label, status__in=services.ACTIVE
            )
            .order_by("-called_at")
            .first()
        )
    finished = None
    finished_id = request.GET.get("finished", "")
    if finished_id.isdigit():
        finished = {"id": int(finished_id), "url": HELP_SESSION_URL.format(id=int(finished_id))}
    context = {
        "point": point,
        "can_serve": can_serve,
        "form": form,
        "desk_choices": DESK_CHOICES,
        "desk_label": desk_label,
        "desk_chosen": desk_chosen,
        "state": state,
        "current": current,
        "finished": finished,
        "actions": TicketActionForm.ACTIONS,
        "board_url": reverse("tickets:board", args=[point.pk]),
    }
    template = "tickets/_desk_queue.html" if request.headers.get("HX-Request") else "tickets/desk.html"
    return render(request, template, context)


@require_POST
@login_required
def desk_call_next(request: HttpRequest, point_id: int) -> HttpResponse:
    point, can_serve = get_point_for_desk(_user(request), point_id)
    if not can_serve:
        raise PermissionDenied
    if "desk" in request.POST:  # the desk field of the page, saved or not: it is remembered
        form = DeskForm(request.POST)
        if not form.is_valid():
            messages.error(request, str(form.errors["desk"][0]))
            return redirect("tickets:desk", point_id=point.pk)
        desk_label = form.cleaned_data["desk"]
        _remember_desk(request, point.pk, desk_label)
    else:
        desk_label = chosen_desk(request, point.pk)
    if not desk_label:
        messages.error(request, _("Choose your desk first."))
        return redirect("tickets:desk", point_id=point.pk)
    try:
        called = services.call_next_ticket(point=point, desk=desk_label, by=_user(request))
        messages.success(
            request,
            _("Number %(number)s, please come to %(desk)s.") % {"number": str(called), "desk": desk_label},
        )
    except DomainError as exc:
        messages.info(request, str(exc))
    return redirect("tickets:desk", point_id=point.pk)


@require_POST
@login_required
def desk_ticket_action(request: HttpRequest, pk: int) -> HttpResponse:
    item, can_serve = get_ticket_for_user(_user(request), pk)
    if not can_serve:
        raise PermissionDenied
    form = TicketActionForm(request.POST)
    target = reverse("tickets:desk", args=[item.point_id])
    if not form.is_valid():
        messages.error(request, _("Choose an action."))
        return redirect(target)
    action = form.cleaned_data["action"]
    actions = {
        "recall": services.recall_ticket,
        "no_show": services.mark_no_show,
        "transfer": services.transfer_ticket,
        "finish": services.finish_ticket,
    }
    try:
        actions[action](ticket=item, by=_user(request))
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect(target)
    done = {
        "recall": _("Number %(number)s is announced again."),
        "no_show": _("Number %(number)s is marked as not come."),
        "transfer": _("Number %(number)s is sent to an official counter."),
        "finish": _("Number %(number)s is finished."),
    }
    messages.success(request, done[action] % {"number": str(item)})
    if action == "finish":
        return redirect(f"{target}?finished={item.pk}")
    return redirect(target)
