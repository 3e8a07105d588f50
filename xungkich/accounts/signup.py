"""Self sign-up by a unit's link: publish the link, take requests, approve or reject them.

Only approval makes an account: it creates the User (role volunteer, the link's unit, the password
hash the person chose) and the Volunteer record linked to it, in one transaction. A rejection keeps
no account; the request is kept ``REJECTED_KEEP_DAYS`` days so a leader can answer questions about
it, then ``purge_signup_requests`` deletes it with its personal data.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xungkich.accounts.models import SignupLink, SignupRequest
from xungkich.core.audit import log_action, snapshot
from xungkich.core.errors import DomainError
from xungkich.people import services as people_services
from xungkich.people.models import OrgUnit, Role, Skill, User, Volunteer

CONSENT_VERSION = "2026-12-signup-v3"
REJECTED_KEEP_DAYS = 30
# A request nobody decided on is not kept for ever: the person's data goes after this many days.
PENDING_KEEP_DAYS = 60
LINK_FIELDS = ["unit", "is_active"]
REQUEST_FIELDS = ["unit", "full_name", "phone", "username", "status", "reason"]


def consent_text() -> str:
    """The words shown above the consent box (change the text and ``CONSENT_VERSION`` together)."""
    return _(
        "I agree that the Youth Union unit keeps my name, date of birth, phone number, e-mail and skills "
        "to decide on my request and, once approved, to organise my volunteering. If my request is "
        "rejected they are deleted within 30 days, and if nobody decides on it within 60 days they are "
        "deleted then. They are not shared outside the Youth Union, and I may ask to see, correct or "
        "delete them at any time (Law 91/2025/QH15 on personal data protection)."
    )


# --- the link -------------------------------------------------------------------------------------


def _new_token() -> str:
    return secrets.token_urlsafe(24)


def publish_link(*, by: User | None, unit: OrgUnit) -> SignupLink:
    """Open the unit's link (a new one, or the old one again with its token)."""
    with transaction.atomic():
        link, created = SignupLink.objects.get_or_create(unit=unit, defaults={"token": _new_token()})
        if not created and not link.is_active:
            link.is_active = True
            link.save(update_fields=["is_active", "updated_at"])
        elif not created:
            return link
        log_action(
            actor=by, action="signup_link.publish", obj=link, unit=unit, after=snapshot(link, LINK_FIELDS)
        )
    return link


def renew_link(*, by: User | None, link: SignupLink) -> SignupLink:
    """A new token: the old link and QR code stop working (e.g. after a poster went astray)."""
    with transaction.atomic():
        link.token = _new_token()
        link.is_active = True
        link.save(update_fields=["token", "is_active", "updated_at"])
        log_action(actor=by, action="signup_link.renew", obj=link, unit=link.unit)
    return link


def close_link(*, by: User | None, link: SignupLink) -> SignupLink:
    with transaction.atomic():
        link.is_active = False
        link.save(update_fields=["is_active", "updated_at"])
        log_action(
            actor=by, action="signup_link.close", obj=link, unit=link.unit, after=snapshot(link, LINK_FIELDS)
        )
    return link


def open_link(token: str) -> SignupLink | None:
    """The open link with this token, else None."""
    return SignupLink.objects.select_related("unit").filter(token=token, is_active=True).first()


# --- requests -------------------------------------------------------------------------------------


def phone_taken(phone: str) -> bool:
    """A volunteer or a waiting request already has this number."""
    return (
        Volunteer.objects.filter(phone=phone).exists()
        or SignupRequest.objects.filter(phone=phone, status=SignupRequest.Status.PENDING).exists()
    )


def username_taken(username: str) -> bool:
    return (
        User.objects.filter(username__iexact=username).exists()
        or SignupRequest.objects.filter(
            username__iexact=username, status=SignupRequest.Status.PENDING
        ).exists()
    )


def submit_request(
    *, link: SignupLink, data: dict[str, Any], password_hash: str, skills: Iterable[Skill] = ()
) -> SignupRequest:
    """Record a request from the public form (``data`` is the form's cleaned volunteer fields)."""
    with transaction.atomic():
        request = SignupRequest.objects.create(
            unit=link.unit,
            full_name=data["full_name"],
            birth_date=data.get("birth_date"),
            gender=data.get("gender") or "",
            phone=data["phone"],
            email=(data.get("email") or "").strip().lower(),
            username=data["username"],
            password_hash=password_hash,
            consent_version=CONSENT_VERSION,
            consent_at=timezone.now(),
        )
        request.skills.set(skills)
        log_action(
            actor=None,
            action="signup.request",
            obj=request,
            unit=link.unit,
            after=snapshot(request, ["unit", "status"]),
        )
    return request


def _pending(request: SignupRequest) -> SignupRequest:
    locked = SignupRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != SignupRequest.Status.PENDING:
        raise DomainError(_("This request has already been decided."), "signup_decided")
    return locked


def approve(*, by: User, request: SignupRequest) -> User:
    """Create the account and the volunteer record from the request, linked to each other."""
    with transaction.atomic():
        request = _pending(request)
        if User.objects.filter(username__iexact=request.username).exists():
            raise DomainError(
                _(
                    "The user name “%(username)s” has been taken meanwhile; reject the request and "
                    "ask the person to sign up again."
                )
                % {"username": request.username},
                "signup_username_taken",
            )
        user = User(
            username=request.username,
            full_name=request.full_name,
            email=request.email,
            role=Role.VOLUNTEER,
            unit=request.unit,
        )
        user.password = request.password_hash
        user.save()
        people_services.create_volunteer(
            by=by,
            data={
                "full_name": request.full_name,
                "birth_date": request.birth_date,
                "gender": request.gender,
                "unit": request.unit,
                "phone": request.phone,
                "email": request.email,
                "joined_on": timezone.localdate(),
                "user": user,
            },
            skills=list(request.skills.all()),
        )
        request.status = SignupRequest.Status.APPROVED
        request.decided_at = timezone.now()
        request.decided_by = by
        request.user = user
        request.password_hash = ""  # the account holds it now
        request.save()
        log_action(actor=by, action="signup.approve", obj=request, unit=request.unit, after={"user": user.pk})
    return user


def reject(*, by: User, request: SignupRequest, reason: str = "") -> SignupRequest:
    """No account is made; the password hash goes at once, the rest after ``REJECTED_KEEP_DAYS``."""
    with transaction.atomic():
        request = _pending(request)
        request.status = SignupRequest.Status.REJECTED
        request.reason = reason
        request.decided_at = timezone.now()
        request.decided_by = by
        request.password_hash = ""
        request.save()
        log_action(
            actor=by,
            action="signup.reject",
            obj=request,
            unit=request.unit,
            after=snapshot(request, ["status", "reason"]),
        )
    return request


def purge_requests(now: dt.datetime | None = None) -> int:
    """Delete rejected requests decided more than ``REJECTED_KEEP_DAYS`` days ago, and requests still
    undecided after ``PENDING_KEEP_DAYS`` days; the count."""
    now = now or timezone.now()
    rejected = Q(
        status=SignupRequest.Status.REJECTED, decided_at__lt=now - dt.timedelta(days=REJECTED_KEEP_DAYS)
    )
    forgotten = Q(
        status=SignupRequest.Status.PENDING, created_at__lt=now - dt.timedelta(days=PENDING_KEEP_DAYS)
    )
    old = SignupRequest.objects.filter(rejected | forgotten)
    count = 0
    for request in old:
        with transaction.atomic():
            log_action(actor=None, action="signup.purge", obj=request, unit=request.unit)
            request.delete()
            count += 1
    return count
