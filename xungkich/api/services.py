"""Making, checking and revoking API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from xungkich.api.models import ApiToken
from xungkich.core.audit import log_action
from xungkich.people.models import User

TOKEN_PREFIX = "xk_"  # noqa: S105 — a marker, not a secret
# last_used_at is a hint for people, not an audit trail: refresh it at most this often per token.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(*, user: User, name: str = "", by: User | None = None) -> str:
    """Make a token for ``user`` and return it; it cannot be read back later."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        row = ApiToken.objects.create(user=user, name=name, digest=digest_of(token), prefix=token[:8])
        log_action(
            actor=by,
            action="api.token_created",
            obj=row,
            unit=user.unit,
            after={"user": user.username, "name": name},
        )
    return token


def user_for_token(token: str) -> User | None:
    """The active user a token belongs to, or None (unknown, revoked, or the user is inactive)."""
    row = (
        ApiToken.objects.select_related("user", "user__unit")
        .filter(digest=digest_of(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if row is None:
        return None
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user


def revoke_token(*, token_row: ApiToken, by: User | None) -> None:
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token_row.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if updated:
            log_action(
                actor=by, action="api.token_revoked", obj=token_row, after={"user": token_row.user.username}
            )
