"""The one exception services raise for rule violations people can fix."""

from __future__ import annotations

from django.utils.functional import Promise


class DomainError(Exception):
    """A rule of the domain was broken.

    ``message`` is translated text for people; ``code`` is stable, for the API and for tests.
    """

    def __init__(self, message: str | Promise, code: str, *, details: object = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.details = details

    def __str__(self) -> str:
        return str(self.message)
