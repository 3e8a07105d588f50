"""Forms of self sign-up and of the volunteer's own profile.

Both are the volunteer form with fewer fields, so a person signing up or changing their phone meets
the same cleaning and checks as a leader adding them (names, phones to E.164, the phone clash).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import password_validators_help_text_html, validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from xungkich.accounts import signup
from xungkich.core.fields import ScreenedTextField
from xungkich.core.free_text import SCREENED
from xungkich.lib.phones import display_phone
from xungkich.people.forms import VolunteerForm
from xungkich.people.models import OrgUnit, User


class SignupForm(VolunteerForm):
    """The public form behind a unit's link: the volunteer's details, an account name and password."""

    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        validators=[User.username_validator],
        help_text=_("Letters, digits and @ . + - _ only; you sign in with it."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    consent = forms.BooleanField(label=_("I agree"), required=True)

    class Meta(VolunteerForm.Meta):
        fields = ["full_name", "birth_date", "gender", "phone", "email", "skills"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, units=OrgUnit.objects.none(), **kwargs)
        self.fields["phone"].required = True
        self.fields["consent"].help_text = signup.consent_text()

    def clean_phone_unique(self) -> None:
        phone = self.cleaned_data.get("phone")
        if phone and signup.phone_taken(phone):
            message = _(
                "This phone number is already registered. If you already volunteer with us, ask "
                "your unit leader for an account instead of signing up again."
            )
            self.add_error("phone", ValidationError(message, code="phone_taken"))

    def clean_username(self) -> str:
        username = str(self.cleaned_data["username"]).strip()
        if signup.username_taken(username):
            raise ValidationError(_("This user name is taken; choose another."), code="username_taken")
        return username

    @sensitive_variables("first", "second")
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            probe = User(
                username=cleaned.get("username") or "",
                full_name=cleaned.get("full_name") or "",
                email=cleaned.get("email") or "",
            )
            try:
                validate_password(first, user=probe)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    @sensitive_variables()
    def password_hash(self) -> str:
        """Django's hash of the chosen password: all that is kept of it."""
        return make_password(self.cleaned_data["password1"])


class ProfileForm(VolunteerForm):
    """What a volunteer changes on their own profile: how to reach them and what they can do."""

    class Meta(VolunteerForm.Meta):
        fields = ["phone", "skills"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, units=OrgUnit.objects.none(), **kwargs)
        if self.instance.phone:  # as people write it (0905 123 456), not as stored (+84…)
            self.initial["phone"] = display_phone(self.instance.phone)


class RejectForm(forms.Form):
    reason = ScreenedTextField(
        label=_("Reason (optional, shown to no one outside the unit)"),
        max_length=SCREENED["accounts.SignupRequest"]["reason"],
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
