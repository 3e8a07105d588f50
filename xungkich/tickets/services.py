"""Taking, calling and finishing queue tickets. Each function owns its transaction.

Numbering: one ``TicketCounter`` row per point and local day. Taking a ticket upserts it
(``INSERT … ON CONFLICT DO UPDATE SET last_number = last_number + 1 RETURNING last_number``) and
inserts the ticket with that number: on PostgreSQL in one statement, so the row lock that makes
concurrent takers queue is held for that statement only; on SQLite in one IMMEDIATE transaction
(settings), so writers are serialised. The unique constraint on (point, day, number) is the last
line of defence. Calling the next ticket is one UPDATE of the first waiting row, picked with
``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two desks never get the same ticket.

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
from django.db.models import F, Q
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from xungkich.core.audit import log_action
from xungkich.core.errors import DomainError
from xungkich.lib.vietnamese import clean_text
from xungkich.people.models import User
from xungkich.places.models import ClosedDay, ServicePoint
from xungkich.rosters.models import ShiftPattern
from xungkich.tickets import hours
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


def _table(model: type[Ticket] | type[TicketCounter]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


# The counter of the point's day: created at 1 by the day's first ticket, else incremented. The
# upsert takes the row lock; concurrent takers of the point wait for it and each reads its own value.
_COUNTER_UPSERT = (
    "INSERT INTO {counter} (point_id, day, last_number) VALUES (%(point)s, %(day)s, 1)"
    " ON CONFLICT (point_id, day) DO UPDATE SET last_number = {counter}.last_number + 1"
    " RETURNING last_number"
)
_TICKET_COLUMNS = (
    "point_id, day, number, need, source, status, desk, served_by_id, created_at, calls, public_token"
)
_TICKET_VALUES = (
    "%(point)s, %(day)s, {number}, %(need)s, %(source)s, %(status)s, '', NULL, %(now)s, 0, %(token)s"
)


def _insert_numbered(*, point: ServicePoint, day: dt.date, need: str, source: str) -> Ticket:
    """Give the next number of the day and insert the ticket.

    PostgreSQL: one statement (the upsert in a CTE feeding the INSERT), in autocommit, so the
    counter row is locked for that statement and its commit only, never across client round
    trips. SQLite has no data-modifying CTE: the upsert and the insert run in one IMMEDIATE
    transaction, which serialises writers anyway.
    """
    now = timezone.now()
    token = secrets.token_urlsafe(24)
    params = {
        "point": point.pk,
        "day": connection.ops.adapt_datefield_value(day),
        "need": need,
        "source": source,
        "status": Ticket.Status.WAITING,
        "now": connection.ops.adapt_datetimefield_value(now),
        "token": token,
    }
    upsert = _COUNTER_UPSERT.format(counter=_table(TicketCounter))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"WITH counter AS ({upsert}) INSERT INTO {_table(Ticket)} ({_TICKET_COLUMNS})"  # noqa: S608
                f" SELECT {_TICKET_VALUES.format(number='last_number')} FROM counter RETURNING id, number",
                params,
            )
            ticket_id, number = cursor.fetchone()
        else:
            with transaction.atomic():
                cursor.execute(upsert, params)
                (number,) = cursor.fetchone()
                cursor.execute(
                    f"INSERT INTO {_table(Ticket)} ({_TICKET_COLUMNS})"  # noqa: S608 — our table names
                    f" VALUES ({_TICKET_VALUES.format(number='%(number)s')}) RETURNING id",
                    {**params, "number": number},
                )
                (ticket_id,) = cursor.fetchone()
    ticket = Ticket(
        pk=ticket_id,
        point=point,
        day=day,
        number=number,
        need=need,
        source=source,
        created_at=now,
        public_token=token,
    )
    ticket._state.adding = False
    ticket._state.db = connection.alias
    return ticket


def _hours_cache_key(point_id: int) -> str:
    return f"xk:tickets:hours:{point_id}"


# The point's hours and closed days are read at most once a minute: every take needs them.
HOURS_CACHE_SECONDS = 60


def _opening_hours(point_id: int, today: dt.date) -> tuple[list[hours.Opening], set[dt.date]]:
    """The point's opening hours (its active shift patterns) and its closed days from ``today``."""
    key = _hours_cache_key(point_id)
    cached = cache.get(key)
    if cached is None:
        patterns = ShiftPattern.objects.filter(point_id=point_id, is_active=True).values_list(
            "weekdays", "start_time", "end_time"
        )
        closed_days = ClosedDay.objects.filter(
            Q(point_id=point_id) | Q(point__isnull=True),
            date__gte=today,
            date__lte=today + dt.timedelta(days=hours.HORIZON_DAYS),
        ).values_list("date", flat=True)
        cached = ([(list(days), start, end) for days, start, end in patterns], list(closed_days))
        cache.set(key, cached, HOURS_CACHE_SECONDS)
    openings = [
        hours.Opening(weekdays=frozenset(int(d) for d in days), start=start, end=end)
        for days, start, end in cached[0]
    ]
    return openings, set(cached[1])


def check_open(*, point: ServicePoint) -> None:
    """DomainError ``point_closed_now`` (saying when it opens next) outside the point's hours."""
    now = timezone.localtime()
    openings, closed = _opening_hours(point.pk, now.date())
    if hours.is_open(openings, closed, now):
        return
    opens = hours.next_opening(openings, closed, now)
    if opens is None:
        raise DomainError(_("The centre is closed now."), "point_closed_now")
    when = {
        "time": opens.strftime("%H:%M"),
        "weekday": WEEKDAYS[opens.weekday()],
        "date": opens.strftime("%d/%m/%Y"),
    }
    if not openings:  # no hours recorded: only closed days close it, for the whole day
        raise DomainError(
            _("The centre is closed now. It opens again on %(weekday)s, %(date)s.") % when, "point_closed_now"
        )
    raise DomainError(
        _("The centre is closed now. It opens again at %(time)s on %(weekday)s, %(date)s.") % when,
        "point_closed_now",
    )


def take_ticket(*, point: ServicePoint, need: str, source: str = Ticket.Source.KIOSK) -> Taken:
    """A new ticket at the end of today's queue of ``point``, with its place and expected wait.

    Refused (``point_closed_now``) outside the point's opening hours and on its closed days.
    """
    _check_need(need)
    if not point.is_active:
        raise DomainError(_("This service point is not taking tickets."), "point_closed")
    check_open(point=point)
    day = local_today()
    # No transaction.atomic() here: on PostgreSQL the ticket is one statement (BEGIN and COMMIT
    # would be two more round trips with the counter row locked); SQLite's path makes its own.
    ticket = _insert_numbered(point=point, day=day, need=need, source=source)
    _queue_changed(point.pk, day)
    ahead = people_ahead(ticket)
    return Taken(ticket=ticket, ahead=ahead, estimate=wait_estimate(point=point, day=day, ahead=ahead))


# People ahead are counted up to this many: the count is a public page's query, so its cost must
# not grow with the queue; a queue this long reads "200 or more" (over two hours at a busy centre).
AHEAD_LIMIT = 200


def people_ahead(ticket: Ticket) -> int:
    """Waiting tickets of the same point and day with a smaller number (0 once called), counted
    up to ``AHEAD_LIMIT``."""
    if ticket.status != Ticket.Status.WAITING:
        return 0
    return Ticket.objects.filter(
        point_id=ticket.point_id, day=ticket.day, status=Ticket.Status.WAITING, number__lt=ticket.number
    )[:AHEAD_LIMIT].count()


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
    table = _table(Ticket)
    lock = " FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    # One UPDATE … RETURNING: the first waiting number (rows another desk is taking are skipped on
    # PostgreSQL; SQLite serialises writers), unless this desk still has a number of its own.
    sql = (
        f"UPDATE {table} SET status = %(called)s, desk = %(desk)s, served_by_id = %(by)s,"  # noqa: S608
        " called_at = %(now)s, calls = 1"
        f" WHERE id = (SELECT id FROM {table} WHERE point_id = %(point)s AND day = %(day)s"
        f" AND status = %(waiting)s ORDER BY number LIMIT 1{lock})"
        f" AND NOT EXISTS (SELECT 1 FROM {table} WHERE point_id = %(point)s AND day = %(day)s"
        " AND desk = %(desk)s AND status IN (%(called)s, %(serving)s))"
        " RETURNING *"
    )
    params = {
        "called": Ticket.Status.CALLED,
        "serving": Ticket.Status.SERVING,
        "waiting": Ticket.Status.WAITING,
        "desk": desk,
        "by": by.pk if by is not None and by.pk else None,
        "now": connection.ops.adapt_datetimefield_value(timezone.now()),
        "point": point.pk,
        "day": connection.ops.adapt_datefield_value(day),
    }
    with transaction.atomic():
        called = list(Ticket.objects.raw(sql, params))
        if not called:
            if Ticket.objects.filter(point=point, day=day, desk=desk, status__in=ACTIVE).exists():
                raise DomainError(
                    _("%(desk)s is still serving a number: finish it first.") % {"desk": desk}, "desk_busy"
                )
            raise DomainError(_("Nobody is waiting."), "queue_empty")
        ticket = called[0]
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
