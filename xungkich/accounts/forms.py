"""Forms of the sign-in pages: they clean input and never write anything.

The password is checked through ``django.contrib.auth.authenticate(request, ...)`` so that
django-axes sees every attempt (it needs the request) and throttles repeated failures.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from xungkich.accounts.services import grantable_roles, normal_backup_code, username_taken
from xungkich.people.models import OrgUnit, Role, User

CODE_DIGITS = 6
_NOT_DIGITS = re.compile(r"[\s\-.]")


class LoginForm(AuthenticationForm):
    """Django's form (it passes ``request`` to ``authenticate``), with big, plain fields."""

    username = forms.CharField(
        label=_("User name"),
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "username",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _(
            "The user name or password is not right. Check them and try again; capital letters count."
        ),
        "inactive": _("This account has been switched off. Ask your coordinator."),
    }

    def get_invalid_login_error(self) -> ValidationError:
        return ValidationError(self.error_messages["invalid_login"], code="invalid_login")


class OTPCodeForm(forms.Form):
    """One 6-digit code from the authenticator app; spaces and dashes are ignored."""

    token = forms.CharField(
        label=_("6-digit code"),
        max_length=20,
        help_text=_("Open the authenticator app on your phone and type the code it shows now."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "class": "code-input",
                "size": 8,
            }
        ),
        error_messages={"required": _("Type the 6-digit code from your authenticator app.")},
    )

    # The sign-in step also takes a backup code ("abcde-fghij"); the setup step only app codes.
    allow_backup_code = True

    @sensitive_variables("value")
    def clean_token(self) -> str:
        raw = self.cleaned_data["token"]
        value = _NOT_DIGITS.sub("", raw)
        if len(value) == CODE_DIGITS and value.isascii() and value.isdigit():
            return value
        if self.allow_backup_code:
            backup = normal_backup_code(raw)
            if backup is not None:
                return backup
            raise ValidationError(
                _("The code is 6 digits, for example 123 456, or a backup code like abcde-fghij."),
                code="format",
            )
        raise ValidationError(_("The code is 6 digits, for example 123 456."), code="format")


class SetupCodeForm(OTPCodeForm):
    """The same code field, without autofocus: the QR code above it must stay in view."""

    allow_backup_code = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["token"].widget.attrs.pop("autofocus", None)
        self.fields["token"].help_text = ""


class DisableTwoFactorForm(forms.Form):
    """Re-enter the password before two-step sign-in is turned off.

    The check goes through ``authenticate`` so that guessing here is throttled like the login.
    """

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    def __init__(self, *args: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = user

    @sensitive_variables("password")
    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        checked = authenticate(self.request, username=self.user.get_username(), password=password)
        if checked is None or checked.pk != self.user.pk:
            raise ValidationError(_("That is not your password."), code="wrong_password")
        return password


class ResetRequestForm(PasswordResetForm):
    """Django's reset form with our label; it never says whether the address is known."""

    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        error_messages={
            "required": _("Enter the email address of your account."),
            "invalid": _("Enter an email address like name@example.com."),
        },
    )


class AcceptInvitationForm(forms.Form):
    """The invitee's user name and password, checked by the site's password validators."""

    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        validators=[User.username_validator],
        help_text=_("Letters, digits and . _ - only. You type it to sign in."),
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    new_password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    new_password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, full_name: str, email: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.full_name = full_name
        self.email = email

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if username_taken(username):
            raise ValidationError(_("This user name is taken. Choose another one."), code="username_taken")
        return username

    @sensitive_variables("first", "second")
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("new_password1"), data.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("The two passwords are not the same."))
        elif first:
            # The validators compare the password with the person's name and user name.
            person = User(username=data.get("username", ""), full_name=self.full_name, email=self.email)
            try:
                password_validation.validate_password(first, person)
            except ValidationError as error:
                self.add_error("new_password1", error)
        return data


class RoleForm(forms.Form):
    """A role and a unit, limited to what the signed-in person may grant."""

    role = forms.ChoiceField(label=_("Role"))
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none(), required=False)

    def __init__(self, *args: Any, by: User, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = grantable_roles(by)
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        role_field.choices = [(value, label) for value, label in Role.choices if value in allowed]
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units.order_by("path")
        unit_field.required = not by.is_superuser
