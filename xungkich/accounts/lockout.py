"""Login lock-outs at three levels, on django-axes.

django-axes counts failed sign-ins per group of ``AXES_LOCKOUT_PARAMETERS`` but compares every group
with one ``AXES_FAILURE_LIMIT``. This handler gives each group its own limit:

- one user name from one address: ``AXES_FAILURE_LIMIT`` (5) — someone mistyping, or guessing;
- one user name from any addresses: ``XK_ACCOUNT_FAILURE_LIMIT`` (10) — guessing spread over addresses;
- one address, any user names: ``XK_ADDRESS_FAILURE_LIMIT`` (20) — password spraying.

Each count covers the failures of the cool-off period (``AXES_COOLOFF_MINUTES``), and a lock lasts
that long. A successful sign-in clears only the failures of that user name from that address, so a
sprayer cannot reset the count of their address by signing in to an account of their own.

When an account is locked (the per-account limit), its owner is told by e-mail if they have an
address, and the lock is written to the audit log; an address lock is audited too. Both happen once
per lock, however many more tries come during it.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.signals import user_locked_out
from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db.models import QuerySet, Sum
from django.dispatch import receiver
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation

from xungkich.core.audit import log_action
from xungkich.people.models import User

# The groups of AXES_LOCKOUT_PARAMETERS, in its order.
PAIR, ACCOUNT, ADDRESS = "pair", "account", "address"
GROUPS = (PAIR, ACCOUNT, ADDRESS)
LOCKOUT_PARAMETERS: list[str | list[str]] = [["username", "ip_address"], "username", "ip_address"]


def group_limits() -> dict[str, int]:
    return {
        PAIR: int(settings.AXES_FAILURE_LIMIT),
        ACCOUNT: int(settings.XK_ACCOUNT_FAILURE_LIMIT),
        ADDRESS: int(settings.XK_ADDRESS_FAILURE_LIMIT),
    }


def _failures(attempts: QuerySet[Any]) -> int:
    return int(attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0)


class LockoutHandler(AxesDatabaseHandler):
    """The database handler of django-axes with a limit per group (see the module text)."""

    def failures_by_group(self, request: HttpRequest, credentials: dict[str, Any] | None) -> dict[str, int]:
        attempts_list = self.get_user_attempts(request, credentials)
        return {group: _failures(attempts) for group, attempts in zip(GROUPS, attempts_list, strict=True)}

    def locked_groups(self, request: HttpRequest, credentials: dict[str, Any] | None) -> list[str]:
        limits = group_limits()
        counts = self.failures_by_group(request, credentials)
        return [group for group in GROUPS if counts[group] >= limits[group]]

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """The failures scaled to ``AXES_FAILURE_LIMIT``: at or over it when any group is at its limit."""
        base = get_failure_limit(request, credentials)
        limits = group_limits()
        counts = self.failures_by_group(request, credentials)
        request.xk_failures = counts  # type: ignore[attr-defined]  # read by the lock-out receiver
        return max(counts[group] * base // max(limits[group], 1) for group in GROUPS)

    def reset_user_attempts(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """After a successful sign-in: only that user name's failures from that address go."""
        pair = self.filter_user_attempts(request, credentials)[0]
        count, _details = pair.delete()
        return int(count)


def _once(key: str) -> bool:
    """True the first time ``key`` is seen during one cool-off period."""
    return bool(cache.add(key, 1, timeout=int(settings.AXES_COOLOFF_TIME * 3600) or None))


def _notify_owner(user: User, failures: int) -> None:
    if not user.email:
        return
    context = {
        "user": user,
        "failures": failures,
        "minutes": int(settings.AXES_COOLOFF_TIME * 60),
        "reset_url": settings.XK_BASE_URL + "/accounts/password-reset/",
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("registration/account_locked_subject.txt", context).strip()
        body = render_to_string("registration/account_locked_email.txt", context)
    send_mail(subject, body, None, [user.email], fail_silently=True)


@receiver(user_locked_out, dispatch_uid="xungkich.accounts.lockout")
def on_locked_out(
    sender: Any, request: HttpRequest, username: str | None, ip_address: str, **kwargs: Any
) -> None:
    counts: dict[str, int] = getattr(request, "xk_failures", {})
    limits = group_limits()
    if counts.get(ACCOUNT, 0) >= limits[ACCOUNT] and username:
        user = User.objects.select_related("unit").filter(username=username).first()
        if user is not None and _once(f"xk-lock:account:{user.pk}"):
            log_action(
                actor=None,
                action="auth.account_locked",
                obj=user,
                unit=user.unit,
                after={"failures": counts[ACCOUNT], "minutes": int(settings.AXES_COOLOFF_TIME * 60)},
            )
            _notify_owner(user, counts[ACCOUNT])
    if counts.get(ADDRESS, 0) >= limits[ADDRESS] and _once(f"xk-lock:address:{ip_address}"):
        from axes.models import AccessAttempt

        attempt = AccessAttempt.objects.filter(ip_address=ip_address).order_by("-attempt_time").first()
        if attempt is not None:
            log_action(
                actor=None,
                action="auth.address_locked",
                obj=attempt,
                after={
                    "ip_address": ip_address,
                    "failures": counts[ADDRESS],
                    "minutes": int(settings.AXES_COOLOFF_TIME * 60),
                },
            )
