"""Forms of the campaigns app: they clean and normalise input, with no side effects."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from xungkich.campaigns.models import Activity, Campaign, Event
from xungkich.campaigns.photos import MAX_UPLOAD_BYTES
from xungkich.core.fields import ScreenedTextField
from xungkich.lib.phones import InvalidPhone, normalize_phone
from xungkich.lib.vietnamese import clean_text
from xungkich.people.models import AdminUnit, OrgUnit

DATE_INPUT = ["%d/%m/%Y", "%Y-%m-%d"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "name",
            "description",
            "unit",
            "units",
            "start_date",
            "end_date",
            "target_citizens_helped",
            "target_accounts_created",
            "target_materials",
            "target_participants",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "units": forms.CheckboxSelectMultiple,
            "name": forms.TextInput,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        # free text: screened for passwords, codes and identifiers (xungkich/core/free_text.py)
        field_classes = {"name": ScreenedTextField, "description": ScreenedTextField}

    def __init__(self, *args: Any, owner_units: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = owner_units  # type: ignore[attr-defined]
        self.fields["units"].queryset = owner_units  # type: ignore[attr-defined]
        for name in ("start_date", "end_date"):
            self.fields[name].input_formats = DATE_INPUT  # type: ignore[attr-defined]

    def clean_name(self) -> str:
        return clean_text(self.cleaned_data["name"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        return data


class ActivityForm(forms.ModelForm):
    photos = forms.FileField(
        label=_("Photos"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("JPEG, PNG or WebP, up to 8 MB. Location data is removed."),
    )

    class Meta:
        model = Activity
        fields = [
            "kind",
            "title",
            "date",
            "ward",
            "address",
            "latitude",
            "longitude",
            "units",
            "materials_count",
            "participants_count",
            "people_reached",
            "citizens_helped",
            "accounts_created",
            "notes",
        ]
        widgets = {
            "date": DateInput(),
            "units": forms.CheckboxSelectMultiple,
            "title": forms.TextInput,
            "address": forms.TextInput,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"title": ScreenedTextField, "address": ScreenedTextField, "notes": ScreenedTextField}

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = OrgUnit.objects.filter(  # type: ignore[attr-defined]
            pk__in=[campaign.unit_id, *[unit.pk for unit in campaign.units.all()]]
        )
        self.fields["ward"].queryset = AdminUnit.objects.exclude(kind=AdminUnit.Kind.PROVINCE)  # type: ignore[attr-defined]
        self.fields["date"].input_formats = DATE_INPUT  # type: ignore[attr-defined]

    def clean_title(self) -> str:
        return clean_text(self.cleaned_data["title"])

    def clean_photos(self) -> Any:
        upload = self.cleaned_data.get("photos")
        if upload and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The photo is too large; the limit is %(limit)s MB."),
                params={"limit": MAX_UPLOAD_BYTES // 1024 // 1024},
            )
        return upload


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Photo"), widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
    )

    def clean_photo(self) -> Any:
        upload = self.cleaned_data["photo"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The photo is too large; the limit is %(limit)s MB."),
                params={"limit": MAX_UPLOAD_BYTES // 1024 // 1024},
            )
        return upload


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "title",
            "description",
            "audience",
            "starts_at",
            "place",
            "ward",
            "capacity",
            "registration_open",
        ]
        widgets = {
            "audience": forms.RadioSelect,
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "title": forms.TextInput,
            "place": forms.TextInput,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {
            "title": ScreenedTextField,
            "description": ScreenedTextField,
            "place": ScreenedTextField,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].input_formats = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]  # type: ignore[attr-defined]
        self.fields["ward"].queryset = AdminUnit.objects.exclude(kind=AdminUnit.Kind.PROVINCE)  # type: ignore[attr-defined]

    def clean_title(self) -> str:
        return clean_text(self.cleaned_data["title"])


class SignUpForm(forms.Form):
    """The public sign-up: the minimum and explicit consent (never pre-ticked). Members give name,
    unit and phone; at an event for citizens (``citizens=True``) the unit fields are not there."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    unit = forms.ModelChoiceField(
        label=_("Your Youth Union unit"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("— another unit (write it below) —"),
    )
    unit_text = ScreenedTextField(
        label=_("Unit, if not in the list"), max_length=150, required=False, widget=forms.TextInput
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("To reach you about this event only."),
    )
    consent = forms.BooleanField(
        label=_("I agree"),
        required=True,
        error_messages={"required": _("Please tick the consent box to register.")},
    )
    consent_version = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], citizens: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.citizens = citizens
        if citizens:
            del self.fields["unit"], self.fields["unit_text"]
        else:
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def clean_full_name(self) -> str:
        name = clean_text(self.cleaned_data["full_name"])
        if len(name) < 2:
            raise forms.ValidationError(_("Enter your full name."))
        return name

    def clean_phone(self) -> str:
        try:
            return normalize_phone(self.cleaned_data["phone"])
        except InvalidPhone as exc:
            raise forms.ValidationError(
                _("Enter a valid Vietnamese mobile number, e.g. 0905 123 456.")
            ) from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.citizens:
            data["unit"], data["unit_text"] = None, ""
        elif not data.get("unit") and not clean_text(data.get("unit_text")):
            self.add_error("unit_text", _("Choose your unit from the list or write its name."))
        return data


class LostTicketForm(forms.Form):
    """The "I lost my ticket" form: the phone number the person registered with."""

    phone = forms.CharField(
        label=_("The mobile phone you registered with"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def clean_phone(self) -> str:
        try:
            return normalize_phone(self.cleaned_data["phone"])
        except InvalidPhone as exc:
            raise forms.ValidationError(
                _("Enter a valid Vietnamese mobile number, e.g. 0905 123 456.")
            ) from exc


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Ticket code"),
        max_length=300,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), max_length=100, required=False)
