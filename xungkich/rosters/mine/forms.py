"""Forms of the volunteers' own pages: they clean input, the services in availability.py and
changes.py apply the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xungkich.core.fields import ScreenedTextField
from xungkich.people.models import Volunteer
from xungkich.places.models import ServicePoint
from xungkich.rosters.mine.availability import DAY_PART_LABELS, DAY_PARTS, MAX_CAP, MIN_CAP, reachable_points

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
WEEKDAYS = [
    (1, _("Monday")),
    (2, _("Tuesday")),
    (3, _("Wednesday")),
    (4, _("Thursday")),
    (5, _("Friday")),
    (6, _("Saturday")),
    (7, _("Sunday")),
]


class DateInput(forms.TextInput):
    """dd/mm/yyyy typed as text: the same on every phone, and what people write on paper."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {"placeholder": "dd/mm/yyyy", "autocomplete": "off", "class": "date-input"}
        super().__init__(attrs={**base, **(attrs or {})})


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


class ReasonForm(forms.Form):
    reason = ScreenedTextField(
        label=_("Reason"),
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Your unit leader sees it."),
    )


class OfferForm(forms.Form):
    reason = ScreenedTextField(
        label=_("Note for whoever takes it (optional)"),
        max_length=255,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class OneOffForm(forms.Form):
    first_day = forms.DateField(label=_("From (day)"), input_formats=DATE_INPUT_FORMATS, widget=DateInput())
    last_day = forms.DateField(
        label=_("Until (day)"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(),
        help_text=_("Empty: only the first day."),
    )
    start_time = forms.TimeField(
        label=_("From (time)"), required=False, widget=TimeInput(), help_text=_("Empty: whole days.")
    )
    end_time = forms.TimeField(label=_("Until (time)"), required=False, widget=TimeInput())
    note = ScreenedTextField(
        label=_("Note (optional)"), max_length=150, required=False, widget=forms.TextInput
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("start_time")) != bool(data.get("end_time")):
            raise forms.ValidationError(_("Give both a start and an end time, or neither."))
        return data


class WeeklyForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Every"), choices=WEEKDAYS, coerce=int)
    start_time = forms.TimeField(label=_("From"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Until"), widget=TimeInput())
    note = ScreenedTextField(
        label=_("Note (optional)"), max_length=150, required=False, widget=forms.TextInput
    )


def timetable_slots() -> list[tuple[str, str]]:
    return [
        (f"{day}-{part}", f"{day_label} {DAY_PART_LABELS[part]}")
        for day, day_label in WEEKDAYS
        for part in DAY_PARTS
    ]


class TimetableForm(forms.Form):
    """A school timetable: tick the parts of each weekday you are in class."""

    slots = forms.MultipleChoiceField(
        label=_("When you are in class"), choices=timetable_slots, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=150, required=False, initial="")

    def grid(self) -> list[dict[str, Any]]:
        """Rows of the weekday × part-of-day table, each cell with its checkbox name and state."""
        chosen: set[str] = set()
        if self.is_bound and hasattr(self.data, "getlist"):
            chosen = set(self.data.getlist("slots"))
        return [
            {
                "label": day_label,
                "cells": [
                    {
                        "value": f"{day}-{part}",
                        "label": f"{day_label} {DAY_PART_LABELS[part]}",
                        "checked": f"{day}-{part}" in chosen,
                    }
                    for part in DAY_PARTS
                ],
            }
            for day, day_label in WEEKDAYS
        ]

    def cleaned_slots(self) -> list[tuple[int, str]]:
        result = []
        for value in self.cleaned_data["slots"]:
            day, part = value.split("-", 1)
            result.append((int(day), part))
        return result


class PreferencesForm(forms.Form):
    points: forms.ModelMultipleChoiceField[ServicePoint] = forms.ModelMultipleChoiceField(
        label=_("Service points I can reach"),
        queryset=ServicePoint.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any service point of your unit."),
    )
    max_shifts_per_week = forms.IntegerField(
        label=_("At most shifts a week"),
        min_value=MIN_CAP,
        max_value=MAX_CAP,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, volunteer: Volunteer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        points = self.fields["points"]
        assert isinstance(points, forms.ModelMultipleChoiceField)
        points.queryset = reachable_points(volunteer)
