"""``{% load helpdesk %}``: the rating link and QR code for a ticket, and the known issues box.

{% rating_url ticket %}              the absolute URL of /help/rate/<public_token>/
{% rating_qr ticket %}               an inline SVG QR code of it, with a caption
{% known_issues %}                   the open known issues of the user's ward team
"""

from __future__ import annotations

from typing import Any

import segno
from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.safestring import mark_safe

from xungkich.helpdesk.access import issues_for_user
from xungkich.lib.phones import display_phone
from xungkich.tickets.models import Ticket

register = template.Library()


@register.filter
def phone(value: str) -> str:
    """+84905123456 → 0905 123 456."""
    return display_phone(value)


@register.simple_tag(takes_context=True)
def rating_url(context: dict[str, Any], ticket: Ticket) -> str:
    path = reverse("helpdesk:rate", args=[ticket.public_token])
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else settings.XK_BASE_URL + path


@register.inclusion_tag("helpdesk/includes/rating_qr.html", takes_context=True)
def rating_qr(context: dict[str, Any], ticket: Ticket) -> dict[str, Any]:
    url = rating_url(context, ticket)
    svg = segno.make(url, error="m").svg_inline(scale=4, dark="#000", light="#fff")
    return {"svg": mark_safe(svg), "url": url}  # noqa: S308 — segno's own markup


@register.inclusion_tag("helpdesk/includes/known_issues.html", takes_context=True)
def known_issues(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    issues = issues_for_user(user).filter(closed_at=None)[:10] if user is not None else []
    return {"issues": issues}
