"""The citizen's ticket page: one rating link in the body, nothing visible in <head>, and a
status that refreshes itself without <meta http-equiv="refresh"> (axe: meta-refresh)."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from xungkich.tickets import services
from xungkich.tickets.tests.helpers import DAY, local, make_point

# What may stand in <head>: nothing of it is shown.
HEAD_TAGS = {"meta", "title", "link", "script", "style", "base", "noscript"}


class Outline(HTMLParser):
    """The tags opened inside <head>, the ids used, and the text of the body."""

    def __init__(self) -> None:
        super().__init__()
        self.in_head = False
        self.head_tags: list[str] = []
        self.ids: list[str] = []
        self.meta_refresh = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif self.in_head:
            self.head_tags.append(tag)
        element_id = attributes.get("id")
        if element_id:
            self.ids.append(element_id)
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            self.meta_refresh += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


@pytest.fixture
def point(units):
    return make_point(units["hoian"])


@pytest.fixture
def now():
    with freeze_time(local(DAY, 9, 0)) as frozen:
        yield frozen


def page(ticket, **headers):
    return Client(HTTP_ACCEPT_LANGUAGE="vi", **headers).get(
        reverse("tickets:ticket", args=[ticket.public_token])
    )


def test_a_finished_ticket_has_one_rating_link_in_the_body(point, now):
    ticket = services.take_ticket(point=point, need="account").ticket
    called = services.call_next_ticket(point=point, desk="Bàn 1", by=None)
    services.finish_ticket(ticket=called, by=None)
    html = page(ticket).content.decode()
    found = outline(html)
    assert found.ids.count("rate-help") == 1
    assert html.count("Bạn thấy sự hỗ trợ thế nào?") == 1
    assert set(found.head_tags) <= HEAD_TAGS, found.head_tags
    head = html.split("</head>")[0]
    assert "rate-help" not in head


@pytest.mark.parametrize("called", [False, True])
def test_the_status_refreshes_without_meta_refresh(point, now, called):
    ticket = services.take_ticket(point=point, need="account").ticket
    if called:
        services.call_next_ticket(point=point, desk="Bàn 1", by=None)
    html = page(ticket).content.decode()
    found = outline(html)
    assert found.meta_refresh == 0
    assert set(found.head_tags) <= HEAD_TAGS, found.head_tags
    url = reverse("tickets:ticket", args=[ticket.public_token])
    # htmx polls the status partial; without JavaScript a plain link reloads the page.
    assert f'hx-get="{url}"' in html
    assert 'hx-trigger="every 15s"' in html
    assert f'<a id="ticket-refresh" href="{url}">Làm mới</a>' in html


def test_htmx_gets_the_status_partial_and_polling_stops_when_done(point, now):
    ticket = services.take_ticket(point=point, need="account").ticket
    partial = page(ticket, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    body = partial.content.decode()
    assert "<html" not in body and 'id="ticket-number"' in body
    services.call_next_ticket(point=point, desk="Bàn 4", by=None)
    called = page(ticket, HTTP_HX_REQUEST="true")
    assert called.status_code == 200 and "Bàn 4" in called.content.decode()
    services.finish_ticket(ticket=ticket, by=None)
    done = page(ticket, HTTP_HX_REQUEST="true")
    # 286: htmx swaps the final status in and stops polling.
    assert done.status_code == 286
    assert done.content.decode().count('id="rate-help"') == 1
    full = page(ticket).content.decode()
    assert "hx-trigger" not in full and 'id="ticket-refresh"' not in full
