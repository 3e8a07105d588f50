"""The queue at a service point: one numbered ticket per citizen waiting, numbers restart each day.

The help session that follows a ticket lives in the helpdesk app; this app only knows who waits,
who is being served at which desk, and how long it took.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Need(models.TextChoices):
    """What a citizen came for. Stable codes: the API, reports and the help session use them."""

    ACCOUNT = "account", _("Account (VNeID or portal)")
    DOSSIER = "dossier", _("Submit a procedure online")
    PAYMENT = "payment", _("Pay a fee online")
    APP = "app", _("Install an app")
    DEVICE = "device", _("Using a phone")
    LOOKUP = "lookup", _("Look up a dossier or information")
    OTHER = "other", _("Something else")


class TicketCounter(models.Model):
    """The last number given at a point on a day.

    Taking a ticket increments this row under a lock (or a conditional UPDATE), so numbers are
    consecutive and never repeat, whatever the number of kiosks, phones and app processes.
    """

    point = models.ForeignKey("places.ServicePoint", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["point", "day"], name="ticket_counter_one_per_point_day")
        ]

    def __str__(self) -> str:
        return f"{self.point_id} {self.day:%d/%m/%Y}: {self.last_number}"


class Ticket(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        CALLED = "called", _("Called")
        SERVING = "serving", _("Being helped")
        DONE = "done", _("Done")
        NO_SHOW = "no_show", _("Did not come")
        TRANSFERRED = "transferred", _("Sent to an official counter")
        CANCELLED = "cancelled", _("Cancelled")

    class Source(models.TextChoices):
        KIOSK = "kiosk", _("Kiosk")
        PHONE = "phone", _("Own phone")
        DESK = "desk", _("At the desk")
        API = "api", _("API")

    point = models.ForeignKey(
        "places.ServicePoint",
        verbose_name=_("service point"),
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    day = models.DateField(_("day"))  # the local (Asia/Ho_Chi_Minh) date the number belongs to
    number = models.PositiveIntegerField(_("number"))
    need = models.CharField(_("need"), max_length=20, choices=Need.choices)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.KIOSK)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.WAITING)
    desk = models.CharField(_("desk"), max_length=30, blank=True)
    served_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("served by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("taken at"), auto_now_add=True)
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # How many times the number was announced (call, then each recall): the board speaks again
    # whenever this changes.
    calls = models.PositiveSmallIntegerField(_("calls"), default=0)
    # Lets the citizen's phone follow its own ticket and rate the help without signing in.
    public_token = models.CharField(max_length=43, unique=True)

    class Meta:
        ordering = ["day", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["point", "day", "number"], name="ticket_number_unique_per_point_day"
            )
        ]
        indexes = [
            models.Index(fields=["point", "day", "status", "number"], name="ticket_queue_idx"),
            # "Is this desk still serving someone?" before each call.
            models.Index(fields=["point", "day", "desk"], name="ticket_desk_idx"),
        ]
        verbose_name = _("queue ticket")
        verbose_name_plural = _("queue tickets")

    def __str__(self) -> str:
        return f"{self.number:03d}"
