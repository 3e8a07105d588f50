"""Forms of the guide editor: they clean and normalise; the services write.

A draft is edited on one page: the guide's own fields, a formset of steps (with an optional
screenshot each) and a formset of common errors. Screenshots are decoded, resized and stripped
here (``guide_images.process_upload`` is pure), so a bad file is a form error next to its step.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from xungkich.guides.content import (
    MAX_PROBLEMS,
    MAX_STEPS,
    ContentError,
    GuideContent,
    check_slug,
)
from xungkich.guides.images import ImageRejected, ProcessedImage, process_upload
from xungkich.lib.vietnamese import clean_text
from xungkich.people.models import OrgUnit
from xungkich.tickets.models import Need

IMAGE_ERRORS = {
    "image_too_large": _("The image is too large (at most 8 MB)."),
    "image_format": _("Upload a JPEG, PNG, WebP or GIF image."),
    "image_unreadable": _("This file is not an image that can be read."),
}

CODE_SEPARATORS = re.compile(r"[\s,;]+")


def _lines(text: str) -> list[str]:
    return [line for line in (clean_text(raw) for raw in (text or "").splitlines()) if line]


class GuideCreateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.CharField(
        label=_("Web address"),
        max_length=80,
        help_text=_("Lower-case letters without accents, digits and hyphens, e.g. dang-ky-khai-sinh."),
    )
    unit: forms.ModelChoiceField[OrgUnit] = forms.ModelChoiceField(
        label=_("Maintained by"),
        queryset=OrgUnit.objects.none(),  # the user's units, set in __init__
        required=False,
        empty_label=_("Shared: every coordinator"),
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units

    def clean_title(self) -> str:
        return clean_text(self.cleaned_data["title"])

    def clean_slug(self) -> str:
        slug = clean_text(self.cleaned_data["slug"]).lower()
        try:
            check_slug(slug)
        except ContentError as error:
            if error.code == "reserved_slug":
                raise ValidationError(
                    _("This address is reserved; choose another one."), code=error.code
                ) from None
            raise ValidationError(
                _("Use lower-case letters without accents, digits and hyphens only."), code=error.code
            ) from None
        return slug


class GuideDraftForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two plain sentences: what this guide helps with."),
    )
    prepare = forms.CharField(
        label=_("Have ready"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One item per line."),
    )
    needs = forms.MultipleChoiceField(
        label=_("Help needs"),
        choices=Need.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    procedure_codes = forms.CharField(
        label=_("Linked procedures"),
        required=False,
        help_text=_("Procedure codes separated by commas, e.g. 1.001193, 2.000200."),
    )
    aliases = forms.CharField(
        label=_("Other ways people say it"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, e.g. “làm giấy khai sinh”. Search finds the guide by these words too."),
    )
    order = forms.IntegerField(label=_("Order in the list"), min_value=0, max_value=999, initial=0)

    def __init__(self, *args: Any, find_procedures: Any, **kwargs: Any) -> None:
        """``find_procedures(codes) -> {code: procedure}``: the catalogue lookup, passed in."""
        super().__init__(*args, **kwargs)
        self._find_procedures = find_procedures

    def clean_title(self) -> str:
        return clean_text(self.cleaned_data["title"])

    def clean_summary(self) -> str:
        return GuideContent.from_dict({"summary": self.cleaned_data["summary"]}).summary

    def clean_prepare(self) -> list[str]:
        return _lines(self.cleaned_data.get("prepare", ""))

    def clean_aliases(self) -> list[str]:
        return list(dict.fromkeys(_lines(self.cleaned_data.get("aliases", ""))))

    def clean_procedure_codes(self) -> list[Any]:
        raw = clean_text(self.cleaned_data.get("procedure_codes"))
        codes = list(dict.fromkeys(code for code in CODE_SEPARATORS.split(raw) if code))
        if not codes:
            return []
        found = self._find_procedures(codes)
        missing = [code for code in codes if code not in found]
        if missing:
            raise ValidationError(
                _("No procedure in the catalogue has the code %(codes)s."),
                code="unknown_procedure",
                params={"codes": ", ".join(missing)},
            )
        return [found[code] for code in codes]


class StepForm(forms.Form):
    title = forms.CharField(label=_("Step title"), max_length=200)
    body = forms.CharField(
        label=_("What to do"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Short sentences. Leave an empty line between paragraphs."),
    )
    tip = forms.CharField(label=_("Tip (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    image_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    image = forms.FileField(
        label=_("Screenshot (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
        help_text=_("A screen of the real app or portal. Cover any personal data before uploading."),
    )
    image_alt = forms.CharField(
        label=_("What the screenshot shows"),
        required=False,
        max_length=300,
        help_text=_("Read out to people who cannot see the image."),
    )
    remove_image = forms.BooleanField(label=_("Remove the screenshot"), required=False)

    def clean_image(self) -> ProcessedImage | None:
        upload = self.cleaned_data.get("image")
        if not upload:
            return None
        try:
            return process_upload(upload.read())
        except ImageRejected as error:
            raise ValidationError(IMAGE_ERRORS[error.code], code=error.code) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("remove_image"):
            data["image_id"] = None
            data["image"] = None
        has_image = bool(data.get("image") or data.get("image_id"))
        alt = clean_text(data.get("image_alt"))
        data["image_alt"] = alt
        if has_image and not alt and not self.cleaned_data.get("DELETE"):
            self.add_error("image_alt", _("Describe the screenshot for people who cannot see it."))
        return data


class ProblemForm(forms.Form):
    problem = forms.CharField(label=_("What goes wrong"), max_length=300)
    solution = forms.CharField(label=_("What to do"), widget=forms.Textarea(attrs={"rows": 2}))


StepFormSet = forms.formset_factory(
    StepForm, extra=1, can_delete=True, can_order=True, max_num=MAX_STEPS, validate_max=True
)
ProblemFormSet = forms.formset_factory(
    ProblemForm, extra=1, can_delete=True, max_num=MAX_PROBLEMS, validate_max=True
)


def formset_rows(formset: Any) -> list[dict[str, Any]]:
    """The kept rows of a valid formset, in the editor's order (untouched extra rows dropped)."""
    if formset.can_order:
        return [form.cleaned_data for form in formset.ordered_forms]
    return [
        form.cleaned_data
        for index, form in enumerate(formset.forms)
        if (index < formset.initial_form_count() or form.has_changed())
        and not (formset.can_delete and formset._should_delete_form(form))
    ]


def steps_initial(content: GuideContent) -> list[dict[str, Any]]:
    return [
        {
            "title": s.title,
            "body": s.body,
            "tip": s.tip,
            "image_id": s.image_id,
            "image_alt": s.image_alt,
            "ORDER": number,
        }
        for number, s in enumerate(content.steps, start=1)
    ]


def problems_initial(content: GuideContent) -> list[dict[str, Any]]:
    return [{"problem": p.problem, "solution": p.solution} for p in content.problems]
