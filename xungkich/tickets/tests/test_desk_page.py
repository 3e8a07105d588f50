"""The desk page: "Call the next number" is there at once when the desk field has a value (the
default "Bàn 1" or the desk remembered today); calling posts the desk field and remembers it."""

import pytest
from django.urls import reverse
from freezegun import freeze_time

from xungkich.tickets import services
from xungkich.tickets.models import Ticket
from xungkich.tickets.tests.helpers import DAY, local, make_point


@pytest.fixture
def point(units):
    return make_point(units["hoian"])


@pytest.fixture
def now():
    with freeze_time(local(DAY, 9, 0)) as frozen:
        yield frozen


def test_call_next_is_there_before_saving_a_desk(client_for, volunteer_user, point, now):
    services.take_ticket(point=point, need="account")
    client = client_for(volunteer_user)
    page = client.get(reverse("tickets:desk", args=[point.pk]), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert 'id="call-next"' in page
    assert "Gọi số tiếp theo đến Bàn 1" in page
    assert 'id="id_desk" name="desk" list="desk-choices" value="Bàn 1"' in page
    # The button sends the desk field (whatever it holds now) to the call.
    assert 'form="desk-form"' in page
    assert f'formaction="{reverse("tickets:desk_call_next", args=[point.pk])}"' in page


def test_calling_with_the_desk_field_calls_to_it_and_remembers_it(client_for, volunteer_user, point, now):
    services.take_ticket(point=point, need="account")
    services.take_ticket(point=point, need="account")
    client = client_for(volunteer_user)
    response = client.post(reverse("tickets:desk_call_next", args=[point.pk]), {"desk": " Bàn  1 "})
    assert response.status_code == 302
    ticket = Ticket.objects.get(number=1)
    assert ticket.status == Ticket.Status.CALLED and ticket.desk == "Bàn 1"
    page = client.get(reverse("tickets:desk", args=[point.pk]), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert 'id="current-number">001<' in page
    assert "Bàn của bạn: Bàn 1 (đổi)" in page


def test_a_remembered_desk_is_offered_and_a_typed_one_wins(client_for, volunteer_user, point, now):
    services.take_ticket(point=point, need="account")
    client = client_for(volunteer_user)
    client.post(reverse("tickets:desk", args=[point.pk]), {"desk": "Bàn 5"})
    page = client.get(reverse("tickets:desk", args=[point.pk]), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Gọi số tiếp theo đến Bàn 5" in page
    # Typed into the field without pressing "Save": the call goes to the typed desk.
    client.post(reverse("tickets:desk_call_next", args=[point.pk]), {"desk": "Bàn 6"})
    assert Ticket.objects.get().desk == "Bàn 6"


def test_a_bad_desk_in_the_call_is_a_clear_message(client_for, volunteer_user, point, now):
    services.take_ticket(point=point, need="account")
    client = client_for(volunteer_user)
    response = client.post(
        reverse("tickets:desk_call_next", args=[point.pk]),
        {"desk": "B" * 40},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code == 200
    assert "tối đa 30 ký tự" in response.content.decode()
    assert Ticket.objects.get().status == Ticket.Status.WAITING
