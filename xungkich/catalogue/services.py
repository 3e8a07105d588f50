"""Procedure catalogue services: upsert procedures by code (with their ways to submit and fees),
announce each change (``signals.procedure_saved``: search listens), load the seed data shipped
with the code.

Both the seed loader (``manage.py load_procedures``) and the spreadsheet importer go through
``upsert_procedures``: one transaction, procedures matched by code, an audit entry per change.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.urls import reverse

from xungkich.catalogue.models import Fee, Procedure, SubmissionChannel
from xungkich.catalogue.signals import procedure_saved
from xungkich.core.audit import log_action
from xungkich.lib.vietnamese import clean_text
from xungkich.people.models import User

SEED_FILE = Path(__file__).parent / "data" / "procedures.json"
FIELDS = [
    "name", "field", "level", "agency", "online_mode", "summary", "documents", "legal_basis",
    "official_url", "source", "verified", "aliases",
]  # fmt: skip


@dataclass
class FeeRecord:
    amount: int | None
    description: str = ""
    effective_from: dt.date | None = None


@dataclass
class ChannelRecord:
    kind: str
    processing_time: str = ""
    notes: str = ""
    fees: list[FeeRecord] = dataclasses.field(default_factory=list)


@dataclass
class ProcedureRecord:
    """A procedure as plain data: what the seed file and a spreadsheet row become."""

    code: str
    name: str
    field: str = ""
    level: str = Procedure.Level.COMMUNE
    agency: str = ""
    online_mode: str = Procedure.OnlineMode.NONE
    summary: str = ""
    documents: list[str] = dataclasses.field(default_factory=list)
    legal_basis: str = ""
    official_url: str = ""
    source: str = ""
    verified: bool = False
    aliases: list[str] = dataclasses.field(default_factory=list)
    # None: leave the stored ways to submit as they are (a spreadsheet without those columns).
    channels: list[ChannelRecord] | None = None
    # The fields an update may write (None: all); a new procedure gets every field.
    given: set[str] | None = None

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in FIELDS}


@dataclass
class UpsertResult:
    created: list[Procedure] = dataclasses.field(default_factory=list)
    updated: list[Procedure] = dataclasses.field(default_factory=list)
    unchanged: int = 0


def record_from_dict(data: dict[str, Any]) -> ProcedureRecord:
    """A seed-file entry as a record (dates ISO, amounts in đồng)."""
    channels = [
        ChannelRecord(
            kind=channel["kind"],
            processing_time=channel.get("processing_time", ""),
            notes=channel.get("notes", ""),
            fees=[
                FeeRecord(
                    amount=fee.get("amount"),
                    description=fee.get("description") or "",
                    effective_from=dt.date.fromisoformat(fee["effective_from"])
                    if fee.get("effective_from")
                    else None,
                )
                for fee in channel.get("fees", [])
            ],
        )
        for channel in data.get("channels", [])
    ]
    values = {name: data[name] for name in FIELDS if name in data}
    return ProcedureRecord(code=data["code"], channels=channels, **values)


def seed_records(path: Path = SEED_FILE) -> list[ProcedureRecord]:
    return [record_from_dict(item) for item in json.loads(path.read_text(encoding="utf-8"))["procedures"]]


def procedure_url(code: str) -> str:
    return reverse("catalogue:procedure_detail", args=[code])


def _normalised(record: ProcedureRecord) -> dict[str, Any]:
    values = record.values()
    for name, value in values.items():
        if isinstance(value, str):
            values[name] = clean_text(value) if name not in ("summary", "legal_basis") else value.strip()
    values["documents"] = [clean_text(item) for item in record.documents if clean_text(item)]
    values["aliases"] = [clean_text(item) for item in record.aliases if clean_text(item)]
    return values


def _channels_snapshot(procedure: Procedure) -> list[Any]:
    return [
        [
            channel.kind,
            channel.processing_time,
            channel.notes,
            [
                [fee.amount, fee.description, fee.effective_from]
                for fee in sorted(channel.fees.all(), key=lambda fee: fee.effective_from or dt.date.min)
            ],
        ]
        for channel in sorted(procedure.channels.all(), key=lambda channel: channel.kind)
    ]


def _records_snapshot(records: Sequence[ChannelRecord]) -> list[Any]:
    return [
        [
            channel.kind,
            channel.processing_time,
            channel.notes,
            [
                [fee.amount, fee.description, fee.effective_from]
                for fee in sorted(channel.fees, key=lambda fee: fee.effective_from or dt.date.min)
            ],
        ]
        for channel in sorted(records, key=lambda channel: channel.kind)
    ]


def _write_channels(procedure: Procedure, records: Sequence[ChannelRecord]) -> None:
    procedure.channels.all().delete()
    for record in records:
        channel = SubmissionChannel.objects.create(
            procedure=procedure,
            kind=record.kind,
            processing_time=clean_text(record.processing_time),
            notes=record.notes.strip(),
        )
        Fee.objects.bulk_create(
            [
                Fee(
                    channel=channel,
                    amount=fee.amount,
                    description=clean_text(fee.description),
                    effective_from=fee.effective_from,
                )
                for fee in records_by_date(record.fees)
            ]
        )


def records_by_date(fees: Iterable[FeeRecord]) -> list[FeeRecord]:
    """One fee per effective date (the last one given wins)."""
    by_date: dict[dt.date | None, FeeRecord] = {}
    for fee in fees:
        by_date[fee.effective_from] = fee
    return list(by_date.values())


@transaction.atomic
def upsert_procedures(
    *, records: Sequence[ProcedureRecord], by: User | None, action: str = "procedure.import"
) -> UpsertResult:
    """Create or update procedures by code, with their ways to submit; all or nothing."""
    result = UpsertResult()
    existing = {
        procedure.code: procedure
        for procedure in Procedure.objects.select_for_update()
        .filter(code__in=[record.code for record in records])
        .prefetch_related("channels__fees")
    }
    for record in records:
        values = _normalised(record)
        procedure = existing.get(record.code)
        if procedure is None:
            procedure = Procedure.objects.create(code=record.code, **values)
            if record.channels is not None:
                _write_channels(procedure, record.channels)
            log_action(
                actor=by, action=f"{action}.create", obj=procedure, after=values | {"code": record.code}
            )
            result.created.append(procedure)
        else:
            before = {name: getattr(procedure, name) for name in FIELDS}
            if record.given is not None:
                values = {name: value for name, value in values.items() if name in record.given}
            changed = [name for name, value in values.items() if before[name] != value]
            channels_changed = record.channels is not None and _channels_snapshot(
                procedure
            ) != _records_snapshot(record.channels)
            if not changed and not channels_changed:
                result.unchanged += 1
                continue
            for name in changed:
                setattr(procedure, name, values[name])
            procedure.save(update_fields=[*changed, "updated_at"])
            if channels_changed and record.channels is not None:
                _write_channels(procedure, record.channels)
            log_action(
                actor=by,
                action=f"{action}.update",
                obj=procedure,
                before={name: before[name] for name in changed},
                after={name: values[name] for name in changed} | {"channels_changed": channels_changed},
            )
            result.updated.append(procedure)
        procedure_saved.send(sender=Procedure, procedure=procedure)
    return result


def load_seed(*, by: User | None = None, path: Path = SEED_FILE) -> UpsertResult:
    """The procedures shipped with the code (idempotent: a second run changes nothing)."""
    return upsert_procedures(records=seed_records(path), by=by, action="procedure.seed")
