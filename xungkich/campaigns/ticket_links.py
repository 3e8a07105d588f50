"""Sending an event ticket's link to the phone it was registered with (the lost-ticket page).

Apart from ``services`` so that the background task (``tasks.send_ticket_link``) imports only what it
runs, and the service that queues it never imports itself back through the task.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, cast

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xungkich.campaigns.models import Registration
from xungkich.core.audit import log_action
from xungkich.core.notify import Notifier, get_notifier, site_url

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TicketHolder:
    """Whom a ticket message goes to: only what the registration holds (no e-mail is collected).

    It reads like a volunteer to a notifier (``full_name``, ``phone``, ``email``): an SMS or Zalo
    notifier sends to ``phone``; the e-mail notifier finds no address and reports it unreachable."""

    full_name: str
    phone: str
    email: str = ""


def send_ticket_link(
    *, registration: Registration, notifier: Notifier | None = None, base_url: str | None = None
) -> bool:
    """Send the address of the ticket page (QR code and short code) to the phone it was registered
    with, through ``settings.XK_NOTIFIER``. True when the gateway took the message."""
    event = registration.event
    base = (base_url or site_url()).rstrip("/")
    url = base + reverse("campaigns:ticket", args=[registration.token])
    starts = timezone.localtime(event.starts_at)
    subject = _("Your ticket: %(event)s") % {"event": event.title}
    body = _(
        "Your ticket for “%(event)s”, %(time)s %(date)s at %(place)s. Ticket code: %(code)s. "
        "Show the QR code on the ticket page at the meeting place."
    ) % {
        "event": event.title,
        "time": starts.strftime("%H:%M"),
        "date": starts.strftime("%d/%m/%Y"),
        "place": event.place,
        "code": registration.code,
    }
    holder = TicketHolder(full_name=registration.full_name, phone=registration.phone)
    name = "?"
    try:
        notifier = notifier or get_notifier()
        name = notifier.name
        # The notifier interface names volunteers and users; a ticket holder has the same fields.
        delivered = bool(
            notifier.send(to=cast(Any, holder), subject=subject, body=body, links=[(_("Your ticket"), url)])
        )
    except Exception:  # a gateway failure: logged, and recorded as not delivered
        logger.exception("Sending the ticket link of registration %s failed", registration.pk)
        delivered = False
    log_action(
        actor=None,
        action="registration.ticket_sent",
        obj=registration,
        unit=event.campaign.unit,
        after={"notifier": name, "delivered": delivered},
    )
    return delivered
