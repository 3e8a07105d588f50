"""Forms of the queue pages: they clean input and have no side effects."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xungkich.core.errors import DomainError
from xungkich.tickets import services
from xungkich.tickets.models import Need

DESK_CHOICES = [f"Bàn {n}" for n in range(1, 9)]


class NeedForm(forms.Form):
    need = forms.ChoiceField(
        label=_("What do you need help with?"),
        choices=Need.choices,
        error_messages={
            "required": _("Choose what you need help with."),
            "invalid_choice": _("Choose what you need help with."),
        },
    )


class DeskForm(forms.Form):
    desk = forms.CharField(label=_("Your desk"), max_length=60)

    def clean_desk(self) -> str:
        try:
            return services.clean_desk(self.cleaned_data["desk"])
        except DomainError as exc:
            raise forms.ValidationError(str(exc), code=exc.code) from exc


class TicketActionForm(forms.Form):
    ACTIONS = [
        ("recall", _("Call again")),
        ("no_show", _("Did not come")),
        ("transfer", _("Send to an official counter")),
        ("finish", _("Finish")),
    ]
    action = forms.ChoiceField(choices=ACTIONS)
