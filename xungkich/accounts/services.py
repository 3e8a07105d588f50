"""What happens to an account: invitations, roles, deactivation, two-step sign-in (TOTP, django-otp)
and password-reset side effects.

The accounts' service layer: views, the middleware and the API call these functions, never the
django-otp models directly. Each writer owns its transaction, locks the user row it changes and
leaves an audit entry. Codes and passwords are never logged nor stored; the audit entries only say
what happened.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from base64 import b32encode
from binascii import unhexlify
from datetime import timedelta

from axes.utils import reset as axes_reset
from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables
from django_otp import verify_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from xungkich.accounts.models import Invitation
from xungkich.core.audit import log_action
from xungkich.core.errors import DomainError
from xungkich.core.notify import get_notifier
from xungkich.lib.dates import format_date
from xungkich.lib.vietnamese import fold
from xungkich.people.models import OrgUnit, Role, User, Volunteer
from xungkich.people.scope import managed_units

DEVICE_NAME = "authenticator"
BACKUP_DEVICE_NAME = "backup"
BACKUP_CODE_COUNT = 10
# A backup code: 10 base32 letters and digits, shown as "abcde-fghij"; spaces, dashes and case ignored.
_BACKUP_CODE = re.compile(r"^[a-z2-7]{10}$")
_NOT_CODE = re.compile(r"[\s\-.]")


def can_use_two_factor(user: User) -> bool:
    """Coordinators (and superusers, who hold every coordinator power) may turn it on."""
    return bool(user.is_authenticated and (user.is_superuser or user.role == Role.COORDINATOR))


def new_secret() -> str:
    """A fresh TOTP secret (20 random bytes, hex) for the setup page to offer."""
    return random_hex(20)


def secret_for_people(key: str) -> str:
    """The base32 secret in groups of four, for typing into an app by hand."""
    text = b32encode(unhexlify(key.encode())).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def has_two_factor(user: User) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def must_set_up_two_factor(user: User) -> bool:
    """Two-step sign-in is required for this user (the setting is on) and they have no authenticator."""
    return bool(
        getattr(settings, "XK_REQUIRE_2FA_FOR_COORDINATORS", False)
        and can_use_two_factor(user)
        and not has_two_factor(user)
    )


def provisioning_device(*, user: User, key: str) -> TOTPDevice:
    """An unsaved device for ``key``: its ``config_url`` feeds the QR code."""
    return TOTPDevice(user=user, name=DEVICE_NAME, key=key, confirmed=False)


@sensitive_variables("token", "key")
def enable_totp(*, user: User, key: str, token: str) -> TOTPDevice:
    """Save a confirmed device once ``token`` proves the app holds ``key``."""
    if not can_use_two_factor(user):
        raise DomainError(_("Only coordinators can turn on two-step sign-in."), "not_allowed")
    with transaction.atomic():
        User.objects.select_for_update().only("pk").get(pk=user.pk)
        if has_two_factor(user):
            raise DomainError(_("Two-step sign-in is already on for this account."), "already_enabled")
        device = provisioning_device(user=user, key=key)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        if not totp.verify(int(token), device.tolerance):
            raise DomainError(
                _("That code is not right. Check the time on your phone and type the newest code."),
                "invalid_code",
            )
        # Unconfirmed leftovers (none are made by this app, but the admin could) go.
        TOTPDevice.objects.filter(user=user).delete()
        device.confirmed = True
        device.last_t = totp.t()  # the confirming code cannot be replayed to sign in
        device.save()
        log_action(
            actor=user,
            action="auth.2fa_enabled",
            obj=user,
            unit=user.unit,
            after={"two_factor": True, "method": "totp"},
        )
    return device


def disable_totp(*, user: User, by: User) -> int:
    """Remove every TOTP device of ``user`` and the backup codes; returns how many devices went."""
    with transaction.atomic():
        User.objects.select_for_update().only("pk").get(pk=user.pk)
        deleted, _details = TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        if not deleted:
            raise DomainError(_("Two-step sign-in is already off for this account."), "already_disabled")
        log_action(
            actor=by,
            action="auth.2fa_disabled",
            obj=user,
            unit=user.unit,
            before={"two_factor": True},
            after={"two_factor": False},
        )
    return deleted


# --- backup codes (django-otp's static device, tokens stored as keyed hashes) --------------------


def normal_backup_code(text: str) -> str | None:
    """The code as stored before hashing (lower case, no separators), or None when it is not one."""
    value = _NOT_CODE.sub("", text).lower()
    return value if _BACKUP_CODE.match(value) else None


def _backup_digest(code: str) -> str:
    """What the database keeps of a code: an HMAC (the site's secret key), cut to the column's 16."""
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()[:16]


def _new_backup_code() -> str:
    return b32encode(secrets.token_bytes(10)).decode("ascii").lower()[:10]


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@sensitive_variables("codes")
def make_backup_codes(*, user: User) -> list[str]:
    """Replace the backup codes of ``user`` by ``BACKUP_CODE_COUNT`` new ones, returned once for people.

    Only keyed hashes are stored, so the codes can be shown only now. Needs an authenticator.
    """
    with transaction.atomic():
        User.objects.select_for_update().only("pk").get(pk=user.pk)
        if not has_two_factor(user):
            raise DomainError(_("Turn on two-step sign-in first."), "not_enabled")
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
        codes = [_new_backup_code() for _n in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create(
            StaticToken(device=device, token=_backup_digest(code)) for code in codes
        )
        log_action(
            actor=user,
            action="auth.backup_codes_created",
            obj=user,
            unit=user.unit,
            after={"count": len(codes)},
        )
    return [f"{code[:5]}-{code[5:]}" for code in codes]


@sensitive_variables("code")
def verify_backup_code(*, user: User, code: str) -> StaticDevice | None:
    """The backup device when ``code`` is one of the user's unused codes (it is used up), else None."""
    normal = normal_backup_code(code)
    device = StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if normal is None or device is None:
        return None
    with transaction.atomic():
        device = StaticDevice.objects.select_for_update().get(pk=device.pk)
        if not device.verify_token(_backup_digest(normal)):
            return None
        log_action(
            actor=user,
            action="auth.backup_code_used",
            obj=user,
            unit=user.unit,
            after={"left": device.token_set.count()},
        )
    return device


def is_code_throttled(device: TOTPDevice) -> bool:
    """django-otp slows guessing per device (1 s, 2 s, 4 s … after each wrong code)."""
    allowed, _data = device.verify_is_allowed()
    return not allowed


@sensitive_variables("token")
def verify_login_code(*, user: User, device: TOTPDevice, token: str) -> TOTPDevice | None:
    """The device when ``token`` is right (locked row, replay refused, throttle updated), else None."""
    return verify_token(user, device.persistent_id, token)


def record_password_reset(*, user: User) -> None:
    """After a reset by email: audit it and lift the login lock-out of that user name.

    Whoever set the new password holds the mailbox, so the old wait no longer protects anything.
    """
    axes_reset(username=user.get_username())
    log_action(actor=user, action="auth.password_reset", obj=user, unit=user.unit)


# --- invitations ---------------------------------------------------------------------------------
#
# A coordinator or unit leader invites a volunteer of their scope; the volunteer opens the link,
# chooses a user name and a password, and the account exists, linked to the volunteer record.
# Only a digest of the token is stored, so the link can be shown only when it is made (or remade).

INVITATION_DAYS = 7


def invitation_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _may_manage_volunteer(by: User, volunteer: Volunteer) -> bool:
    return managed_units(by).filter(pk=volunteer.unit_id).exists()


def _new_invitation(*, volunteer: Volunteer, by: User) -> tuple[Invitation, str]:
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        volunteer=volunteer,
        digest=invitation_digest(token),
        created_by=by,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    return invitation, token


def _close_open_invitations(volunteer: Volunteer) -> int:
    """Revoke what is still open for ``volunteer``: one live link per person at a time."""
    return Invitation.objects.filter(
        volunteer=volunteer, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).update(revoked_at=timezone.now())


def open_invitations() -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )


def invite_volunteer(*, by: User, volunteer: Volunteer) -> tuple[Invitation, str]:
    """A new invitation for ``volunteer`` and its token; an older open one stops working."""
    if not _may_manage_volunteer(by, volunteer):
        raise DomainError(_("You cannot invite people outside your units."), "out_of_scope")
    with transaction.atomic():
        volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        if volunteer.user_id is not None:
            raise DomainError(_("%(name)s already has an account.") % {"name": volunteer}, "has_account")
        if not volunteer.is_active:
            raise DomainError(_("%(name)s is inactive.") % {"name": volunteer}, "inactive_volunteer")
        replaced = _close_open_invitations(volunteer)
        invitation, token = _new_invitation(volunteer=volunteer, by=by)
        log_action(
            actor=by,
            action="account.invite_resent" if replaced else "account.invite",
            obj=volunteer,
            unit=volunteer.unit,
            after={"expires_at": invitation.expires_at.isoformat()},
        )
    return invitation, token


def invite_unit(*, by: User, unit: OrgUnit) -> tuple[list[tuple[Invitation, str]], int]:
    """Invite every active volunteer of ``unit`` who has no account and no open invitation.

    Returns the new invitations with their tokens and how many people were left out because a link
    sent to them earlier still works (resend it from the accounts page to get a new one).
    """
    if not managed_units(by).filter(pk=unit.pk).exists():
        raise DomainError(_("You cannot invite people outside your units."), "out_of_scope")
    made: list[tuple[Invitation, str]] = []
    with transaction.atomic():
        candidates = list(
            Volunteer.objects.select_for_update()
            .filter(unit=unit, is_active=True, user__isnull=True)
            .order_by("sort_key", "pk")
        )
        waiting = set(
            open_invitations().filter(volunteer__in=candidates).values_list("volunteer_id", flat=True)
        )
        for volunteer in candidates:
            if volunteer.pk in waiting:
                continue
            made.append(_new_invitation(volunteer=volunteer, by=by))
        if made:
            log_action(
                actor=by,
                action="account.invite_unit",
                obj=unit,
                unit=unit,
                after={"invited": len(made), "skipped": len(waiting)},
            )
    return made, len(waiting)


def send_invitation(*, invitation: Invitation, link: str) -> bool:
    """E-mail the link when the volunteer has an address (the notifier says False when not)."""
    volunteer = invitation.volunteer
    if not (volunteer.email or "").strip():
        return False
    body = _(
        "Hello %(name)s,\n\nYou are invited to sign in to Xung Kích Số, where you see your shifts. "
        "Open the link below, choose a user name and a password. The link works once, until %(date)s."
    ) % {"name": volunteer.full_name, "date": format_date(timezone.localdate(invitation.expires_at))}
    return get_notifier("email").send(
        to=volunteer,
        subject=str(_("Your invitation to Xung Kích Số")),
        body=body,
        links=[(str(_("Make your account")), link)],
    )


def revoke_invitation(*, by: User, invitation: Invitation) -> None:
    if not _may_manage_volunteer(by, invitation.volunteer):
        raise DomainError(_("You cannot change invitations outside your units."), "out_of_scope")
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("volunteer")
            .get(pk=invitation.pk)
        )
        if invitation.state != Invitation.State.OPEN:
            raise DomainError(_("This invitation no longer works."), "invitation_closed")
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        volunteer = invitation.volunteer
        log_action(actor=by, action="account.invite_revoked", obj=volunteer, unit=volunteer.unit)


def find_invitation(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("volunteer", "volunteer__unit")
        .filter(digest=invitation_digest(token))
        .first()
    )


def invitation_refusal(invitation: Invitation | None) -> DomainError | None:
    """Why the link cannot be used now (a clear message for the person holding it), or None."""
    if invitation is None:
        return DomainError(_("This invitation link is not valid. Check that it was copied whole."), "unknown")
    state = invitation.state
    if state == Invitation.State.USED or invitation.volunteer.user_id is not None:
        return DomainError(
            _("This invitation has already been used. Sign in with the user name and password you chose."),
            "used",
        )
    if state == Invitation.State.REVOKED:
        return DomainError(
            _("This invitation was cancelled. Ask your unit for a new link."),
            "revoked",
        )
    if state == Invitation.State.EXPIRED:
        return DomainError(
            _("This invitation has expired (links work for %(days)d days). Ask your unit for a new link.")
            % {"days": INVITATION_DAYS},
            "expired",
        )
    return None


def suggest_username(full_name: str) -> str:
    """Given name and the initials of the others ("Nguyễn Văn An" → "annv"), made unique."""
    words = [w for w in re.split(r"[^a-z0-9]+", fold(full_name)) if w]
    base = (words[-1] + "".join(w[0] for w in words[:-1])) if words else "tnv"
    base = base[:30]
    taken = set(User.objects.filter(username__istartswith=base).values_list(Lower("username"), flat=True))
    if base not in taken:
        return base
    n = 2
    while f"{base}{n}" in taken:
        n += 1
    return f"{base}{n}"


def username_taken(username: str) -> bool:
    return User.objects.filter(username__iexact=username).exists()


@sensitive_variables("token", "password")
def accept_invitation(*, token: str, username: str, password: str) -> User:
    """Make the account of the invited volunteer: role volunteer, their unit, linked to the record."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().filter(digest=invitation_digest(token)).first()
        if invitation is not None:
            invitation.volunteer = (
                Volunteer.objects.select_for_update(of=("self",))
                .select_related("unit")
                .get(pk=invitation.volunteer_id)
            )
        refusal = invitation_refusal(invitation)
        if refusal is not None:
            raise refusal
        assert invitation is not None
        if username_taken(username):
            raise DomainError(_("This user name is taken. Choose another one."), "username_taken")
        volunteer = invitation.volunteer
        user = User.objects.create_user(
            username=username,
            password=password,
            full_name=volunteer.full_name,
            email=volunteer.email,
            role=Role.VOLUNTEER,
            unit=volunteer.unit,
        )
        volunteer.user = user
        volunteer.save(update_fields=["user", "updated_at"])
        invitation.used_at = timezone.now()
        invitation.save(update_fields=["used_at"])
        _close_open_invitations(volunteer)
        log_action(
            actor=user,
            action="account.invite_accepted",
            obj=user,
            unit=volunteer.unit,
            after={"username": user.username, "role": user.role, "volunteer": volunteer.pk},
        )
    return user


# --- roles and active accounts -------------------------------------------------------------------
#
# Who may grant what: a superuser anything; a coordinator every role, for a unit of their own
# subtree (their unit or below, never above it); a unit leader volunteer or kiosk accounts of their
# own unit only. No one changes their own account here, nor an account holding a role they could
# not grant, and only a superuser touches a superuser.

LEADER_GRANTS = (Role.VOLUNTEER, Role.KIOSK)


def grantable_roles(by: User) -> list[str]:
    if by.is_superuser or by.role == Role.COORDINATOR:
        return list(Role.values)
    if by.role == Role.UNIT_LEADER:
        return [str(r) for r in LEADER_GRANTS]
    return []


def accounts_in_scope(by: User) -> QuerySet[User]:
    """Accounts whose unit (or whose volunteer's unit, for accounts without one) the user manages."""
    units = managed_units(by)
    return User.objects.filter(Q(unit__in=units) | Q(unit__isnull=True, volunteer__unit__in=units))


def may_manage_account(by: User, account: User) -> bool:
    """``by`` may change ``account``: in scope, not themselves, holding a role ``by`` could grant.

    A coordinator may make a second coordinator of their own unit but changes or switches off only
    the coordinators strictly below it: two coordinators of one unit cannot demote each other.
    """
    if by.pk == account.pk or (account.is_superuser and not by.is_superuser):
        return False
    if account.role not in grantable_roles(by) or not accounts_in_scope(by).filter(pk=account.pk).exists():
        return False
    if account.role == Role.COORDINATOR and not by.is_superuser:
        own, theirs = by.unit, account.unit
        return bool(own and theirs and theirs.pk != own.pk and theirs.is_within(own))
    return True


def _locked_account(by: User, account: User, own_message: Promise) -> User:
    """The account's row, locked and read afresh, once ``by`` may change it (the rules read its
    current role and unit, not those of a copy the caller may hold)."""
    if by.pk == account.pk:
        raise DomainError(own_message, "own_account")
    locked = User.objects.select_for_update(of=("self",)).select_related("unit").get(pk=account.pk)
    if not may_manage_account(by, locked):
        raise DomainError(_("You cannot change this account."), "out_of_scope")
    return locked


def change_role(*, by: User, account: User, role: str, unit: OrgUnit | None) -> User:
    if role not in grantable_roles(by):
        if role == Role.COORDINATOR:
            raise DomainError(_("Only a coordinator can make someone a coordinator."), "role_not_allowed")
        raise DomainError(_("You cannot give this role."), "role_not_allowed")
    if unit is None:
        if role not in (Role.VOLUNTEER, Role.KIOSK) or not by.is_superuser:
            raise DomainError(_("Choose the unit of the account."), "unit_required")
    elif not managed_units(by).filter(pk=unit.pk).exists():
        raise DomainError(_("You cannot give a role in a unit outside your own."), "unit_out_of_scope")
    with transaction.atomic():
        account = _locked_account(by, account, _("You cannot change your own role."))
        before = {"role": account.role, "unit": account.unit_id}
        account.role = role
        account.unit = unit
        account.save(update_fields=["role", "unit"])
        after = {"role": account.role, "unit": account.unit_id}
        if before != after:
            log_action(
                actor=by, action="account.role_changed", obj=account, unit=unit, before=before, after=after
            )
    return account


def set_account_active(*, by: User, account: User, active: bool) -> User:
    """Deactivate (the person can no longer sign in, their API tokens stop) or reactivate."""
    with transaction.atomic():
        account = _locked_account(by, account, _("You cannot deactivate your own account."))
        if account.is_active == active:
            return account
        account.is_active = active
        account.save(update_fields=["is_active"])
        log_action(
            actor=by,
            action="account.reactivated" if active else "account.deactivated",
            obj=account,
            unit=account.unit,
            before={"is_active": not active},
            after={"is_active": active},
        )
    return account
