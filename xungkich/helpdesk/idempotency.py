"""Idempotent API writes: a retried POST with the same ``Idempotency-Key`` gets the first answer.

The key row is inserted in the same transaction as the write it guards. Two requests with the same
key at the same moment: the second insert waits on the unique index until the first commits, then
fails, and the second request replays the first one's stored answer. A failed write (400) rolls the
key back with it, so a corrected retry with the same key is processed afresh.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from xungkich.core.errors import DomainError
from xungkich.helpdesk.models import IdempotencyKey
from xungkich.people.models import User

MAX_KEY_LENGTH = 100

Answer = tuple[int, dict[str, Any]]


def request_hash(body: bytes) -> str:
    """The same JSON written with other spacing or key order hashes the same."""
    try:
        canonical = json.dumps(json.loads(body or b"{}"), sort_keys=True, separators=(",", ":"))
    except ValueError:
        canonical = body.decode("utf-8", errors="replace")
    return hashlib.sha256(canonical.encode()).hexdigest()


def _replay(record: IdempotencyKey, digest: str) -> Answer:
    if record.request_hash != digest:
        return 409, {
            "code": "idempotency_key_reused",
            "message": _("This Idempotency-Key was already used for a different request."),
        }
    return record.status_code, record.response


def run_once(*, user: User, key: str, digest: str, action: Callable[[], Answer]) -> Answer:
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise DomainError(
            _("The Idempotency-Key header must have 1 to 100 characters."), code="invalid_idempotency_key"
        )
    existing = IdempotencyKey.objects.filter(user=user, key=key).first()
    if existing is not None:
        return _replay(existing, digest)
    try:
        with transaction.atomic():
            record = IdempotencyKey.objects.create(user=user, key=key, request_hash=digest)
            status, body = action()
            record.status_code = status
            record.response = body
            record.save(update_fields=["status_code", "response"])
    except IntegrityError:
        existing = IdempotencyKey.objects.filter(user=user, key=key).first()
        if existing is None:
            raise
        return _replay(existing, digest)
    return status, body
