"""Two-step sign-in (TOTP, django-otp) and password-reset side effects.

Each writer owns its transaction, locks the user row it changes and leaves an audit entry.
Codes and passwords are never logged nor stored; the audit entries only say what happened.
"""

from __future__ import annotations

import time
from base64 import b32encode
from binascii import unhexlify

from axes.utils import reset as axes_reset
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables
from django_otp import verify_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from xungkich.core.audit import log_action
from xungkich.core.errors import DomainError
from xungkich.people.models import Role, User

DEVICE_NAME = "authenticator"


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
    """Remove every TOTP device of ``user``; returns how many went."""
    with transaction.atomic():
        User.objects.select_for_update().only("pk").get(pk=user.pk)
        deleted, _details = TOTPDevice.objects.filter(user=user).delete()
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
