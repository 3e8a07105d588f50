"""The report filter (period and unit) and the export request. They clean; services act."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xungkich.reports.models import ReportExport
from xungkich.rosters.attendance.hours import month_bounds

DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})
MAX_DAYS = 731


class ReportFilterForm(forms.Form):
    """``?from=01/12/2026&to=31/12/2026`` (the unit is checked by the access helper); default: this month."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from"] = forms.DateField(
            label=_("From"), required=False, input_formats=DATE_FORMATS, widget=DATE_WIDGET
        )
        self.fields["to"] = forms.DateField(
            label=_("To"), required=False, input_formats=DATE_FORMATS, widget=DATE_WIDGET
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("from"), data.get("to")
        if start and end:
            if end < start:
                raise forms.ValidationError(
                    _("The end date must not be before the start date."), code="range"
                )
            if (end - start).days >= MAX_DAYS:
                raise forms.ValidationError(_("Choose a period of at most two years."), code="too_long")
        return data

    def period(self) -> tuple[dt.date, dt.date]:
        """The chosen days; this month by default (and when the input is wrong)."""
        first, last = month_bounds(timezone.localdate())
        if not self.is_valid():
            return first, last
        start, end = self.cleaned_data.get("from"), self.cleaned_data.get("to")
        if start and not end:
            end = month_bounds(start)[1]
        if end and not start:
            start = month_bounds(end)[0]
        return start or first, end or last


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Format"), choices=ReportExport.Kind.choices)

    def __init__(self, *args: Any, kinds: Sequence[str] | None = None, **kwargs: Any) -> None:
        """``kinds``: the formats this reader may ask for (``access.export_kinds``); all when None."""
        super().__init__(*args, **kwargs)
        if kinds is not None:
            field = self.fields["kind"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [(value, label) for value, label in ReportExport.Kind.choices if value in kinds]
