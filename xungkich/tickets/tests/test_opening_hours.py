"""No numbers while the centre is closed: the point's duty hours (active shift patterns) and its
closed days decide; the refusal says when it opens next. A point with no hours recorded is always
open (docs/tickets.md)."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from freezegun import freeze_time

from xungkich.core.errors import DomainError
from xungkich.places.models import ClosedDay
from xungkich.rosters import services as roster_services
from xungkich.tickets import hours, services
from xungkich.tickets.models import Ticket
from xungkich.tickets.tests.helpers import local, make_point

SUNDAY = dt.date(2026, 12, 6)
MONDAY = dt.date(2026, 12, 7)
TUESDAY = dt.date(2026, 12, 8)


@pytest.fixture
def point(units):
    point = make_point(units["hoian"])
    for name, weekdays, start, end in (
        ("Sáng", [1, 2, 3, 4, 5], dt.time(7, 30), dt.time(11, 30)),
        ("Chiều", [1, 2, 3, 4, 5], dt.time(13, 30), dt.time(17, 0)),
        ("Sáng thứ Bảy", [6], dt.time(7, 30), dt.time(11, 30)),
    ):
        roster_services.create_shift_pattern(
            by=None, point=point, name=name, weekdays=weekdays, start_time=start, end_time=end, demand=2
        )
    return point


def refusal(point, at):
    before = Ticket.objects.count()
    with freeze_time(at), translation.override("vi"), pytest.raises(DomainError) as caught:
        services.take_ticket(point=point, need="account")
    assert Ticket.objects.count() == before
    assert caught.value.code == "point_closed_now"
    return str(caught.value)


def test_sunday_is_closed_and_says_monday_morning(point):
    assert refusal(point, local(SUNDAY, 12, 30)) == (
        "Trung tâm đang đóng cửa. Mở cửa lại lúc 07:30 Thứ Hai, 07/12/2026."
    )


def test_before_opening(point):
    assert (
        refusal(point, local(MONDAY, 7, 0))
        == "Trung tâm đang đóng cửa. Mở cửa lại lúc 07:30 Thứ Hai, 07/12/2026."
    )


def test_lunch_break_opens_again_the_same_afternoon(point):
    assert refusal(point, local(MONDAY, 11, 30)) == (
        "Trung tâm đang đóng cửa. Mở cửa lại lúc 13:30 Thứ Hai, 07/12/2026."
    )


def test_after_closing(point):
    assert (
        refusal(point, local(MONDAY, 17, 0))
        == "Trung tâm đang đóng cửa. Mở cửa lại lúc 07:30 Thứ Ba, 08/12/2026."
    )


def test_a_closed_day_of_the_point_and_a_holiday_of_all(point):
    ClosedDay.objects.create(date=TUESDAY, point=point, reason="Họp")
    ClosedDay.objects.create(date=TUESDAY + dt.timedelta(days=1), point=None, reason="Nghỉ lễ")
    assert refusal(point, local(TUESDAY, 9, 0)) == (
        "Trung tâm đang đóng cửa. Mở cửa lại lúc 07:30 Thứ Năm, 10/12/2026."
    )
    # Monday evening: the next opening skips both closed days.
    assert refusal(point, local(MONDAY, 18, 0)).endswith("07:30 Thứ Năm, 10/12/2026.")


def test_another_points_closed_day_does_not_close_this_one(units, point):
    other = make_point(units["hoian"], name="Điểm hỗ trợ Cẩm Phô")
    ClosedDay.objects.create(date=MONDAY, point=other, reason="Họp")
    with freeze_time(local(MONDAY, 9, 0)):
        assert services.take_ticket(point=point, need="account").ticket.number == 1


@pytest.mark.parametrize("hour, minute", [(7, 30), (9, 0), (11, 29), (13, 30), (16, 59)])
def test_open_hours_issue_tickets(point, hour, minute):
    with freeze_time(local(MONDAY, hour, minute)):
        taken = services.take_ticket(point=point, need="account")
    assert taken.ticket.number == 1
    assert Ticket.objects.get().day == MONDAY


def test_saturday_morning_only(point):
    saturday = dt.date(2026, 12, 12)
    with freeze_time(local(saturday, 10, 0)):
        assert services.take_ticket(point=point, need="account").ticket.number == 1
    assert refusal(point, local(saturday, 14, 0)).endswith("07:30 Thứ Hai, 14/12/2026.")


def test_no_hours_recorded_means_always_open(units):
    point = make_point(units["hoian"], name="Điểm lưu động")
    with freeze_time(local(SUNDAY, 23, 50)):
        assert services.take_ticket(point=point, need="account").ticket.number == 1


def test_inactive_patterns_are_not_opening_hours(point):
    point.patterns.update(is_active=False)
    with freeze_time(local(SUNDAY, 12, 30)):
        assert services.take_ticket(point=point, need="account").ticket.number == 1


def test_a_closed_day_closes_a_point_without_hours(units):
    point = make_point(units["hoian"], name="Điểm lưu động")
    ClosedDay.objects.create(date=SUNDAY, point=None, reason="Nghỉ lễ")
    with freeze_time(local(SUNDAY, 10, 0)), translation.override("vi"), pytest.raises(DomainError) as caught:
        services.take_ticket(point=point, need="account")
    assert str(caught.value) == "Trung tâm đang đóng cửa. Mở cửa lại Thứ Hai, 07/12/2026."


def test_pure_schedule_without_any_opening_ahead():
    openings = [hours.Opening(weekdays=frozenset({1}), start=dt.time(8), end=dt.time(9))]
    closed = {MONDAY + dt.timedelta(days=7 * week) for week in range(60)}
    at = local(SUNDAY, 12, 0)
    assert not hours.is_open(openings, closed, at)
    assert hours.next_opening(openings, closed, at) is None


def test_changed_hours_take_effect_within_a_minute(point):
    # The point's hours are cached for a minute: taking a number stays a few queries.
    with freeze_time(local(SUNDAY, 12, 30)), pytest.raises(DomainError):
        services.take_ticket(point=point, need="account")
    roster_services.create_shift_pattern(
        by=None,
        point=point,
        name="Chủ nhật",
        weekdays=[7],
        start_time=dt.time(8, 0),
        end_time=dt.time(17, 0),
        demand=2,
    )
    with freeze_time(local(SUNDAY, 12, 30, 30)), pytest.raises(DomainError):
        services.take_ticket(point=point, need="account")
    with freeze_time(local(SUNDAY, 12, 32)):
        assert services.take_ticket(point=point, need="account").ticket.number == 1


# --- Where people see it -------------------------------------------------------------------------


def test_phone_page_shows_when_it_opens(point):
    with freeze_time(local(SUNDAY, 12, 30)):
        response = Client(HTTP_ACCEPT_LANGUAGE="vi").post(
            reverse("tickets:take", args=[point.pk]), {"need": "account"}
        )
    assert response.status_code == 200
    assert "Trung tâm đang đóng cửa. Mở cửa lại lúc 07:30 Thứ Hai, 07/12/2026." in response.content.decode()
    assert not Ticket.objects.exists()


def test_kiosk_shows_when_it_opens(client_for, kiosk, point):
    with freeze_time(local(SUNDAY, 12, 30)):
        response = client_for(kiosk).post(reverse("tickets:kiosk", args=[point.pk]), {"need": "account"})
    assert response.status_code == 200
    assert "Trung tâm đang đóng cửa. Mở cửa lại lúc 07:30 Thứ Hai, 07/12/2026." in response.content.decode()
    assert not Ticket.objects.exists()


def test_api_answers_the_refusal_as_json(point):
    with freeze_time(local(SUNDAY, 12, 30)):
        response = Client().post(
            "/api/v1/tickets",
            json.dumps({"service_point": point.pk, "need": "account"}),
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="vi",
        )
    assert response.status_code == 400
    assert response.json() == {
        "code": "point_closed_now",
        "message": "Trung tâm đang đóng cửa. Mở cửa lại lúc 07:30 Thứ Hai, 07/12/2026.",
    }
    assert not Ticket.objects.exists()
    with freeze_time(local(MONDAY, 8, 0)):
        response = Client().post(
            "/api/v1/tickets",
            json.dumps({"service_point": point.pk, "need": "account"}),
            content_type="application/json",
        )
    assert response.status_code == 201 and response.json()["number"] == 1
