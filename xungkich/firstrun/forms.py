"""The first-run form: the province, its first coordinator and its first service point."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from xungkich.lib.vietnamese import clean_text
from xungkich.people.adminunits import shipped_provinces
from xungkich.people.models import User


class SetupForm(forms.Form):
    province = forms.ChoiceField(
        label=_("Province or centrally-run city"),
        help_text=_("Its Youth Union and one Youth Union for each of its wards and communes are created."),
    )
    full_name = forms.CharField(label=_("Coordinator's full name"), max_length=150)
    username = forms.CharField(
        label=_("Coordinator's username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    password1 = forms.CharField(
        label=_("Coordinator's password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    point_name = forms.CharField(
        label=_("First service point"),
        max_length=150,
        help_text=_("For example the province's public administration service centre."),
    )
    point_address = forms.CharField(label=_("Address"), max_length=255, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        province = self.fields["province"]
        assert isinstance(province, forms.ChoiceField)
        province.choices = [("", "—"), *((code, f"{name} ({code})") for code, name in shipped_provinces())]

    def clean_username(self) -> str:
        return clean_text(self.cleaned_data["username"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password = data.get("password1")
        if password and password != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif password:
            candidate = User(username=data.get("username", ""), full_name=data.get("full_name", ""))
            try:
                validate_password(password, candidate)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data
