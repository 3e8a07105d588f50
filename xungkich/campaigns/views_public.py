"""Public pages (no sign-in): event sign-up, the ticket with its QR code, self-cancellation, and
"I lost my ticket" (the ticket link is sent again to the phone it was registered with).

Sign-ups are rate-limited per client address in the shared cache: ``SIGNUP_LIMIT`` attempts per
``SIGNUP_WINDOW`` seconds (a whole youth branch signing up from one phone fits; a script does not).
Lost-ticket requests use the tickets' rate limiter, per client address
(``XK_EVENTS_RESEND_RATE_PER_IP``) and per phone number and event (``XK_EVENTS_RESEND_RATE_PER_PHONE``),
so nobody can flood a phone with messages; the phone's key in the cache is a keyed hash.
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from xungkich.campaigns import services
from xungkich.campaigns.forms import LostTicketForm, SignUpForm
from xungkich.campaigns.models import Event, Registration
from xungkich.core import ratelimit
from xungkich.core.errors import DomainError
from xungkich.lib.phones import display_phone
from xungkich.people.models import OrgUnit

SIGNUP_LIMIT = 20
SIGNUP_WINDOW = 600
# A lost ticket: a family or a few neighbours from one address; three messages a phone an hour.
RESEND_PER_IP = (5, 600)
RESEND_PER_PHONE = (3, 3600)


def _client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def _rate_limited(request: HttpRequest) -> bool:
    key = f"xk:campaigns:signup:{_client_ip(request)}"
    if cache.add(key, 1, SIGNUP_WINDOW):
        return False
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, SIGNUP_WINDOW)
        return False
    return count > SIGNUP_LIMIT


def _event_units(event: Event) -> QuerySet[OrgUnit]:
    """The units taking part (and the organiser), to pick from; anyone may also write a unit."""
    ids = [event.campaign.unit_id, *event.campaign.units.values_list("pk", flat=True)]
    return OrgUnit.objects.filter(Q(pk__in=ids), is_active=True).order_by("path")


consent_text = services.consent_text


@never_cache
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest, code: str) -> HttpResponse:
    event = Event.objects.select_related("campaign", "campaign__unit").filter(code=code).first()
    if event is None:
        raise Http404
    citizens = event.audience == Event.Audience.CITIZENS
    form = SignUpForm(
        request.POST or None,
        units=OrgUnit.objects.none() if citizens else _event_units(event),
        citizens=citizens,
        initial={"consent_version": services.consent_version_for(event)},
    )
    status = 200
    if request.method == "POST":
        if _rate_limited(request):
            form.add_error(
                None, _("Too many sign-ups from this device. Please wait a few minutes and try again.")
            )
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                registration = services.register(
                    event=event,
                    full_name=data["full_name"],
                    phone=data["phone"],
                    unit=data["unit"],
                    unit_text=data["unit_text"],
                    consent_version=data["consent_version"],
                )
            except DomainError as exc:
                form.add_error("phone" if exc.code == "registration_duplicate" else None, str(exc))
                status = 400
            else:
                return redirect("campaigns:ticket", registration.token)
        else:
            status = 400
    confirmed = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
    return render(
        request,
        "campaigns/public/signup.html",
        {
            "event": event,
            "form": form,
            "consent_text": consent_text(event.audience),
            "citizens": citizens,
            "places_left": max(event.capacity - confirmed, 0),
        },
        status=status,
    )


def _registration(token: str) -> Registration:
    registration = Registration.objects.select_related("event", "unit").filter(token=token).first()
    if registration is None:
        raise Http404
    return registration


@never_cache
@require_GET
def ticket(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration(token)
    url = request.build_absolute_uri(reverse("campaigns:ticket", args=[token]))
    qr = segno.make(url, error="m").svg_inline(scale=6, dark="#000", light="#fff", title=_("Ticket QR code"))
    position = None
    if registration.status == Registration.Status.WAITLISTED:
        position = registration.event.registrations.filter(
            status=Registration.Status.WAITLISTED, created_at__lte=registration.created_at
        ).count()
    return render(
        request,
        "campaigns/public/ticket.html",
        {
            "registration": registration,
            "event": registration.event,
            "qr": mark_safe(qr),  # noqa: S308 — produced by segno from our own URL
            "position": position,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def ticket_cancel(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration(token)
    if request.method == "POST":
        try:
            services.cancel_registration(registration=registration, by=None)
        except DomainError as exc:
            return render(
                request,
                "campaigns/public/cancel.html",
                {"registration": registration, "event": registration.event, "error": str(exc)},
                status=400,
            )
        return redirect("campaigns:ticket", token)
    return render(
        request, "campaigns/public/cancel.html", {"registration": registration, "event": registration.event}
    )


def resend_phone_key(event: Event, phone: str) -> str:
    """The rate-limit key of (event, phone): a keyed hash, so the cache holds no phone number."""
    digest = salted_hmac("xungkich.campaigns.ticket-resend", f"{event.pk}:{phone}").hexdigest()
    return f"event-resend:phone:{digest[:32]}"


def _resend_allowed(request: HttpRequest, event: Event, phone: str) -> bool:
    ip_limit, ip_window = getattr(settings, "XK_EVENTS_RESEND_RATE_PER_IP", RESEND_PER_IP)
    phone_limit, phone_window = getattr(settings, "XK_EVENTS_RESEND_RATE_PER_PHONE", RESEND_PER_PHONE)
    ip_key = f"event-resend:ip:{ratelimit.client_address(request)}"
    if not ratelimit.allow(ip_key, limit=ip_limit, window=ip_window):
        return False
    return ratelimit.allow(resend_phone_key(event, phone), limit=phone_limit, window=phone_window)


@never_cache
@require_http_methods(["GET", "POST"])
def ticket_lost(request: HttpRequest, code: str) -> HttpResponse:
    """The "I lost my ticket" page: the person types their phone; the ticket link goes to that phone.

    Everyone gets the same answer, registered or not: the page never tells who signed up."""
    event = Event.objects.select_related("campaign").filter(code=code).first()
    if event is None:
        raise Http404
    form = LostTicketForm(request.POST or None)
    status = 200
    sent_to = ""
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        elif not _resend_allowed(request, event, form.cleaned_data["phone"]):
            form.add_error(
                None, _("Too many requests for this ticket. Please wait a few minutes and try again.")
            )
            status = 429
        else:
            services.request_ticket_resend(event=event, phone=form.cleaned_data["phone"])
            sent_to = display_phone(form.cleaned_data["phone"])
    return render(
        request,
        "campaigns/public/lost.html",
        {"event": event, "form": form, "sent_to": sent_to},
        status=status,
    )
