"""What happens to an account: two-step sign-in (TOTP, django-otp) and password-reset side effects.

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

from axes.utils import reset as axes_reset
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables
from django_otp import verify_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from xungkich.core.audit import log_action
from xungkich.core.errors import DomainError
from xungkich.people.models import Role, User

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
