"""Form fields that run the privacy screening (see xungkich.core.privacy)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext

from xungkich.core.errors import DomainError

from .privacy import clean_free_text


def _help_with_limit(help_text: Any, limit: int) -> str:
    words = gettext("At most %(limit)s characters.") % {"limit": limit}
    return f"{help_text} {words}" if help_text else words


help_with_limit = lazy(_help_with_limit, str)


class ScreenedTextField(forms.CharField):
    """Free text that refuses passwords and codes and masks personal identifiers.

    ``clean()`` returns the masked text (invisible characters removed, NFC); a secret becomes a
    ``ValidationError`` with code ``secret_in_notes`` and nothing reaches the database. With a
    ``max_length`` the help text says the limit (in the language of the page).
    """

    widget = forms.Textarea

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.help_text = help_with_limit(self.help_text, self.max_length)

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if value in self.empty_values:
            return value
        try:
            masked = clean_free_text(value)
        except DomainError as exc:
            raise ValidationError(cast(str, exc.message), code="secret_in_notes") from exc
        if masked != value:
            self.run_validators(masked)  # "[EMAIL]" may be longer than a short address
        return masked
