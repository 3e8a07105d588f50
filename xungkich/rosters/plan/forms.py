"""Forms of the planning pages: they clean and normalise input, the services do the rest."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xungkich.core.fields import ScreenedTextField
from xungkich.people.models import AdminUnit, OrgUnit, Volunteer
from xungkich.places.models import ServicePoint
from xungkich.rosters.models import RosterPeriod, ShiftPattern
from xungkich.rosters.solving import SOLVE_TIME_LIMITS

# ISO weekdays (Monday = 1) with Django's translated names: "Thứ Hai" … "Chủ Nhật".
WEEKDAY_CHOICES = [(str(day + 1), WEEKDAYS[day]) for day in range(7)]
SENIOR = "senior"


class DateInput(forms.DateInput):
    """A text box for dd/mm/yyyy (the browsers' date pickers show the US order to many people)."""

    def __init__(self, **kwargs: Any) -> None:
        attrs = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off", "size": "10"}
        super().__init__(attrs=attrs | kwargs.pop("attrs", {}), format="%d/%m/%Y", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return "— " * max(0, obj.depth - 1) + obj.name if obj.depth else obj.name


class ServicePointForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=ServicePoint.Kind.choices)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    opening_hours = forms.CharField(
        label=_("Opening hours"),
        max_length=255,
        required=False,
        help_text=_("As people should read it, e.g. Monday–Friday 7:30–11:30, 13:30–17:00."),
    )
    admin_unit = forms.ModelChoiceField(
        label=_("Ward or commune"),
        queryset=AdminUnit.objects.exclude(kind=AdminUnit.Kind.PROVINCE).order_by("name"),
        required=False,
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(
        self, *args: Any, units: QuerySet[OrgUnit], point: ServicePoint | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units.order_by("path")
        if point is None:
            del self.fields["is_active"]
        else:
            del self.fields["unit"]  # a point stays in its unit


class ShiftPatternForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60, help_text=_("For example: Morning, Afternoon."))
    weekdays = forms.MultipleChoiceField(
        label=_("Days of the week"), choices=WEEKDAY_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    start_time = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Ends at"), widget=TimeInput())
    demand = forms.IntegerField(label=_("Headcount"), min_value=1, max_value=50, initial=2)
    seniors = forms.IntegerField(
        label=_("Experienced volunteers needed"),
        min_value=0,
        max_value=50,
        initial=1,
        help_text=_("How many of the people on the shift should be experienced volunteers."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("A shift must end after it starts."))
        demand, seniors = data.get("demand"), data.get("seniors")
        if demand is not None and seniors is not None and seniors > demand:
            self.add_error("seniors", _("There cannot be more experienced volunteers than the headcount."))
        return data

    @staticmethod
    def initial_for(pattern: ShiftPattern) -> dict[str, Any]:
        return {
            "name": pattern.name,
            "weekdays": [str(day) for day in pattern.weekdays],
            "start_time": pattern.start_time,
            "end_time": pattern.end_time,
            "demand": pattern.demand,
            "seniors": (pattern.skill_needs or {}).get(SENIOR, 0),
        }

    def skill_needs(self, pattern: ShiftPattern | None = None) -> dict[str, int]:
        """The pattern's other skill needs stay; the experienced count replaces ``senior``."""
        needs = dict(pattern.skill_needs or {}) if pattern is not None else {}
        needs[SENIOR] = self.cleaned_data["seniors"]
        return {code: count for code, count in needs.items() if count}

    def weekday_numbers(self) -> list[int]:
        return [int(day) for day in self.cleaned_data["weekdays"]]


def next_monday() -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=7 - today.weekday())


class PeriodForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("For example: December 2026."))
    unit = UnitChoiceField(
        label=_("Unit"),
        queryset=OrgUnit.objects.none(),
        help_text=_(
            "The roster plans the volunteers and service points of this unit and the units below it."
        ),
    )
    start = forms.DateField(label=_("First day"), widget=DateInput(), help_text=_("dd/mm/yyyy"))
    days = forms.IntegerField(label=_("Number of days"), min_value=1, max_value=92, initial=28)
    max_shifts_per_day = forms.IntegerField(
        label=_("At most shifts a day per person"), min_value=1, max_value=4, initial=1
    )
    min_rest_hours = forms.IntegerField(
        label=_("At least hours of rest between two shifts of a person"),
        min_value=0,
        max_value=48,
        initial=10,
    )

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units.order_by("path")
        self.fields["start"].initial = next_monday()


class ClosedDayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput(), help_text=_("dd/mm/yyyy"))
    where = forms.ChoiceField(label=_("Closed"))
    reason = ScreenedTextField(
        label=_("Reason"),
        max_length=150,
        required=False,
        help_text=_("For example: National Day."),
        widget=forms.TextInput,
    )

    def __init__(
        self,
        *args: Any,
        units: list[OrgUnit],
        points: list[ServicePoint],
        everywhere: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = []
        if everywhere:
            choices.append(("all", gettext("Every service point everywhere (public holiday)")))
        choices += [
            (f"u{unit.pk}", gettext("Every service point of %(unit)s") % {"unit": unit.name})
            for unit in units
        ]
        choices += [(f"p{point.pk}", point.name) for point in points]
        where = self.fields["where"]
        assert isinstance(where, forms.ChoiceField)
        where.choices = choices
        self._units = {f"u{unit.pk}": unit for unit in units}
        self._points = {f"p{point.pk}": point for point in points}

    def target(self) -> tuple[OrgUnit | None, ServicePoint | None]:
        key = self.cleaned_data["where"]
        return self._units.get(key), self._points.get(key)


class SolveForm(forms.Form):
    time_limit = forms.TypedChoiceField(label=_("Time for the solver"), coerce=int, initial=30)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["time_limit"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (seconds, gettext("%(n)s seconds") % {"n": seconds}) for seconds in SOLVE_TIME_LIMITS
        ]


class AddAssigneeForm(forms.Form):
    volunteer = forms.ModelChoiceField(label=_("Volunteer"), queryset=Volunteer.objects.none())

    def __init__(self, *args: Any, period: RosterPeriod, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["volunteer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Volunteer.objects.filter(unit__path__startswith=period.unit.path, is_active=True)
        field.error_messages["invalid_choice"] = _("Pick a volunteer of this roster's unit.")


class CandidateSearchForm(forms.Form):
    q = forms.CharField(label=_("Find a volunteer"), required=False, max_length=100)
