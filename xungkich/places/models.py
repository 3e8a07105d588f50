"""Service points (the desks where volunteers serve the public) and their calendar of closed days.

Rosters plan shifts at a point, the queue issues its tickets there, the help desk records sessions
there and the reports count by point: all of them point here, and this app points at none of them.
"""

from __future__ import annotations

import secrets

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
    # Printed on the QR poster at the desk: scanning it checks a volunteer in (rotatable).
    checkin_token = models.CharField(
        max_length=43, unique=True, default=secrets.token_urlsafe, editable=False
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        # The tables keep the names they had when the points lived in the rosters app: the move
        # changed the code, not the data (see migration places 0001).
        db_table = "rosters_servicepoint"
        verbose_name = _("service point")
        verbose_name_plural = _("service points")
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="servicepoint_unique_name_per_unit"),
        ]

    def __str__(self) -> str:
        return self.name


class ClosedDay(models.Model):
    """A public holiday or closure: no shifts are generated that day (for one point or all)."""

    date = models.DateField(_("date"))
    point = models.ForeignKey(
        ServicePoint,
        verbose_name=_("service point"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="closed_days",
        help_text=_("Empty: every service point is closed."),
    )
    reason = models.CharField(_("reason"), max_length=150, blank=True)

    class Meta:
        ordering = ["date"]
        db_table = "rosters_closedday"
        verbose_name = _("closed day")
        verbose_name_plural = _("closed days")
        constraints = [models.UniqueConstraint(fields=["date", "point"], name="closedday_unique")]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.reason}"
