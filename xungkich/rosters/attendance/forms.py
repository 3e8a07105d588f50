"""Forms of the check-in desk and the hours pages. They clean input; the services write."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xungkich.rosters.attendance.hours import local_tz, month_bounds

DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})
_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$|^\s*(\d{1,2})/(\d{4})\s*$")


class MonthField(forms.CharField):
    """A month as ``2026-03`` (what <input type="month"> sends) or ``03/2026``; cleans to its first day."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "yyyy-mm"})
    default_error_messages = {"invalid": _("Enter a month such as 2026-03.")}

    def to_python(self, value: Any) -> dt.date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        match = _MONTH.match(text)
        if not match:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        year, month = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
        try:
            return dt.date(int(year), int(month), 1)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value: Any) -> Any:
        return f"{value:%Y-%m}" if isinstance(value, dt.date) else value


class MonthForm(forms.Form):
    month = MonthField(label=_("Month"), required=False)

    def bounds(self) -> tuple[dt.date, dt.date]:
        """First and last day of the chosen month (this month when none or invalid)."""
        chosen = self.cleaned_data.get("month") if self.is_valid() else None
        return month_bounds(chosen or timezone.localdate())


class DateRangeForm(forms.Form):
    """``?from=01/03/2026&to=31/03/2026`` (``from`` is a Python keyword, hence the fields dict)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from"] = forms.DateField(label=_("From"), input_formats=DATE_FORMATS, widget=DATE_WIDGET)
        self.fields["to"] = forms.DateField(label=_("To"), input_formats=DATE_FORMATS, widget=DATE_WIDGET)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("from"), data.get("to")
        if start and end and end < start:
            raise forms.ValidationError(_("The end date must not be before the start date."), code="range")
        return data


class DeskDayForm(forms.Form):
    date = forms.DateField(label=_("Day"), required=False, input_formats=DATE_FORMATS, widget=DATE_WIDGET)

    def day(self) -> dt.date:
        chosen = self.cleaned_data.get("date") if self.is_valid() else None
        return chosen or timezone.localdate()


class DeskActionForm(forms.Form):
    class Action:
        CHECK_IN = "check_in"
        CHECK_OUT = "check_out"
        NO_SHOW = "no_show"

    action = forms.ChoiceField(
        choices=[
            (Action.CHECK_IN, _("Check in")),
            (Action.CHECK_OUT, _("Check out")),
            (Action.NO_SHOW, _("No-show")),
        ]
    )
    time = forms.TimeField(
        label=_("At"),
        required=False,
        input_formats=["%H:%M", "%H.%M", "%Hh%M", "%H:%M:%S"],
        help_text=_("Leave empty for now."),
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
    )

    def moment(self, day: dt.date) -> dt.datetime | None:
        """The chosen time on the shift's day (local), or None for now."""
        chosen: dt.time | None = self.cleaned_data.get("time")
        if chosen is None:
            return None
        return dt.datetime.combine(day, chosen, tzinfo=local_tz())
