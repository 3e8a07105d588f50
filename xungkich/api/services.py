"""Making, checking and revoking API tokens."""

from __future__ import annotations

import functools
import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from xungkich.api.models import ApiToken
from xungkich.core.audit import log_action
from xungkich.core.rows import Part, RowShape
from xungkich.people.models import OrgUnit, User

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


# Every API request reads its token: one hand-written SELECT (token, user, the user's unit) instead
# of a select_related query whose compilation cost more than the query itself.
_TOKEN_ROW = RowShape(
    Part(ApiToken, "t"), Part(User, "u", parent=(0, "user")), Part(OrgUnit, "o", parent=(1, "unit"))
)


@functools.cache
def _token_sql(using: str) -> str:
    return (
        f"SELECT {_TOKEN_ROW.columns(using)} FROM {_TOKEN_ROW.table(0, using)}"  # noqa: S608 — our tables
        f" JOIN {_TOKEN_ROW.table(1, using)} ON u.id = t.user_id"
        f" LEFT JOIN {_TOKEN_ROW.table(2, using)} ON o.id = u.unit_id"
        " WHERE t.digest = %s AND t.revoked_at IS NULL AND u.is_active = %s"
    )


def user_for_token(token: str) -> User | None:
    """The active user a token belongs to, or None (unknown, revoked, or the user is inactive)."""
    objects = _TOKEN_ROW.fetch_one(_token_sql("default"), [digest_of(token), True])
    if objects is None:
        return None
    row, user = objects[0], objects[1]
    assert isinstance(row, ApiToken) and isinstance(user, User)
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return user


def revoke_token(*, token_row: ApiToken, by: User | None) -> None:
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token_row.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if updated:
            log_action(
                actor=by, action="api.token_revoked", obj=token_row, after={"user": token_row.user.username}
            )
