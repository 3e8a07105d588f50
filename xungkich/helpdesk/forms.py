"""Forms of the help desk: clean and normalise, no side effects."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from xungkich.campaigns.models import Activity
from xungkich.core import free_text
from xungkich.core.errors import DomainError
from xungkich.core.fields import ScreenedTextField
from xungkich.helpdesk import consent
from xungkich.helpdesk.models import (
    AgeBand,
    Channel,
    FailureReason,
    Gender,
    HelpSession,
    Outcome,
    PerformedBy,
    PlaceKind,
    TrackingState,
)
from xungkich.helpdesk.services import SessionInput, check_session_input
from xungkich.people.models import AdminUnit
from xungkich.places.models import ServicePoint
from xungkich.tickets.models import Need, Ticket

DATE_INPUTS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"]
DATE_ATTRS = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}

FIRST_ONLINE_CHOICES = [("", _("Not asked")), ("yes", _("Yes, the first")), ("no", _("No"))]

# Which field shows a rule's error (the rest go on top of the form).
ERROR_FIELDS = {
    "reason_required": "failure_reason",
    "point_required": "point",
    "place_required": "place_text",
    "phone_required": "followup_phone",
    "invalid_phone": "followup_phone",
    "dossier_code_required": "dossier_code",
    "invalid_duration": "duration_minutes",
    "secret_in_notes": "notes",
}


def wards() -> QuerySet[AdminUnit]:
    """Current wards and communes (the two-tier units)."""
    return AdminUnit.objects.exclude(kind=AdminUnit.Kind.PROVINCE).order_by("name")


#: What is asked only with the person's consent, recorded when the session is first saved online.
CONSENT_FIELDS = (
    "followup_consent",
    "followup_phone",
    "tracking_consent",
    "dossier_code",
    "expected_result_on",
)


class Chips(forms.RadioSelect):
    """Radio buttons drawn as big tappable chips (see static/css/helpdesk.css)."""

    template_name = "helpdesk/widgets/chips.html"


class HelpSessionForm(forms.Form):
    point = forms.ModelChoiceField(
        label=_("Service point"), queryset=ServicePoint.objects.none(), required=False, empty_label=None
    )
    place_kind = forms.ChoiceField(
        label=_("Where"), choices=PlaceKind.choices, initial=PlaceKind.POINT, widget=Chips
    )
    place_text = ScreenedTextField(
        label=_("Place (village, street, event)"),
        max_length=free_text.PLACE,
        required=False,
        widget=forms.TextInput,
    )
    place_ward = forms.ModelChoiceField(label=_("Ward of the place"), queryset=wards(), required=False)
    activity = forms.ModelChoiceField(
        label=_("Campaign activity"),
        queryset=Activity.objects.none(),
        required=False,
        help_text=_("Help given at a mobile desk or door to door counts towards the campaign."),
    )
    need = forms.ChoiceField(label=_("Need"), choices=Need.choices, widget=Chips)
    procedure_code = ScreenedTextField(
        label=_("Procedure code"),
        max_length=free_text.SCREENED["helpdesk.HelpSession"]["procedure_code"],
        required=False,
        help_text=_("For example 1.004222 (from the portal)."),
        widget=forms.TextInput,
    )
    procedure_name = ScreenedTextField(
        label=_("Procedure name"),
        max_length=free_text.PROCEDURE_NAME,
        required=False,
        widget=forms.TextInput,
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=Channel.choices, initial=Channel.VNEID, widget=Chips
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, initial=Outcome.DONE, widget=Chips
    )
    failure_reason = forms.ChoiceField(
        label=_("Why not"), choices=FailureReason.choices, required=False, widget=Chips
    )
    duration_minutes = forms.IntegerField(label=_("Minutes"), min_value=0, max_value=600, required=False)
    age_band = forms.ChoiceField(label=_("Age"), choices=AgeBand.choices, required=False, widget=Chips)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, required=False, widget=Chips)
    ward = forms.ModelChoiceField(label=_("Ward of residence"), queryset=wards(), required=False)
    first_online = forms.ChoiceField(
        label=_("First online procedure?"), choices=FIRST_ONLINE_CHOICES, required=False, widget=Chips
    )
    performed_by = forms.ChoiceField(
        label=_("Who did the steps"), choices=PerformedBy.choices, initial=PerformedBy.GUIDED, widget=Chips
    )
    notes = ScreenedTextField(
        label=_("Notes"),
        required=False,
        max_length=free_text.NOTES,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Never write a password, OTP or passcode. ID and phone numbers are masked."),
    )
    followup_consent = forms.BooleanField(
        label=_("The person agrees to one follow-up call"),
        required=False,
        help_text=consent.current_text("followup"),
    )
    followup_phone = forms.CharField(
        label=_("Phone for the follow-up call"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    tracking_consent = forms.BooleanField(
        label=_("The person agrees that we follow the dossier until the result"),
        required=False,
        help_text=consent.current_text("tracking"),
    )
    dossier_code = forms.CharField(label=_("Dossier code"), max_length=60, required=False)
    expected_result_on = forms.DateField(
        label=_("Expected result date"),
        input_formats=DATE_INPUTS,
        required=False,
        widget=forms.DateInput(
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}, format="%d/%m/%Y"
        ),
    )

    def __init__(
        self,
        *args: Any,
        points: QuerySet[ServicePoint],
        ticket: Ticket | None = None,
        editing: bool = False,
        fixed_point: ServicePoint | None = None,
        activities: QuerySet[Activity] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if activities is None:
            del self.fields["activity"]
        else:
            self.fields["activity"].queryset = activities  # type: ignore[attr-defined]
        self.ticket = ticket
        self.fixed_point = fixed_point  # editing: the point stays what it was
        self.fields["point"].queryset = points  # type: ignore[attr-defined]
        if ticket is not None:
            self.fields["point"].disabled = True
            self.fields["point"].initial = ticket.point_id
            self.fields["need"].initial = ticket.need
        else:
            first_two = list(points[:2])
            if len(first_two) == 1:  # one point: nothing to choose
                self.fields["point"].initial = first_two[0].pk
        if editing:
            for name in ("point", *CONSENT_FIELDS):
                del self.fields[name]

    def to_input(self) -> SessionInput:
        data = self.cleaned_data
        first = data.get("first_online")
        return SessionInput(
            need=data["need"],
            outcome=data["outcome"],
            channel=data["channel"],
            failure_reason=data.get("failure_reason") or "",
            duration_minutes=data.get("duration_minutes"),
            age_band=data.get("age_band") or "",
            gender=data.get("gender") or "",
            ward=data.get("ward"),
            first_online=None if not first else first == "yes",
            performed_by=data["performed_by"],
            notes=data.get("notes") or "",
            procedure_code=data.get("procedure_code") or "",
            procedure_name=data.get("procedure_name") or "",
            place_kind=data["place_kind"],
            place_text=data.get("place_text") or "",
            place_ward=data.get("place_ward"),
            activity=data.get("activity"),
            point=self.ticket.point if self.ticket is not None else (self.fixed_point or data.get("point")),
            ticket=self.ticket,
            followup_consent=bool(data.get("followup_consent")),
            followup_phone=data.get("followup_phone") or "",
            tracking_consent=bool(data.get("tracking_consent")),
            dossier_code=data.get("dossier_code") or "",
            expected_result_on=data.get("expected_result_on"),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            checked = check_session_input(self.to_input())
        except DomainError as exc:
            name = ERROR_FIELDS.get(exc.code)
            if isinstance(exc.details, dict) and exc.details.get("field") in self.fields:
                name = exc.details["field"]  # a secret or an over-long text in the place, not the notes
            if exc.code == "consent_required":
                name = "tracking_consent" if cleaned.get("dossier_code") else "followup_consent"
            self.add_error(name if name in self.fields else None, str(exc.message))
            return cleaned
        cleaned["followup_phone"] = checked.followup_phone
        return cleaned

    @classmethod
    def initial_from(cls, session: HelpSession) -> dict[str, Any]:
        initial = {
            name: getattr(session, name)
            for name in (
                "place_kind",
                "place_text",
                "place_ward",
                "activity",
                "need",
                "procedure_code",
                "procedure_name",
                "channel",
                "outcome",
                "failure_reason",
                "duration_minutes",
                "age_band",
                "gender",
                "ward",
                "performed_by",
                "notes",
            )
        }
        initial["first_online"] = (
            "" if session.first_online is None else ("yes" if session.first_online else "no")
        )
        return initial


class SessionFilterForm(forms.Form):
    date_from = forms.DateField(
        label=_("From"), input_formats=DATE_INPUTS, required=False, widget=forms.DateInput(attrs=DATE_ATTRS)
    )
    date_to = forms.DateField(
        label=_("To"), input_formats=DATE_INPUTS, required=False, widget=forms.DateInput(attrs=DATE_ATTRS)
    )
    point = forms.ModelChoiceField(
        label=_("Service point"), queryset=ServicePoint.objects.none(), required=False
    )
    need = forms.ChoiceField(label=_("Need"), choices=[("", _("All")), *Need.choices], required=False)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", _("All")), *Outcome.choices], required=False
    )

    def __init__(self, *args: Any, points: QuerySet[ServicePoint], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = points  # type: ignore[attr-defined]


class TrackingForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Follow-up of the dossier"),
        choices=[c for c in TrackingState.choices if c[0]],
        widget=Chips,
    )


class FollowUpAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Since the help, has the person done an online procedure on their own?"),
        choices=[("yes", _("Yes")), ("no", _("No")), ("unreachable", _("Could not reach"))],
        widget=Chips,
    )


class PhoneLookupForm(forms.Form):
    phone = forms.CharField(
        label=_("Phone number"), max_length=30, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )

    def clean_phone(self) -> str:
        from xungkich.lib.phones import InvalidPhone, normalize_phone

        try:
            return normalize_phone(self.cleaned_data["phone"])
        except InvalidPhone as exc:
            raise forms.ValidationError(_("This is not a valid phone number."), code="invalid_phone") from exc


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you with the help you received?"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=Chips,
    )
    comment = ScreenedTextField(
        label=_("Anything to tell us? (optional)"),
        required=False,
        max_length=free_text.COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class KnownIssueForm(forms.Form):
    title = ScreenedTextField(
        label=_("Problem"),
        max_length=free_text.SCREENED["helpdesk.KnownIssue"]["title"],
        widget=forms.TextInput,
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[("", _("Any")), *Channel.choices], required=False
    )
    workaround = ScreenedTextField(
        label=_("Workaround"),
        required=False,
        max_length=free_text.NOTES,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OfflineSessionForm(HelpSessionForm):
    """The desk form as the offline page draws it: the same fields, labels and choices, never posted.

    The page's script reads it, screens the free text on the phone and keeps the record until it can be
    sent to the API. Left out on purpose: the follow-up phone number and the dossier code (they need the
    person's consent recorded with its text and time, online) and the ticket (the queue is online).
    Wards are chosen by official code, which is what the API takes.
    """

    share_position = forms.BooleanField(
        label=_("Record where this help took place (the phone's position)"),
        required=False,
        help_text=_(
            "Only with the person's agreement. The position is rounded to about 110 m "
            "(the hamlet or street block, not the house)."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in CONSENT_FIELDS:
            del self.fields[name]
        for name in ("ward", "place_ward"):
            self.fields[name].to_field_name = "code"  # type: ignore[attr-defined]
        self.fields["place_kind"].initial = PlaceKind.DOOR
