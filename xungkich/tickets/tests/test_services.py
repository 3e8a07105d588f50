"""Taking, calling and finishing tickets (one connection; the races are in test_concurrency)."""

import datetime as dt

import pytest
from freezegun import freeze_time

from xungkich.core.errors import DomainError
from xungkich.core.models import AuditEntry
from xungkich.tickets import services
from xungkich.tickets.models import Ticket, TicketCounter
from xungkich.tickets.tests.helpers import DAY, local, make_point


@pytest.fixture
def point(units):
    return make_point(units["hoian"])


def take(point, need="account"):
    return services.take_ticket(point=point, need=need)


@freeze_time(local(DAY, 8, 0))
def test_numbers_are_consecutive_from_one(point):
    taken = [take(point) for _ in range(3)]
    assert [t.ticket.number for t in taken] == [1, 2, 3]
    assert [t.ahead for t in taken] == [0, 1, 2]
    assert str(taken[0].ticket) == "001"
    assert TicketCounter.objects.get(point=point, day=DAY).last_number == 3
    assert len({t.ticket.public_token for t in taken}) == 3


def test_numbers_restart_each_local_day(point):
    # 23:30 on 1/3 in Hà Nội time is still 1/3; 00:10 local on 2/3 is 17:10 UTC on 1/3.
    with freeze_time(local(DAY - dt.timedelta(days=1), 23, 30)):
        assert take(point).ticket.number == 1
        assert take(point).ticket.number == 2
    with freeze_time(local(DAY, 0, 10)):
        ticket = take(point).ticket
    assert ticket.number == 1
    assert ticket.day == DAY


@freeze_time(local(DAY, 8, 0))
def test_each_point_has_its_own_numbers(units, point):
    other = make_point(units["hoian"], name="Điểm hỗ trợ Cẩm Phô")
    assert take(point).ticket.number == 1
    assert take(other).ticket.number == 1
    assert take(point).ticket.number == 2


@freeze_time(local(DAY, 8, 0))
def test_unknown_need_and_closed_point_are_refused(point):
    with pytest.raises(DomainError) as caught:
        take(point, need="password")
    assert caught.value.code == "need_invalid"
    point.is_active = False
    with pytest.raises(DomainError) as caught:
        take(point)
    assert caught.value.code == "point_closed"
    assert not Ticket.objects.exists()


def test_call_next_gives_the_lowest_waiting_number_and_audits(point, coordinator):
    with freeze_time(local(DAY, 8, 0)):
        first, second = take(point).ticket, take(point).ticket
    with freeze_time(local(DAY, 8, 5)):
        called = services.call_next_ticket(point=point, desk=" Bàn  1 ", by=coordinator)
    assert called.pk == first.pk
    called.refresh_from_db()
    assert called.status == Ticket.Status.CALLED
    assert called.desk == "Bàn 1"
    assert called.served_by == coordinator
    assert called.called_at == local(DAY, 8, 5)
    assert called.calls == 1
    entry = AuditEntry.objects.get(action="ticket.call")
    assert entry.actor == coordinator
    assert entry.after["number"] == 1
    assert services.people_ahead(second) == 0


@freeze_time(local(DAY, 8, 0))
def test_a_busy_desk_must_finish_first_and_empty_queue_says_so(point):
    take(point)
    ticket = services.call_next_ticket(point=point, desk="Bàn 1", by=None)
    take(point)
    with pytest.raises(DomainError) as caught:
        services.call_next_ticket(point=point, desk="Bàn 1", by=None)
    assert caught.value.code == "desk_busy"
    services.finish_ticket(ticket=ticket, by=None)
    services.call_next_ticket(point=point, desk="Bàn 1", by=None)
    with pytest.raises(DomainError) as caught:
        services.call_next_ticket(point=point, desk="Bàn 2", by=None)
    assert caught.value.code == "queue_empty"


@freeze_time(local(DAY, 8, 0))
def test_desk_label_is_required_and_short(point):
    take(point)
    for desk, code in (("  ", "desk_required"), ("B" * 31, "desk_too_long")):
        with pytest.raises(DomainError) as caught:
            services.call_next_ticket(point=point, desk=desk, by=None)
        assert caught.value.code == code


def test_yesterdays_waiting_tickets_are_not_called_today(point):
    with freeze_time(local(DAY - dt.timedelta(days=1), 16, 0)):
        take(point)
    with freeze_time(local(DAY, 8, 0)), pytest.raises(DomainError) as caught:
        services.call_next_ticket(point=point, desk="Bàn 1", by=None)
    assert caught.value.code == "queue_empty"


@pytest.mark.parametrize(
    ("action", "status"),
    [
        (services.finish_ticket, Ticket.Status.DONE),
        (services.mark_no_show, Ticket.Status.NO_SHOW),
        (services.transfer_ticket, Ticket.Status.TRANSFERRED),
    ],
)
def test_closing_actions_set_status_and_time_once(point, coordinator, action, status):
    with freeze_time(local(DAY, 8, 0)):
        take(point)
        ticket = services.call_next_ticket(point=point, desk="Bàn 1", by=coordinator)
    with freeze_time(local(DAY, 8, 9)):
        action(ticket=ticket, by=coordinator)
        ticket.refresh_from_db()
        assert ticket.status == status
        assert ticket.finished_at == local(DAY, 8, 9)
        with pytest.raises(DomainError) as caught:
            action(ticket=ticket, by=coordinator)
    assert caught.value.code == "ticket_not_active"
    assert AuditEntry.objects.filter(action__startswith="ticket.").count() == 2


@freeze_time(local(DAY, 8, 0))
def test_no_show_only_before_serving_and_waiting_tickets_cannot_be_closed(point):
    waiting = take(point).ticket
    with pytest.raises(DomainError) as caught:
        services.finish_ticket(ticket=waiting, by=None)
    assert caught.value.code == "ticket_not_active"
    Ticket.objects.filter(pk=waiting.pk).update(status=Ticket.Status.SERVING)
    with pytest.raises(DomainError):
        services.mark_no_show(ticket=waiting, by=None)
    services.transfer_ticket(ticket=waiting, by=None)


@freeze_time(local(DAY, 8, 0))
def test_recall_counts_the_calls(point):
    take(point)
    ticket = services.call_next_ticket(point=point, desk="Bàn 2", by=None)
    services.recall_ticket(ticket=ticket, by=None)
    services.recall_ticket(ticket=ticket, by=None)
    assert Ticket.objects.get(pk=ticket.pk).calls == 3
    services.finish_ticket(ticket=ticket, by=None)
    with pytest.raises(DomainError):
        services.recall_ticket(ticket=ticket, by=None)


@freeze_time(local(DAY, 8, 0))
def test_the_citizen_may_cancel_only_while_waiting(point):
    first, second = take(point).ticket, take(point).ticket
    services.cancel_ticket(ticket=second)
    assert Ticket.objects.get(pk=second.pk).status == Ticket.Status.CANCELLED
    services.call_next_ticket(point=point, desk="Bàn 1", by=None)
    with pytest.raises(DomainError) as caught:
        services.cancel_ticket(ticket=first)
    assert caught.value.code == "ticket_not_waiting"


def test_estimate_uses_todays_service_times_and_working_desks(point):
    with freeze_time(local(DAY, 8, 0)):
        for _ in range(6):
            take(point)
    for minute, desk, length in ((0, "Bàn 1", 4), (1, "Bàn 2", 10), (20, "Bàn 1", 6)):
        with freeze_time(local(DAY, 8, minute)):
            ticket = services.call_next_ticket(point=point, desk=desk, by=None)
        with freeze_time(local(DAY, 8, minute + length)):
            services.finish_ticket(ticket=ticket, by=None)
    with freeze_time(local(DAY, 8, 30)):
        estimate = services.wait_estimate(point=point, day=DAY, ahead=3)
        taken = take(point)
    assert estimate.measured is True
    assert estimate.service_minutes == 6.0
    assert estimate.desks == 2
    assert estimate.minutes == 9  # ceil(3 * 6 / 2)
    assert taken.ahead == 3
    assert taken.estimate.minutes == 9


@freeze_time(local(DAY, 8, 0))
def test_estimate_without_finished_tickets_is_the_default(point):
    take(point)
    taken = take(point)
    assert taken.estimate.measured is False
    assert taken.estimate.minutes == 8


def test_the_one_statement_insert_names_every_column_of_a_ticket():
    """Taking a ticket inserts by hand-written SQL (one statement on PostgreSQL): a column added to
    the model must be added there too, or be nullable and left to the desk actions."""
    written = {name.strip() for name in services._TICKET_COLUMNS.split(",")}
    left_null = {"called_at", "finished_at"}
    columns = {field.column for field in Ticket._meta.concrete_fields if not field.primary_key}
    assert columns == written | left_null
    assert all(Ticket._meta.get_field(name).null for name in left_null)


def test_a_taken_ticket_is_the_stored_row(point):
    taken = services.take_ticket(point=point, need="app", source=Ticket.Source.PHONE).ticket
    stored = Ticket.objects.get(pk=taken.pk)
    for name in ("point_id", "day", "number", "need", "source", "status", "desk", "calls", "public_token"):
        assert getattr(taken, name) == getattr(stored, name), name
    assert taken.created_at == stored.created_at
    assert (stored.status, stored.calls, stored.desk, stored.served_by_id) == ("waiting", 0, "", None)
