from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xungkich.core.fields import ScreenedTextField
from xungkich.lib.phones import InvalidPhone, normalize_phone
from xungkich.lib.vietnamese import clean_text
from xungkich.people.models import AdminUnit, OrgUnit, Skill, Volunteer

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


class VolunteerForm(forms.ModelForm):
    """Cleans and normalises; the service does the writing."""

    class Meta:
        model = Volunteer
        fields = [
            "full_name",
            "birth_date",
            "gender",
            "unit",
            "position",
            "phone",
            "email",
            "skills",
            "joined_on",
            "notes",
        ]
        widgets = {
            "birth_date": DATE_WIDGET,
            "joined_on": DATE_WIDGET,
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "skills": forms.CheckboxSelectMultiple,
            "position": forms.TextInput,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        # free text: screened for passwords, codes and identifiers (xungkich/core/free_text.py)
        field_classes = {"position": ScreenedTextField, "notes": ScreenedTextField}

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Forms built on this one may leave the unit out (self sign-up, the volunteer's own profile).
        if "unit" in self.fields:
            self._set_choices("unit", units)
        self._set_choices("skills", Skill.objects.all())

    def _set_choices(self, name: str, queryset: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queryset

    def clean_full_name(self) -> str:
        return clean_text(self.cleaned_data["full_name"])

    def clean_position(self) -> str:
        return clean_text(self.cleaned_data.get("position"))

    def clean_phone(self) -> str:
        raw = self.cleaned_data.get("phone") or ""
        if not raw.strip():
            return ""
        try:
            return normalize_phone(raw)
        except InvalidPhone:
            raise forms.ValidationError(
                _("Enter a Vietnamese phone number, for example 0905 123 456."), code="phone_invalid"
            ) from None

    def clean_phone_unique(self) -> None:
        phone = self.cleaned_data.get("phone")
        if phone:
            clash = Volunteer.objects.filter(phone=phone)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("phone", _("Another volunteer already has this phone number."))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_phone_unique()
        return cleaned

    def validate_unique(self) -> None:
        # The phone clash is reported by clean_phone_unique with a clearer message.
        pass


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrgUnit.Kind.choices)
    parent = forms.ModelChoiceField(label=_("Parent unit"), queryset=OrgUnit.objects.none())
    admin_unit = forms.ModelChoiceField(
        label=_("Administrative unit"),
        queryset=AdminUnit.objects.exclude(kind=AdminUnit.Kind.PROVINCE),
        required=False,
        help_text=_("The ward or commune this unit serves, if any."),
    )

    def __init__(self, *args: Any, parents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        parent.queryset = parents

    def clean_name(self) -> str:
        return clean_text(self.cleaned_data["name"])


class VolunteerFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none(), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("active", _("Active")), ("inactive", _("Inactive")), ("all", _("All"))],
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = units
