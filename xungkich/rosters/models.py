"""Where volunteers serve. Shifts, availability and assignments build on these."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServicePoint(models.Model):
    class Kind(models.TextChoices):
        CENTRE = "centre", _("Public administration service centre")
        WARD_POINT = "ward_point", _("Ward / commune help point")
        MOBILE = "mobile", _("Mobile help desk")

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CENTRE)
    address = models.CharField(_("address"), max_length=255, blank=True)
    unit = models.ForeignKey(
        "people.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="service_points"
    )
    admin_unit = models.ForeignKey(
        "people.AdminUnit",
        verbose_name=_("administrative unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # As shown to people ("Thứ Hai–Thứ Sáu 7:30–11:30, 13:30–17:00"); shift patterns hold the
    # machine-readable times.
    opening_hours = models.CharField(_("opening hours"), max_length=255, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("service point")
        verbose_name_plural = _("service points")
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="servicepoint_unique_name_per_unit"),
        ]

    def __str__(self) -> str:
        return self.name
