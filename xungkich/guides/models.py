"""Models of the guides app: the procedure catalogue and the search index.

Procedure ─< SubmissionChannel (online / by post / in person: time, notes)
                  └─< Fee (amount with the date it takes effect)

SearchDocument is a denormalised row per searchable thing (a procedure or a guide) with folded
copies of its text; SearchToken lists its folded words so candidates are fetched with one indexed
``token IN (...)`` query on SQLite and PostgreSQL alike. Other parts of the app write to it only
through ``xungkich.guides.search_index.index_document`` / ``remove_document``.
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


class SearchDocument(models.Model):
    class Kind(models.TextChoices):
        PROCEDURE = "procedure", _("Procedure")
        GUIDE = "guide", _("Guide")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    code = models.CharField(_("code"), max_length=100)
    title = models.CharField(_("title"), max_length=500)
    url = models.CharField(_("address"), max_length=500)
    body = models.TextField(_("text"), blank=True)
    aliases = models.JSONField(_("everyday names"), default=list, blank=True)
    # Comparison keys (xungkich.lib.vietnamese.search_keys): "toned" keeps the diacritics with the
    # tone mark placement and i/y spelling made uniform; "folded" has no diacritics at all.
    title_toned = models.TextField(blank=True)
    title_folded = models.TextField(blank=True)
    aliases_toned = models.TextField(blank=True)  # one alias per line
    aliases_folded = models.TextField(blank=True)
    body_folded = models.TextField(blank=True)
    weight = models.FloatField(_("weight"), default=1.0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="searchdocument_unique_kind_code"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.code}"


class SearchToken(models.Model):
    """A folded word of a document's title, aliases, code or text: the index candidates come from."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="tokens")
    token = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "token"], name="searchtoken_unique_per_document"),
        ]
        indexes = [models.Index(fields=["token"], name="searchtoken_token_idx")]

    def __str__(self) -> str:
        return self.token


# guides ------------------------------------------------------------------------------------------
# Step-by-step guides (docs/guides.md). The editable draft lives on Guide; publishing copies it
# into a numbered GuideVersion, and citizens always read the guide's latest published version.


class Guide(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    slug = models.SlugField(_("web address"), max_length=80, unique=True)
    unit = models.ForeignKey(
        "people.OrgUnit",
        verbose_name=_("maintained by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: a shared guide every coordinator may edit."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The draft, edited by coordinators.
    title = models.CharField(_("title"), max_length=200)
    content = models.JSONField(_("content"), default=dict, blank=True)  # guide_content.GuideContent
    needs = models.JSONField(_("help needs"), default=list, blank=True)  # tickets.models.Need codes
    aliases = models.JSONField(_("other names"), default=list, blank=True)
    procedures = models.ManyToManyField(
        "guides.Procedure", verbose_name=_("linked procedures"), blank=True, related_name="guides"
    )
    draft_updated_at = models.DateTimeField(_("draft changed at"), null=True, blank=True)
    draft_updated_by = models.ForeignKey(
        "people.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What citizens see.
    published_version = models.ForeignKey(
        "guides.GuideVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The changed-procedure check: the last time an editor confirmed the guide against its procedures.
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "people.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The loader's mark: the digest of the seed file last applied (empty for guides made in the app).
    seed_digest = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["order", "title"]
        verbose_name = _("guide")
        verbose_name_plural = _("guides")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_version__isnull=False),
                name="guide_published_has_version",
            )
        ]

    def __str__(self) -> str:
        return self.title


class GuideVersion(models.Model):
    """A published snapshot of a guide's draft: never changed once written."""

    guide = models.ForeignKey(
        Guide, verbose_name=_("guide"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    content = models.JSONField(_("content"), default=dict)
    needs = models.JSONField(_("help needs"), default=list)
    aliases = models.JSONField(_("other names"), default=list)
    procedure_ids = models.JSONField(_("linked procedures"), default=list)
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        "people.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["guide", "-number"]
        verbose_name = _("guide version")
        verbose_name_plural = _("guide versions")
        constraints = [
            models.UniqueConstraint(fields=["guide", "number"], name="guide_version_number_unique"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="guide_version_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"


class GuideImage(models.Model):
    """A screenshot of one step: a resized JPEG without metadata, kept in the database.

    In the database rather than on disk so that any number of app processes serve it without a
    shared file system; the images are small (at most 1000 px, about 50–150 KB).
    """

    guide = models.ForeignKey(Guide, verbose_name=_("guide"), on_delete=models.CASCADE, related_name="images")
    data = models.BinaryField(_("image"))
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        "people.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("guide image")
        verbose_name_plural = _("guide images")

    def __str__(self) -> str:
        return f"{self.guide_id}/{self.pk}"


class GuideProcedureReview(models.Model):
    """What a linked procedure looked like (name, fee, mode) when an editor last reviewed the guide."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="procedure_reviews")
    procedure = models.ForeignKey("guides.Procedure", on_delete=models.CASCADE, related_name="+")
    fingerprint = models.CharField(max_length=64)
    facts = models.JSONField(default=dict)
    reviewed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("procedure review")
        verbose_name_plural = _("procedure reviews")
        constraints = [
            models.UniqueConstraint(fields=["guide", "procedure"], name="guide_procedure_review_unique")
        ]

    def __str__(self) -> str:
        return f"{self.guide_id}/{self.procedure_id}"
