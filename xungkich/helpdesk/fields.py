"""Form fields that run the privacy screening (see xungkich.helpdesk.privacy)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from xungkich.core.errors import DomainError

from .privacy import clean_free_text


class ScreenedTextField(forms.CharField):
    """Free text that refuses passwords and codes and masks personal identifiers.

    ``clean()`` returns the masked text; a secret becomes a ``ValidationError`` with
    code ``secret_in_notes`` and nothing reaches the database.
    """

    widget = forms.Textarea

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
