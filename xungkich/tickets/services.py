"""Taking, calling and finishing queue tickets. Each function owns its transaction.

Numbering: one ``TicketCounter`` row per point and local day. Taking a ticket increments it with
a single ``UPDATE … SET last_number = last_number + 1 … RETURNING last_number`` inside the
transaction that inserts the ticket. On PostgreSQL the UPDATE holds the row lock until commit, so
concurrent takers queue on that row and each reads its own value; on SQLite the transaction is
IMMEDIATE (settings), so writers are serialised. The unique constraint on (point, day, number) is
the last line of defence. Calling the next ticket locks the first waiting row with
``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two desks never get the same ticket.

Taking a ticket writes no audit entry: the ticket row itself is the record and citizens are not
accounts. Every desk action (call, recall, no-show, transfer, finish) is audited.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xungkich.core.audit import log_action
from xungkich.core.errors import DomainError
from xungkich.lib.vietnamese import clean_text
from xungkich.people.models import User
from xungkich.rosters.models import ServicePoint
from xungkich.tickets.estimate import Estimate, active_desks, estimate_wait
from xungkich.tickets.models import Need, Ticket, TicketCounter

logger = logging.getLogger(__name__)

ACTIVE = (Ticket.Status.CALLED, Ticket.Status.SERVING)
DESK_MAX_LENGTH = 30
# The finished tickets whose help times make the estimate (the most recent of the day).
ESTIMATE_SAMPLE = 50


@dataclass(frozen=True)
class Taken:
    ticket: Ticket
    ahead: int
    estimate: Estimate


def local_today() -> dt.date:
    return timezone.localdate()


def clean_desk(value: object) -> str:
    desk = clean_text(value)
    if not desk:
        raise DomainError(_("Choose your desk, for example “Bàn 1”."), "desk_required")
    if len(desk) > DESK_MAX_LENGTH:
        raise DomainError(_("A desk name has at most 30 characters."), "desk_too_long")
    return desk


def _check_need(need: str) -> None:
    if need not in Need.values:
        raise DomainError(_("Choose what you need help with."), "need_invalid")


def _next_number(point: ServicePoint, day: dt.date) -> int:
    """Increment the day's counter of the point and return the new value (inside a transaction)."""
    table = connection.ops.quote_name(TicketCounter._meta.db_table)
    sql = (
        f"UPDATE {table} SET last_number = last_number + 1"  # noqa: S608 — the table name is ours
        " WHERE point_id = %s AND day = %s RETURNING last_number"
    )
    params = [point.pk, connection.ops.adapt_datefield_value(day)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        if row is None:
            # The first ticket of the day: create the counter (or find that a racing taker just
            # did; ON CONFLICT DO NOTHING / INSERT OR IGNORE), then increment it.
            TicketCounter.objects.bulk_create(
                [TicketCounter(point=point, day=day, last_number=0)], ignore_conflicts=True
            )
            cursor.execute(sql, params)
            row = cursor.fetchone()
    assert row is not None
    return int(row[0])


def take_ticket(*, point: ServicePoint, need: str, source: str = Ticket.Source.KIOSK) -> Taken:
    """A new ticket at the end of today's queue of ``point``, with its place and expected wait."""
    _check_need(need)
    if not point.is_active:
        raise DomainError(_("This service point is not taking tickets."), "point_closed")
    day = local_today()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The counter row is held until commit: without waiting for the WAL flush, takers
            # queue behind a few statements, not behind a disk sync each (see docs/tickets.md).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        number = _next_number(point, day)
        ticket = Ticket.objects.create(
            point=point,
            day=day,
            number=number,
            need=need,
            source=source,
            public_token=secrets.token_urlsafe(24),
        )
        _queue_changed(point.pk, day)
    ahead = people_ahead(ticket)
    return Taken(ticket=ticket, ahead=ahead, estimate=wait_estimate(point=point, day=day, ahead=ahead))


def people_ahead(ticket: Ticket) -> int:
    """Waiting tickets of the same point and day with a smaller number (0 once called)."""
    if ticket.status != Ticket.Status.WAITING:
        return 0
    return Ticket.objects.filter(
        point_id=ticket.point_id, day=ticket.day, status=Ticket.Status.WAITING, number__lt=ticket.number
    ).count()


def board_cache_key(point_id: int, day: dt.date) -> str:
    return f"xk:tickets:board:{point_id}:{day.isoformat()}"


def _stats_cache_key(point_id: int, day: dt.date) -> str:
    return f"xk:tickets:stats:{point_id}:{day.isoformat()}"


# The board is cached until the queue changes (and at most this long, for the wait estimate).
BOARD_CACHE_SECONDS = 10
STATS_CACHE_SECONDS = 60


def _queue_changed(point_id: int, day: dt.date, *, stats: bool = False) -> None:
    """Drop the cached board (and help times) of the point once the change is committed."""
    keys = [board_cache_key(point_id, day)] + ([_stats_cache_key(point_id, day)] if stats else [])

    def drop() -> None:
        try:
            cache.delete_many(keys)
        except Exception:  # the change is committed; a cache outage only delays the board
            logger.exception("could not drop the cached queue of point %s", point_id)

    transaction.on_commit(drop)


def _service_stats(point_id: int, day: dt.date) -> tuple[list[float], int]:
    """(help times in seconds, working desks) from the day's most recent calls; cached.

    One query when not cached: the most recent calls give both the help times and the desks.
    """
    key = _stats_cache_key(point_id, day)
    cached = cache.get(key)
    if cached is not None:
        return cached[0], cached[1]
    recent = list(
        Ticket.objects.filter(point_id=point_id, day=day, called_at__isnull=False)
        .order_by("-called_at")
        .values_list("desk", "status", "called_at", "finished_at")[:ESTIMATE_SAMPLE]
    )
    seconds = [
        (finished - called).total_seconds()
        for _desk, status, called, finished in recent
        if status == Ticket.Status.DONE and finished is not None and called is not None
    ]
    calls = [(desk, called) for desk, _s, called, _f in recent if called is not None]
    desks = active_desks(calls, now=timezone.now())
    cache.set(key, (seconds, desks), STATS_CACHE_SECONDS)
    return seconds, desks


def wait_estimate(*, point: ServicePoint | int, day: dt.date, ahead: int) -> Estimate:
    """The expected wait behind ``ahead`` people, from today's help times at the point."""
    point_id = point if isinstance(point, int) else point.pk
    seconds, desks = _service_stats(point_id, day)
    return estimate_wait(ahead=ahead, durations=[dt.timedelta(seconds=s) for s in seconds], desks=desks)


def _audit(ticket: Ticket, action: str, by: User | None, **after: object) -> None:
    log_action(
        actor=by,
        action=f"ticket.{action}",
        obj=ticket,
        unit=ticket.point.unit,  # loaded with the ticket by the callers: no query
        after={"point": ticket.point_id, "day": ticket.day.isoformat(), "number": ticket.number, **after},
    )


def call_next_ticket(*, point: ServicePoint, desk: str, by: User | None) -> Ticket:
    """Give the first waiting ticket of today to ``desk``; DomainError ``queue_empty`` when none.

    A desk that still has a called ticket must finish it (or mark a no-show) first.
    """
    desk = clean_desk(desk)
    day = local_today()
    with transaction.atomic():
        if Ticket.objects.filter(point=point, day=day, desk=desk, status__in=ACTIVE).exists():
            raise DomainError(
                _("%(desk)s is still serving a number: finish it first.") % {"desk": desk}, "desk_busy"
            )
        waiting = Ticket.objects.filter(point=point, day=day, status=Ticket.Status.WAITING).order_by("number")
        if connection.features.has_select_for_update_skip_locked:
            waiting = waiting.select_for_update(skip_locked=True)
        ticket = waiting.first()
        if ticket is None:
            raise DomainError(_("Nobody is waiting."), "queue_empty")
        ticket.status = Ticket.Status.CALLED
        ticket.desk = desk
        ticket.served_by = by if by is not None and by.pk else None
        ticket.called_at = timezone.now()
        ticket.calls = 1
        ticket.save(update_fields=["status", "desk", "served_by", "called_at", "calls"])
        ticket.point = point  # the caller's point, with its unit loaded
        _queue_changed(point.pk, day, stats=True)
        _audit(ticket, "call", by, desk=desk)
    return ticket


def _move(
    *,
    ticket: Ticket,
    by: User | None,
    allowed: tuple[str, ...],
    status: str,
    action: str,
) -> Ticket:
    """Change the status with a conditional UPDATE, so two clicks or two desks cannot both win."""
    now = timezone.now()
    with transaction.atomic():
        changed = Ticket.objects.filter(pk=ticket.pk, status__in=allowed).update(
            status=status, finished_at=now
        )
        if not changed:
            raise DomainError(
                _("Number %(number)s is no longer at a desk.") % {"number": f"{ticket.number:03d}"},
                "ticket_not_active",
            )
        ticket.status = status
        ticket.finished_at = now
        _queue_changed(ticket.point_id, ticket.day, stats=True)
        _audit(ticket, action, by, status=status)
    return ticket


def finish_ticket(*, ticket: Ticket, by: User | None) -> Ticket:
    return _move(ticket=ticket, by=by, allowed=ACTIVE, status=Ticket.Status.DONE, action="finish")


def mark_no_show(*, ticket: Ticket, by: User | None) -> Ticket:
    return _move(
        ticket=ticket, by=by, allowed=(Ticket.Status.CALLED,), status=Ticket.Status.NO_SHOW, action="no_show"
    )


def transfer_ticket(*, ticket: Ticket, by: User | None) -> Ticket:
    """The citizen needs an official counter (a civil servant), not a volunteer."""
    return _move(ticket=ticket, by=by, allowed=ACTIVE, status=Ticket.Status.TRANSFERRED, action="transfer")


def recall_ticket(*, ticket: Ticket, by: User | None) -> Ticket:
    """Announce the number again (the board speaks when the call count changes)."""
    with transaction.atomic():
        changed = Ticket.objects.filter(pk=ticket.pk, status__in=ACTIVE).update(calls=F("calls") + 1)
        if not changed:
            raise DomainError(
                _("Number %(number)s is no longer at a desk.") % {"number": f"{ticket.number:03d}"},
                "ticket_not_active",
            )
        ticket.refresh_from_db(fields=["calls"])
        _queue_changed(ticket.point_id, ticket.day)
        _audit(ticket, "recall", by, calls=ticket.calls)
    return ticket


def cancel_ticket(*, ticket: Ticket) -> Ticket:
    """The citizen gives up waiting (from their own ticket page)."""
    with transaction.atomic():
        changed = Ticket.objects.filter(pk=ticket.pk, status=Ticket.Status.WAITING).update(
            status=Ticket.Status.CANCELLED, finished_at=timezone.now()
        )
        if not changed:
            raise DomainError(_("This number has already been called."), "ticket_not_waiting")
        _queue_changed(ticket.point_id, ticket.day)
    ticket.status = Ticket.Status.CANCELLED
    return ticket
