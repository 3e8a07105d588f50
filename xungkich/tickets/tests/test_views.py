"""Queue pages: each works, hides points from outsiders (404), refuses read-only users (403) and
wrong methods (405)."""

import pytest
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from xungkich.tickets import services
from xungkich.tickets.models import Ticket
from xungkich.tickets.tests.helpers import DAY, local, make_point

pytestmark = pytest.mark.usefixtures("no_rate_limit_leftovers")


@pytest.fixture
def no_rate_limit_leftovers(db):
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def point(units):
    return make_point(units["hoian"])


@pytest.fixture
def now():
    with freeze_time(local(DAY, 9, 0)) as frozen:
        yield frozen


def take(point, need="account"):
    return services.take_ticket(point=point, need=need).ticket


def with_desk(client, point, desk="Bàn 2"):
    response = client.post(reverse("tickets:desk", args=[point.pk]), {"desk": desk})
    assert response.status_code == 302
    return client


# --- Citizens ---------------------------------------------------------------------------------


def test_take_page_works_without_an_account(point, now):
    response = Client().get(reverse("tickets:take", args=[point.pk]))
    assert response.status_code == 200
    assert point.name in response.content.decode()
    assert b'name="need" value="account"' in response.content


def test_taking_a_ticket_on_a_phone_leads_to_its_page(point, now):
    take(point)
    response = Client().post(reverse("tickets:take", args=[point.pk]), {"need": "dossier"})
    ticket = Ticket.objects.get(number=2)
    assert response.status_code == 302
    assert response.url == reverse("tickets:ticket", args=[ticket.public_token])
    assert ticket.source == Ticket.Source.PHONE
    assert ticket.need == "dossier"
    page = Client().get(response.url).content.decode()
    assert "002" in page
    assert "1 người phía trước" in page or "1 person ahead" in page
    assert 'http-equiv="refresh"' not in page  # htmx polls the status instead (test_ticket_page)
    assert 'hx-trigger="every 15s"' in page


def test_a_bad_need_is_a_clear_error(point, now):
    response = Client().post(reverse("tickets:take", args=[point.pk]), {"need": "password"})
    assert response.status_code == 200
    assert "Hãy chọn việc bạn cần hỗ trợ." in response.content.decode()
    assert not Ticket.objects.exists()


def test_taking_too_many_from_one_address_gets_429(point, now, settings):
    settings.XK_TICKETS_RATE_PER_IP = (2, 600)
    client = Client()
    url = reverse("tickets:take", args=[point.pk])
    assert client.post(url, {"need": "other"}).status_code == 302
    assert client.post(url, {"need": "other"}).status_code == 302
    response = client.post(url, {"need": "other"})
    assert response.status_code == 429
    assert "Có quá nhiều số" in response.content.decode()
    assert Ticket.objects.count() == 2
    # Another address is not held back.
    assert Client(REMOTE_ADDR="10.0.0.9").post(url, {"need": "other"}).status_code == 302


def test_the_point_limit_holds_across_addresses(point, now, settings):
    settings.XK_TICKETS_RATE_PER_POINT = (2, 600)
    url = reverse("tickets:take", args=[point.pk])
    codes = [Client(REMOTE_ADDR=f"10.0.0.{i}").post(url, {"need": "other"}).status_code for i in range(3)]
    assert codes == [302, 302, 429]


def test_take_page_unknown_or_closed_point_is_404_and_put_is_405(point, now):
    assert Client().get(reverse("tickets:take", args=[point.pk + 99])).status_code == 404
    assert Client().put(reverse("tickets:take", args=[point.pk])).status_code == 405
    point.is_active = False
    point.save()
    assert Client().get(reverse("tickets:take", args=[point.pk])).status_code == 404


def test_ticket_page_shows_the_desk_once_called(point, now):
    ticket = take(point)
    services.call_next_ticket(point=point, desk="Bàn 3", by=None)
    page = Client().get(reverse("tickets:ticket", args=[ticket.public_token])).content.decode()
    assert "Bàn 3" in page
    assert Client().get(reverse("tickets:ticket", args=["nope"])).status_code == 404
    assert Client().post(reverse("tickets:ticket", args=[ticket.public_token])).status_code == 405


def test_a_finished_ticket_offers_the_rating(point, now):
    ticket = take(point)
    url = reverse("tickets:ticket", args=[ticket.public_token])
    assert 'id="rate-help"' not in Client().get(url).content.decode()
    called = services.call_next_ticket(point=point, desk="Bàn 1", by=None)
    services.finish_ticket(ticket=called, by=None)
    page = Client().get(url).content.decode()
    assert f'href="{reverse("helpdesk:rate", args=[ticket.public_token])}"' in page


def test_ticket_page_query_count(point, now, django_assert_num_queries):
    take(point)
    ticket = take(point)
    client = Client()
    # ticket with point, people ahead (the day's help times are cached since the takes)
    with django_assert_num_queries(2):
        assert client.get(reverse("tickets:ticket", args=[ticket.public_token])).status_code == 200


def test_citizen_cancels_own_ticket(point, now):
    ticket = take(point)
    url = reverse("tickets:ticket_cancel", args=[ticket.public_token])
    assert Client().get(url).status_code == 405
    assert Client().post(url).status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).status == Ticket.Status.CANCELLED


# --- Kiosk ------------------------------------------------------------------------------------


def test_kiosk_hands_out_numbers(client_for, kiosk, point, now):
    client = client_for(kiosk)
    index = client.get(reverse("tickets:kiosk_index"))
    assert index.status_code == 302
    assert index.url == reverse("tickets:kiosk", args=[point.pk])
    assert client.get(index.url).status_code == 200
    response = client.post(index.url, {"need": "payment"})
    ticket = Ticket.objects.get()
    assert ticket.source == Ticket.Source.KIOSK
    assert response.url == reverse("tickets:kiosk_issued", args=[point.pk, ticket.public_token])
    page = client.get(response.url).content.decode()
    assert "001" in page
    assert "<svg" in page  # the QR code to follow the number on a phone


def test_kiosk_is_not_rate_limited(client_for, kiosk, point, now, settings):
    settings.XK_TICKETS_RATE_PER_IP = (1, 600)
    client = client_for(kiosk)
    for _ in range(3):
        assert client.post(reverse("tickets:kiosk", args=[point.pk]), {"need": "app"}).status_code == 302


def test_kiosk_access(client_for, kiosk, viewer, outsider, point, now):
    url = reverse("tickets:kiosk", args=[point.pk])
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(viewer).get(url).status_code == 200
    assert client_for(viewer).post(url, {"need": "app"}).status_code == 403
    assert client_for(kiosk).put(url).status_code == 405
    assert Client().get(url).status_code == 302  # to the login page
    ticket = take(point)
    issued = reverse("tickets:kiosk_issued", args=[point.pk, ticket.public_token])
    assert client_for(outsider).get(issued).status_code == 404
    assert client_for(kiosk).post(issued).status_code == 405
    assert client_for(kiosk).post(reverse("tickets:kiosk_index")).status_code == 405
    assert client_for(outsider).get(reverse("tickets:kiosk_index")).status_code == 403


# --- Poster -----------------------------------------------------------------------------------


def test_poster_for_phones(client_for, coordinator, viewer, outsider, point):
    for name in ("tickets:poster", "tickets:poster_pdf"):
        url = reverse(name, args=[point.pk])
        response = client_for(coordinator).get(url)
        assert response.status_code == 200
        assert client_for(viewer).get(url).status_code == 403
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(coordinator).post(url).status_code == 405
    assert response.content.startswith(b"%PDF")
    page = client_for(coordinator).get(reverse("tickets:poster", args=[point.pk])).content.decode()
    assert f"/q/{point.pk}/" in page


# --- Board ------------------------------------------------------------------------------------


def test_board_is_public_and_shows_no_personal_data(point, now):
    response = Client().get(reverse("tickets:board", args=[point.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"/api/v1/board/{point.pk}" in page
    assert 'id="board-sound"' in page
    assert Client().post(reverse("tickets:board", args=[point.pk])).status_code == 405
    assert Client().get(reverse("tickets:board", args=[point.pk + 99])).status_code == 404


# --- Desk -------------------------------------------------------------------------------------


def test_desk_index_redirects_to_the_only_point(client_for, coordinator, kiosk, point):
    response = client_for(coordinator).get(reverse("tickets:desk_index"))
    assert response.url == reverse("tickets:desk", args=[point.pk])
    assert client_for(kiosk).get(reverse("tickets:desk_index")).status_code == 403
    assert client_for(coordinator).post(reverse("tickets:desk_index")).status_code == 405


def test_desk_lists_points_when_several(client_for, coordinator, units, point):
    make_point(units["branch"], name="Điểm hỗ trợ Minh An")
    page = client_for(coordinator).get(reverse("tickets:desk_index")).content.decode()
    assert "Điểm hỗ trợ Minh An" in page


def test_volunteer_chooses_desk_calls_and_finishes(client_for, volunteer_user, point, now):
    take(point)
    take(point)
    client = with_desk(client_for(volunteer_user), point, desk="  Bàn   2 ")
    page = client.get(reverse("tickets:desk", args=[point.pk])).content.decode()
    assert 'id="call-next"' in page
    assert "Bàn 2" in page
    response = client.post(reverse("tickets:desk_call_next", args=[point.pk]))
    assert response.status_code == 302
    ticket = Ticket.objects.get(number=1)
    assert ticket.status == Ticket.Status.CALLED
    assert ticket.desk == "Bàn 2"
    assert ticket.served_by == volunteer_user
    page = client.get(reverse("tickets:desk", args=[point.pk])).content.decode()
    assert 'id="current-number">001<' in page
    action = reverse("tickets:desk_ticket_action", args=[ticket.pk])
    assert client.post(action, {"action": "recall"}).status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).calls == 2
    response = client.post(action, {"action": "finish"})
    assert response.url == reverse("tickets:desk", args=[point.pk]) + f"?finished={ticket.pk}"
    page = client.get(response.url).content.decode()
    assert f'href="/desk/session/new/?ticket={ticket.pk}"' in page
    assert Ticket.objects.get(pk=ticket.pk).status == Ticket.Status.DONE


@pytest.mark.parametrize(("action", "status"), [("no_show", "no_show"), ("transfer", "transferred")])
def test_desk_actions(client_for, unit_leader, point, now, action, status):
    take(point)
    client = with_desk(client_for(unit_leader), point)
    client.post(reverse("tickets:desk_call_next", args=[point.pk]))
    ticket = Ticket.objects.get()
    client.post(reverse("tickets:desk_ticket_action", args=[ticket.pk]), {"action": action})
    assert Ticket.objects.get().status == status


def test_desk_action_errors_are_messages(client_for, coordinator, point, now):
    ticket = take(point)
    client = with_desk(client_for(coordinator), point)
    response = client.post(
        reverse("tickets:desk_ticket_action", args=[ticket.pk]), {"action": "finish"}, follow=True
    )
    assert "không còn ở bàn" in response.content.decode()
    response = client.post(
        reverse("tickets:desk_ticket_action", args=[ticket.pk]), {"action": "x"}, follow=True
    )
    assert "Hãy chọn một thao tác." in response.content.decode()


def test_calling_without_a_desk_or_an_empty_queue_says_so(client_for, coordinator, point, now):
    client = client_for(coordinator)
    response = client.post(reverse("tickets:desk_call_next", args=[point.pk]), follow=True)
    assert "Hãy chọn bàn của bạn trước." in response.content.decode()
    with_desk(client, point)
    response = client.post(reverse("tickets:desk_call_next", args=[point.pk]), follow=True)
    assert "Không có ai đang chờ." in response.content.decode()


def test_desk_choice_is_validated(client_for, coordinator, point):
    response = client_for(coordinator).post(reverse("tickets:desk", args=[point.pk]), {"desk": "B" * 40})
    assert response.status_code == 200
    assert "tối đa 30 ký tự" in response.content.decode()


def test_desk_access(client_for, viewer, outsider, kiosk, coordinator, point, now):
    ticket = take(point)
    desk = reverse("tickets:desk", args=[point.pk])
    call = reverse("tickets:desk_call_next", args=[point.pk])
    action = reverse("tickets:desk_ticket_action", args=[ticket.pk])
    assert client_for(outsider).get(desk).status_code == 404
    assert client_for(outsider).post(call).status_code == 404
    assert client_for(outsider).post(action, {"action": "finish"}).status_code == 404
    assert client_for(viewer).get(desk).status_code == 403  # the queue is for those who serve
    assert client_for(viewer).get(reverse("tickets:desk_index")).status_code == 403
    assert client_for(viewer).post(desk, {"desk": "Bàn 1"}).status_code == 403
    assert client_for(viewer).post(call).status_code == 403
    assert client_for(viewer).post(action, {"action": "finish"}).status_code == 403
    assert client_for(kiosk).get(desk).status_code == 403
    assert client_for(kiosk).post(action, {"action": "finish"}).status_code == 403
    assert client_for(coordinator).put(desk).status_code == 405
    assert client_for(coordinator).get(call).status_code == 405
    assert client_for(coordinator).get(action).status_code == 405
    assert Ticket.objects.get().status == Ticket.Status.WAITING


def test_desk_partial_for_htmx_polling(client_for, coordinator, point, now):
    take(point)
    response = client_for(coordinator).get(reverse("tickets:desk", args=[point.pk]), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="desk-queue"')
    assert 'id="waiting-count">1<' in page


def test_desk_page_query_count(client_for, coordinator, point, now, django_assert_num_queries):
    for _ in range(5):
        take(point)
    client = with_desk(client_for(coordinator), point)
    client.post(reverse("tickets:desk_call_next", args=[point.pk]))
    client.get(reverse("tickets:desk", args=[point.pk]))  # consume the message
    # session, user (+unit), point, the desk's current ticket; the board state from the cache
    with django_assert_num_queries(4):
        assert client.get(reverse("tickets:desk", args=[point.pk])).status_code == 200


def test_a_very_long_queue_is_counted_up_to_a_limit(point, now, monkeypatch):
    monkeypatch.setattr(services, "AHEAD_LIMIT", 3)
    for _ in range(4):
        take(point)
    fifth = take(point)
    assert services.people_ahead(fifth) == 3  # four are waiting before it
    page = Client().get(reverse("tickets:ticket", args=[fifth.public_token])).content.decode()
    assert "Trước bạn có từ 3 người trở lên" in page
    assert "phút chờ trở lên" in page
    fourth_ahead = services.people_ahead(Ticket.objects.get(point=point, number=3))
    assert fourth_ahead == 2  # below the limit: exact
