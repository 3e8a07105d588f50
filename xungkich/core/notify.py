"""Sending a message to a person: the ``Notifier`` interface, its e-mail implementation, the registry.

Messages go through a ``Notifier``: e-mail today; an SMS or Zalo gateway plugs in later by
registering a class (``register_notifier("zalo", ZaloNotifier)``) or by naming its dotted path in
``settings.XK_NOTIFIER``. The setting is read each time a notifier is needed, never at import.

Rosters (reminders, swaps) and campaigns (tickets sent again) write the messages; this module only
carries them, so it knows no domain.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mail
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from xungkich.people.models import User, Volunteer

Link = tuple[str, str]  # (label, absolute URL)


@runtime_checkable
class Notifier(Protocol):
    """Sends one message to one person. Returns False when the person cannot be reached this way
    (no e-mail address, no phone number); raises only for a failure worth retrying."""

    name: str

    def send(self, *, to: Volunteer | User, subject: str, body: str, links: Sequence[Link] = ()) -> bool: ...


class EmailNotifier:
    name = "email"

    def send(self, *, to: Volunteer | User, subject: str, body: str, links: Sequence[Link] = ()) -> bool:
        address = (getattr(to, "email", "") or "").strip()
        if not address:
            return False
        text = body.rstrip()
        if links:
            text += "\n\n" + "\n".join(f"{label}:\n{url}\n" for label, url in links)
        subject = " ".join(subject.split())
        return send_mail(subject, text, None, [address], fail_silently=False) > 0


_REGISTRY: dict[str, Callable[[], Notifier]] = {"email": EmailNotifier}


def register_notifier(name: str, factory: Callable[[], Notifier]) -> None:
    """Make a gateway available under a short name for ``settings.XK_NOTIFIER``."""
    _REGISTRY[name] = factory


def get_notifier(name: str | None = None) -> Notifier:
    name = name or getattr(settings, "XK_NOTIFIER", "email") or "email"
    factory = _REGISTRY.get(name)
    if factory is None:
        if "." not in name:
            raise ImproperlyConfigured(f"Unknown XK_NOTIFIER {name!r}; known: {', '.join(sorted(_REGISTRY))}")
        factory = import_string(name)
    notifier = factory()
    if not isinstance(notifier, Notifier):
        raise ImproperlyConfigured(f"XK_NOTIFIER {name!r} does not provide send(*, to, subject, body, links)")
    return notifier


def site_url() -> str:
    """Where links in messages point (settings.XK_BASE_URL, e.g. https://xungkich.example.vn)."""
    return (getattr(settings, "XK_BASE_URL", "") or "http://127.0.0.1:8000").rstrip("/")
