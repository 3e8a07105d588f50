"""Models of the procedure catalogue: what citizens apply for, how, and what it costs.

Procedure ─< SubmissionChannel (online / by post / in person: time, notes)
                  └─< Fee (amount with the date it takes effect)

The tables keep the names they had when the catalogue lived in the guides app (``guides_*``):
renaming tables of a live database buys nothing, and the move stays a state-only migration.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Procedure(models.Model):
    class Level(models.TextChoices):
        COMMUNE = "commune", _("Commune / ward")
        PROVINCE = "province", _("Province / city")
        MINISTRY = "ministry", _("Ministry / central agency")

    class OnlineMode(models.TextChoices):
        # Decree 42/2022/NĐ-CP, Art. 11; the legacy labels of Decree 43/2011 are in legacy_label.
        FULL = "full", _("Fully online (toàn trình)")
        PARTIAL = "partial", _("Partly online (một phần)")
        NONE = "none", _("Not online")

    code = models.CharField(_("procedure code"), max_length=40, unique=True)
    name = models.CharField(_("official name"), max_length=500)
    field = models.CharField(_("field"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.COMMUNE)
    agency = models.CharField(_("agency"), max_length=300, blank=True)
    online_mode = models.CharField(
        _("online mode"), max_length=10, choices=OnlineMode.choices, default=OnlineMode.NONE
    )
    # Plain words for citizens: what the procedure is for, in one or two sentences.
    summary = models.TextField(_("summary"), blank=True)
    # Documents required (thành phần hồ sơ), one per item, in order.
    documents = models.JSONField(_("documents required"), default=list, blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    official_url = models.URLField(_("official link"), max_length=500, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    verified = models.BooleanField(_("verified"), default=False)
    # The names people use for it ("sổ đỏ", "CCCD"...), searched like the official name.
    aliases = models.JSONField(_("everyday names"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "guides_procedure"
        ordering = ["code"]
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def legacy_label(self) -> str:
        """The level of Decree 43/2011 people still use: toàn trình ≈ mức độ 4, một phần ≈ mức độ 3."""
        if self.online_mode == self.OnlineMode.FULL:
            return str(_("level 4"))
        if self.online_mode == self.OnlineMode.PARTIAL:
            return str(_("level 3"))
        return ""


class SubmissionChannel(models.Model):
    class Kind(models.TextChoices):
        ONLINE = "online", _("Online")
        POST = "post", _("By post")
        IN_PERSON = "in_person", _("In person")

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="channels"
    )
    kind = models.CharField(_("way to submit"), max_length=20, choices=Kind.choices)
    processing_time = models.CharField(_("processing time"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        db_table = "guides_submissionchannel"
        ordering = ["procedure", "kind"]
        verbose_name = _("way to submit")
        verbose_name_plural = _("ways to submit")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "kind"], name="channel_unique_kind_per_procedure"),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} {self.get_kind_display()}"

    def fee_on(self, day: dt.date) -> Fee | None:
        """The fee in force on ``day``: the latest that took effect on or before it (prefetched fees)."""
        current = [fee for fee in self.fees.all() if fee.effective_from is None or fee.effective_from <= day]
        current.sort(key=lambda fee: fee.effective_from or dt.date.min)
        return current[-1] if current else None


class Fee(models.Model):
    channel = models.ForeignKey(
        SubmissionChannel, verbose_name=_("way to submit"), on_delete=models.CASCADE, related_name="fees"
    )
    # In đồng; None when the fee is described only in words ("theo quy định của tỉnh").
    amount = models.PositiveIntegerField(_("amount (VND)"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=500, blank=True)
    effective_from = models.DateField(_("in effect from"), null=True, blank=True)

    class Meta:
        db_table = "guides_fee"
        ordering = ["channel", "effective_from"]
        verbose_name = _("fee")
        verbose_name_plural = _("fees")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "effective_from"],
                name="fee_unique_date_per_channel",
            ),
            models.UniqueConstraint(
                fields=["channel"],
                condition=Q(effective_from__isnull=True),
                name="fee_unique_undated_per_channel",
            ),
        ]

    def __str__(self) -> str:
        return self.description or str(self.amount)
