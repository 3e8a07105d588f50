"""Background work of the campaigns: sending a lost ticket's link again (``services.request_ticket_resend``
queues it; ``ticket_links`` does the sending).

Sending in the background keeps the "I lost my ticket" page as fast for a registered number as for
any other (it tells nobody which numbers are registered) and off the SMS gateway's latency.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django_tasks import task

from xungkich.campaigns import ticket_links
from xungkich.campaigns.models import Registration


@task()
def send_ticket_link(registration_id: int, language: str) -> dict[str, bool]:
    """Send the ticket link, in the language of the page the person used."""
    registration = (
        Registration.objects.select_related("event__campaign__unit")
        .exclude(status=Registration.Status.CANCELLED)
        .filter(pk=registration_id)
        .first()
    )
    if registration is None:  # cancelled in the meantime
        return {"delivered": False}
    with translation.override(language or settings.LANGUAGE_CODE):
        return {"delivered": ticket_links.send_ticket_link(registration=registration)}
