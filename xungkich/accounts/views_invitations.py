"""Invitations: made by coordinators and unit leaders, opened by the invited volunteer.

Thin views over ``accounts.services``. A link is shown once, in the answer to the POST that made
it (only a digest is stored), as text to copy into Zalo, SMS or e-mail and as a QR code; when the
volunteer has an e-mail address the link is also sent there.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from xungkich.accounts import services
from xungkich.accounts.forms import AcceptInvitationForm
from xungkich.accounts.models import Invitation
from xungkich.core.errors import DomainError
from xungkich.lib.qr import qr_svg
from xungkich.people.access import get_volunteer_for_user
from xungkich.people.models import Volunteer
from xungkich.people.scope import AuthedHttpRequest, managed_units, require_people_manager

BACKEND = "xungkich.people.backends.UserBackend"
logger = logging.getLogger(__name__)


@dataclass
class Link:
    """One invitation as the page shows it: who, the link, its QR code, whether it was e-mailed."""

    invitation: Invitation
    volunteer: Volunteer
    url: str
    qr: SafeString
    emailed: bool


def _links(request: HttpRequest, made: list[tuple[Invitation, str]]) -> list[Link]:
    links = []
    for invitation, token in made:
        url = request.build_absolute_uri(reverse("invitation_accept", args=[token]))
        try:
            emailed = services.send_invitation(invitation=invitation, link=url)
        except OSError:  # the mail server is down: the link on the page still works
            logger.warning("Invitation %s: the e-mail could not be sent", invitation.pk, exc_info=True)
            emailed = False
        # segno writes the SVG itself; the URL becomes modules and an escaped title.
        qr = mark_safe(qr_svg(url))  # noqa: S308
        links.append(Link(invitation, invitation.volunteer, url, qr, emailed))
    return links


def _show_links(request: HttpRequest, made: list[tuple[Invitation, str]], skipped: int = 0) -> HttpResponse:
    response = render(
        request, "accounts/invitation_links.html", {"links": _links(request, made), "skipped": skipped}
    )
    response["Cache-Control"] = "no-store"  # the links open accounts: not kept by the browser
    return response


@require_POST
@login_required
def invite_volunteer(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    volunteer, can_edit = get_volunteer_for_user(request.user, pk)
    if not can_edit:
        raise PermissionDenied
    try:
        made = services.invite_volunteer(by=request.user, volunteer=volunteer)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("people:volunteer_detail", pk=volunteer.pk)
    return _show_links(request, [made])


@require_POST
@login_required
def invite_unit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    require_people_manager(request.user)
    unit = managed_units(request.user).filter(pk=pk).first()
    if unit is None:
        raise Http404
    made, skipped = services.invite_unit(by=request.user, unit=unit)
    if not made:
        if skipped:
            messages.info(request, _("Everyone of this unit without an account already has a working link."))
        else:
            messages.info(request, _("Everyone of this unit already has an account."))
        return redirect(f"{reverse('account_list')}?unit={unit.pk}")
    return _show_links(request, made, skipped)


def _invitation_in_scope(request: AuthedHttpRequest, pk: int) -> Invitation:
    require_people_manager(request.user)
    invitation = (
        Invitation.objects.select_related("volunteer", "volunteer__unit")
        .filter(pk=pk, volunteer__unit__in=managed_units(request.user))
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


@require_POST
@login_required
def invitation_resend(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """A new link for the same person: the old one stops working."""
    invitation = _invitation_in_scope(request, pk)
    try:
        made = services.invite_volunteer(by=request.user, volunteer=invitation.volunteer)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("account_list")
    return _show_links(request, [made])


@require_POST
@login_required
def invitation_revoke(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    invitation = _invitation_in_scope(request, pk)
    try:
        services.revoke_invitation(by=request.user, invitation=invitation)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("The invitation of %(name)s no longer works.") % {"name": invitation.volunteer}
        )
    return redirect("account_list")


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invited volunteer's page (signed out, often on a phone): user name, password, done."""
    invitation = services.find_invitation(token)
    refusal = services.invitation_refusal(invitation)
    if refusal is not None or invitation is None:
        status = 404 if invitation is None else 410
        return render(request, "accounts/invitation_closed.html", {"reason": refusal}, status=status)
    volunteer = invitation.volunteer
    form = AcceptInvitationForm(
        request.POST or None,
        full_name=volunteer.full_name,
        email=volunteer.email,
        initial={"username": services.suggest_username(volunteer.full_name)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(
                token=token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["new_password1"],
            )
        except DomainError as exc:
            if exc.code == "username_taken":
                form.add_error("username", str(exc))
            else:
                return render(request, "accounts/invitation_closed.html", {"reason": exc}, status=410)
        else:
            auth_login(request, user, backend=BACKEND)
            messages.success(
                request, _("Welcome, %(name)s. Your account is ready.") % {"name": volunteer.full_name}
            )
            return redirect("rosters:my_shifts")
    return render(request, "accounts/invitation_accept.html", {"form": form, "volunteer": volunteer})
