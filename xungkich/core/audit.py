"""Writing audit entries from services."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import models

from xungkich.core.models import AuditEntry

if TYPE_CHECKING:
    from xungkich.people.models import OrgUnit, User


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set):
        return sorted(_plain(item) for item in value)
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """A JSON-safe dict of the named fields (foreign keys by id, dates ISO)."""
    data: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            data[name] = sorted((instance.pk and getattr(instance, name).values_list("pk", flat=True)) or [])
        elif field.is_relation:
            data[name] = getattr(instance, f"{name}_id")
        else:
            data[name] = _plain(getattr(instance, name))
    return data


def log_action(
    *,
    actor: User | None,
    action: str,
    obj: models.Model,
    unit: OrgUnit | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_label=str(actor) if actor is not None else "system",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk or ""),
        object_repr=str(obj)[:200],
        unit=unit,
        before=before,
        after=after,
    )
