"""Idempotent API writes: a retried POST with the same ``Idempotency-Key`` gets the first answer.

Every POST of the API goes through ``respond``. A key belongs to the token's user; on an endpoint
without a token (taking a queue number) to the client's address, so one citizen's key never
replays another's answer.

The key row is inserted in the same transaction as the write it guards. Two requests with the same
key at the same moment: the second insert waits on the unique index until the first commits, then
fails, and the second request replays the first one's stored answer. A failed write (400) rolls the
key back with it, so a corrected retry with the same key is processed afresh.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from xungkich.api.fields import CONTROL_CHARACTERS
from xungkich.api.models import IdempotencyKey
from xungkich.core.errors import DomainError
from xungkich.core.ratelimit import client_address
from xungkich.people.models import User

MAX_KEY_LENGTH = 100
HEADER = "Idempotency-Key"
_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")

Answer = tuple[int, dict[str, Any]]


def request_hash(body: bytes, path: str = "") -> str:
    """The same JSON written with other spacing or key order hashes the same; another path does not."""
    try:
        canonical = json.dumps(json.loads(body or b"{}"), sort_keys=True, separators=(",", ":"))
    except ValueError:
        canonical = body.decode("utf-8", errors="replace")
    return hashlib.sha256(f"{path}\n{canonical}".encode(errors="replace")).hexdigest()


def _replay(record: IdempotencyKey, digest: str) -> Answer:
    if record.request_hash != digest:
        return 409, {
            "code": "idempotency_key_reused",
            "message": _("This Idempotency-Key was already used for a different request."),
        }
    return record.status_code, record.response


def _owner(user: User | None, client: str) -> dict[str, Any]:
    return {"user": user} if user is not None else {"user": None, "client": client[:64]}


def run_once(
    *, user: User | None, key: str, digest: str, action: Callable[[], Answer], client: str = ""
) -> Answer:
    """``action``'s answer, run at most once per (user, key), or (client address, key) without a user.

    ``action`` raising (a DomainError, a refusal) stores nothing: the key may be used again.
    """
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or _CONTROL.search(key):
        raise DomainError(
            _("The Idempotency-Key header must have 1 to 100 characters."), code="invalid_idempotency_key"
        )
    owner = _owner(user, client)
    existing = IdempotencyKey.objects.filter(key=key, **owner).first()
    if existing is not None:
        return _replay(existing, digest)
    try:
        with transaction.atomic():
            record = IdempotencyKey.objects.create(key=key, request_hash=digest, **owner)
            status, body = action()
            record.status_code = status
            record.response = body
            record.save(update_fields=["status_code", "response"])
    except IntegrityError:
        existing = IdempotencyKey.objects.filter(key=key, **owner).first()
        if existing is None:
            raise
        return _replay(existing, digest)
    return status, body


def respond(request: HttpRequest, action: Callable[[], Answer]) -> HttpResponse:
    """The JSON answer of a POST: ``action()`` once per ``Idempotency-Key`` when the header is sent."""
    from xungkich.api.api import api

    key = request.headers.get(HEADER)
    if key is None:
        status, body = action()
    else:
        user = getattr(request, "auth", None)
        status, body = run_once(
            user=user if isinstance(user, User) else None,
            client=client_address(request),
            key=key,
            digest=request_hash(request.body, request.path),
            action=action,
        )
    return api.create_response(request, body, status=status)
