"""The kiosk screen is in front of citizens: no staff menu and no "Sign out" (a citizen could sign
the kiosk out); staff keep both."""

import pytest
from django.urls import reverse
from freezegun import freeze_time

from xungkich.tickets import services
from xungkich.tickets.tests.helpers import DAY, local, make_point


@pytest.fixture
def point(units):
    return make_point(units["hoian"])


@pytest.fixture
def now():
    with freeze_time(local(DAY, 9, 0)) as frozen:
        yield frozen


def kiosk_pages(point, ticket):
    return [
        reverse("tickets:kiosk", args=[point.pk]),
        reverse("tickets:kiosk_issued", args=[point.pk, ticket.public_token]),
        reverse("home"),
        reverse("search:search"),
    ]


def test_kiosk_pages_show_no_staff_menu_and_no_sign_out(client_for, kiosk, point, now):
    ticket = services.take_ticket(point=point, need="account").ticket
    client = client_for(kiosk)
    for url in kiosk_pages(point, ticket):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
        assert response.status_code == 200, url
        html = response.content.decode()
        assert 'id="main-menu"' not in html, url
        assert 'id="menu-toggle"' not in html, url
        assert f'action="{reverse("logout")}"' not in html, url
        assert "Đăng xuất" not in html, url
        header = html.split('<main id="main"')[0]
        assert "Kiosk Trung tâm" not in header, url  # the account's name sat in the sign-out button
        # The site's name leads back to the kiosk, not to the account's home page.
        assert f'class="brand" href="{reverse("tickets:kiosk_index")}"' in html, url


def test_the_kiosk_still_hands_out_numbers(client_for, kiosk, point, now):
    client = client_for(kiosk)
    response = client.post(reverse("tickets:kiosk", args=[point.pk]), {"need": "payment"})
    assert response.status_code == 302 and "/t/" in response.url


@pytest.mark.parametrize("persona", ["coordinator", "volunteer_user"])
def test_staff_still_see_their_menu_and_sign_out(request, client_for, point, now, persona):
    user = request.getfixturevalue(persona)
    html = (
        client_for(user)
        .get(reverse("tickets:desk", args=[point.pk]), HTTP_ACCEPT_LANGUAGE="vi")
        .content.decode()
    )
    assert 'id="main-menu"' in html
    assert f'href="{reverse("tickets:desk_index")}"' in html
    assert f'action="{reverse("logout")}"' in html and "Đăng xuất" in html
    assert f'class="brand" href="{reverse("home")}"' in html


def test_the_issued_number_screen_returns_to_the_start_without_meta_refresh(client_for, kiosk, point, now):
    ticket = services.take_ticket(point=point, need="account").ticket
    html = (
        client_for(kiosk)
        .get(reverse("tickets:kiosk_issued", args=[point.pk, ticket.public_token]))
        .content.decode()
    )
    assert "http-equiv" not in html
    assert f'data-return-url="{reverse("tickets:kiosk", args=[point.pk])}" data-return-seconds="30"' in html
    assert 'src="/static/js/kiosk-return.js"' in html
    assert 'id="kiosk-done"' in html  # and a button for the next citizen at once
