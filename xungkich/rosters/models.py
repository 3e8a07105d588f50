"""Duty rotation: when volunteers serve at the service points, and who is on duty.

ServicePoint ─< ShiftPattern (weekly template)          RosterPeriod (a unit's plan for N days)
     │                                                        │
     └──────────────< Shift (one dated slot with a headcount) >┘
                         └──< Assignment (a volunteer on that shift; check-in and hours)

Volunteers' side: RosterProfile (points they can reach, weekly cap) and Unavailability (one-off
or weekly repeating). The points themselves and their closed days live in ``xungkich.places``.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class ShiftPattern(models.Model):
    """A weekly template: e.g. Monday–Friday 07:30–11:30 at the centre, 3 people, 1 experienced."""

    point = models.ForeignKey(
        "places.ServicePoint",
        verbose_name=_("service point"),
        on_delete=models.CASCADE,
        related_name="patterns",
    )
    name = models.CharField(_("name"), max_length=60, help_text=_("For example: Morning, Afternoon."))
    # ISO weekdays, Monday = 1 … Sunday = 7, e.g. [1, 2, 3, 4, 5].
    weekdays = models.JSONField(_("weekdays"), default=list)
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(_("end"))
    demand = models.PositiveSmallIntegerField(_("headcount"), default=2)
    # Minimum number of assigned people holding each skill code, e.g. {"senior": 1}.
    skill_needs = models.JSONField(_("skill needs"), default=dict, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["point", "start_time"]
        verbose_name = _("shift pattern")
        verbose_name_plural = _("shift patterns")
        constraints = [
            models.CheckConstraint(
                name="pattern_ends_after_start", condition=Q(end_time__gt=F("start_time"))
            ),
            models.CheckConstraint(name="pattern_demand_positive", condition=Q(demand__gte=1)),
        ]

    def __str__(self) -> str:
        return f"{self.point} · {self.name}"


class RosterPeriod(models.Model):
    """A unit's roster for a run of days: planned, solved, reviewed, published."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SOLVING = "solving", _("Solving")
        PUBLISHED = "published", _("Published")

    unit = models.ForeignKey(
        "people.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="roster_periods"
    )
    name = models.CharField(_("name"), max_length=100)
    start = models.DateField(_("first day"))
    days = models.PositiveSmallIntegerField(_("number of days"), default=28)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    max_shifts_per_day = models.PositiveSmallIntegerField(_("at most shifts a day per person"), default=1)
    min_rest_hours = models.PositiveSmallIntegerField(_("at least hours of rest between shifts"), default=10)
    # The last solver run, written by the background task while it works.
    solver_progress = models.JSONField(default=dict, blank=True, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start", "pk"]
        verbose_name = _("roster period")
        verbose_name_plural = _("roster periods")
        constraints = [
            models.CheckConstraint(name="period_days_range", condition=Q(days__gte=1) & Q(days__lte=92)),
        ]

    def __str__(self) -> str:
        return self.name


class Shift(models.Model):
    period = models.ForeignKey(
        RosterPeriod, verbose_name=_("roster period"), on_delete=models.CASCADE, related_name="shifts"
    )
    point = models.ForeignKey(
        "places.ServicePoint",
        verbose_name=_("service point"),
        on_delete=models.PROTECT,
        related_name="shifts",
    )
    pattern = models.ForeignKey(
        ShiftPattern, null=True, blank=True, on_delete=models.SET_NULL, related_name="shifts"
    )
    # Stable id in the solver's instance format: "P01-2026-12-07-0730".
    code = models.CharField(max_length=80)
    name = models.CharField(_("name"), max_length=60, blank=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    demand = models.PositiveSmallIntegerField(_("headcount"))
    skill_needs = models.JSONField(_("skill needs"), default=dict, blank=True)
    # Why places stayed empty after the last solve, for the coordinator ("" when full).
    unfilled_code = models.CharField(max_length=30, blank=True)
    unfilled_reason = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["start", "point"]
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        constraints = [
            models.UniqueConstraint(fields=["period", "code"], name="shift_unique_code_per_period"),
            models.CheckConstraint(name="shift_ends_after_start", condition=Q(end__gt=F("start"))),
        ]
        indexes = [models.Index(fields=["point", "start"], name="shift_point_start")]

    def __str__(self) -> str:
        return self.code


class RosterProfile(models.Model):
    """What the roster needs to know about a volunteer beyond the profile."""

    volunteer = models.OneToOneField(
        "people.Volunteer", on_delete=models.CASCADE, related_name="roster_profile"
    )
    points = models.ManyToManyField(
        "places.ServicePoint", verbose_name=_("service points I can reach"), blank=True, related_name="+"
    )
    max_shifts_per_week = models.PositiveSmallIntegerField(_("at most shifts a week"), default=3)
    # Secret part of the personal calendar feed URL; rotating it revokes old subscriptions.
    calendar_token = models.CharField(
        max_length=43, unique=True, default=secrets.token_urlsafe, editable=False
    )

    class Meta:
        verbose_name = _("roster profile")
        verbose_name_plural = _("roster profiles")

    def __str__(self) -> str:
        return str(self.volunteer)


class Unavailability(models.Model):
    """When a volunteer cannot serve: one-off (exam week) or every week (Tuesday mornings)."""

    class Kind(models.TextChoices):
        ONE_OFF = "one_off", _("One-off")
        WEEKLY = "weekly", _("Every week")

    volunteer = models.ForeignKey(
        "people.Volunteer", on_delete=models.CASCADE, related_name="unavailabilities"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ONE_OFF)
    # One-off: an aware interval.
    start = models.DateTimeField(_("from"), null=True, blank=True)
    end = models.DateTimeField(_("until"), null=True, blank=True)
    # Weekly: ISO weekday and local times.
    weekday = models.PositiveSmallIntegerField(_("weekday"), null=True, blank=True)
    start_time = models.TimeField(_("from"), null=True, blank=True)
    end_time = models.TimeField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=150, blank=True)

    class Meta:
        ordering = ["volunteer", "kind", "start", "weekday", "start_time"]
        verbose_name = _("unavailability")
        verbose_name_plural = _("unavailabilities")
        constraints = [
            models.CheckConstraint(
                name="unavailability_shape",
                condition=(
                    Q(kind="one_off", start__isnull=False, end__isnull=False, end__gt=F("start"))
                    | Q(
                        kind="weekly",
                        weekday__gte=1,
                        weekday__lte=7,
                        start_time__isnull=False,
                        end_time__isnull=False,
                        end_time__gt=F("start_time"),
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} {self.get_kind_display()}"


class Assignment(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CONFIRMED = "confirmed", _("Confirmed")
        CANT_COME = "cant_come", _("Can't come")
        OFFERED = "offered", _("Offered for swap")

    class Source(models.TextChoices):
        SOLVER = "solver", _("Solver")
        MANUAL = "manual", _("By hand")
        TAKEN = "taken", _("Taken by the volunteer")

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="assignments")
    volunteer = models.ForeignKey("people.Volunteer", on_delete=models.PROTECT, related_name="assignments")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.SOLVER)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    check_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    check_out_at = models.DateTimeField(_("checked out"), null=True, blank=True)
    late_minutes = models.PositiveIntegerField(_("minutes late"), default=0)
    no_show = models.BooleanField(_("no-show"), default=False)

    class Meta:
        ordering = ["shift__start", "volunteer__full_name"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["shift", "volunteer"], name="assignment_unique_person_per_shift"),
            models.CheckConstraint(
                name="assignment_checkout_after_checkin",
                condition=Q(check_out_at__isnull=True) | Q(check_out_at__gt=F("check_in_at")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shift} · {self.volunteer}"
