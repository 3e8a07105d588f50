"""Rollups behind the dashboard, and the report files built in the background.

``DailyFigure`` is one number of one day at one unit and (optionally) one service point:
``(day, unit, point, metric, key) -> value``, e.g. ``(2026-12-07, Đoàn phường Hội An, Trung tâm,
"shifts_covered", "") -> 3`` or ``(…, "no_shows", "") -> 1``. Breakdowns use ``key`` (a ward
code, an age band, a failure reason …). Every source of figures (see ``sources.py``) owns its
metrics; ``rollups.refresh`` replaces a source's rows for some days and points in one transaction,
so the dashboard sums these rows and never scans the raw records.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DailyFigure(models.Model):
    day = models.DateField()
    unit = models.ForeignKey("people.OrgUnit", on_delete=models.CASCADE, related_name="+")
    point = models.ForeignKey(
        "places.ServicePoint", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    source = models.CharField(max_length=20)
    metric = models.CharField(max_length=40)
    key = models.CharField(max_length=60, blank=True, default="")
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("daily figure")
        verbose_name_plural = _("daily figures")
        indexes = [
            models.Index(fields=["source", "day", "point"], name="dailyfigure_source_day"),
            models.Index(fields=["unit", "day", "metric"], name="dailyfigure_unit_day"),
            # The dashboard's left-over days of a period, for every unit of a subtree.
            models.Index(fields=["day", "unit"], name="dailyfigure_day_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.metric} {self.key} = {self.value}"


class RollupFigure(models.Model):
    """Coarser sums of ``DailyFigure``, which the dashboard reads (kept in step by ``rollups``).

    - ``day_unit``: totals (key "") by day and unit, points summed: trends by week and month;
    - ``day_point`` / ``day_key``: totals by day and point, breakdowns by day and unit (the daily
      figures summed over sources and points, in this compact table): the days left over;
    - ``month_point``: totals by month (``day`` = the 1st) and service point: the per-point table;
    - ``month_key``: breakdowns by month and unit, points summed: by ward, need, age band …
    - ``week_point`` / ``week_key``: the same by ISO week (``day`` = its Monday, Monday–Sunday,
      across month ends).
    A period reads whole months, then whole weeks of the partial months, then the days left over
    (at most six at each end): never ``DailyFigure``, which is several times larger.
    """

    class Grain(models.TextChoices):
        DAY_UNIT = "day_unit", "day_unit"
        DAY_POINT = "day_point", "day_point"
        DAY_KEY = "day_key", "day_key"
        MONTH_POINT = "month_point", "month_point"
        MONTH_KEY = "month_key", "month_key"
        WEEK_POINT = "week_point", "week_point"
        WEEK_KEY = "week_key", "week_key"

    grain = models.CharField(max_length=12, choices=Grain.choices)
    day = models.DateField()
    unit = models.ForeignKey("people.OrgUnit", on_delete=models.CASCADE, related_name="+")
    point = models.ForeignKey(
        "places.ServicePoint", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    metric = models.CharField(max_length=40)
    key = models.CharField(max_length=60, blank=True, default="")
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("summed figure")
        verbose_name_plural = _("summed figures")
        indexes = [
            models.Index(fields=["grain", "unit", "day"], name="rollupfigure_grain_unit_day"),
            # A subtree's units come from a join, not a list: the dashboard reads by grain and days.
            models.Index(fields=["grain", "day"], name="rollupfigure_grain_day"),
        ]

    def __str__(self) -> str:
        return f"{self.grain} {self.day} {self.metric} {self.key} = {self.value}"


class PendingChange(models.Model):
    """A record changed and its figures are not refreshed yet: one row per change, insert only.

    Recording a help session writes one of these (one INSERT, no lock) instead of refreshing its
    day's figures inside the request; ``rollups.drain`` deletes the rows it reads and refreshes
    each distinct (source, day, point or unit) once. Readers of figures drain first, so the
    dashboard is never behind the records; a background task drains soon after writes.
    Insert-only is what makes this safe without locks: a change whose transaction has not
    committed when a drain runs is not seen by that drain's DELETE either, so it stays for the next.
    """

    source = models.CharField(max_length=20)
    day = models.DateField()
    point_id = models.BigIntegerField(null=True, blank=True)
    unit_id = models.BigIntegerField(null=True, blank=True)  # records without a point

    class Meta:
        verbose_name = _("pending figure change")
        verbose_name_plural = _("pending figure changes")

    def __str__(self) -> str:
        return f"{self.source} {self.day} point={self.point_id} unit={self.unit_id}"


class RollupMark(models.Model):
    """When the catch-up refresh (``manage.py refresh_rollups``) last ran."""

    name = models.CharField(max_length=30, unique=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} {self.at:%d/%m/%Y %H:%M}"


class ReportExport(models.Model):
    """A report file asked for by someone, built by a background task, kept in private storage."""

    class Kind(models.TextChoices):
        XLSX = "xlsx", _("Excel workbook")
        CSV = "csv", _("CSV of records")
        DOCX = "docx", _("Word report")
        PDF = "pdf", _("PDF report")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    unit = models.ForeignKey("people.OrgUnit", verbose_name=_("unit"), on_delete=models.CASCADE)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    percent = models.PositiveSmallIntegerField(default=0)
    file_name = models.CharField(max_length=255, blank=True)  # in the private storage
    error = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report export")
        verbose_name_plural = _("report exports")
        constraints = [
            models.CheckConstraint(name="reportexport_range", condition=Q(end__gte=models.F("start"))),
            models.CheckConstraint(
                name="reportexport_percent", condition=Q(percent__gte=0) & Q(percent__lte=100)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"
