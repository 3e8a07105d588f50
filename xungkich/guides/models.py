"""Models of the guides app: step-by-step guides (docs/guides.md).

The editable draft lives on Guide; publishing copies it into a numbered GuideVersion, and citizens
always read the guide's latest published version. Guides link procedures of the catalogue.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
    content = models.JSONField(_("content"), default=dict, blank=True)  # content.GuideContent
    needs = models.JSONField(_("help needs"), default=list, blank=True)  # tickets.models.Need codes
    aliases = models.JSONField(_("other names"), default=list, blank=True)
    procedures = models.ManyToManyField(
        "catalogue.Procedure", verbose_name=_("linked procedures"), blank=True, related_name="guides"
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
    procedure = models.ForeignKey("catalogue.Procedure", on_delete=models.CASCADE, related_name="+")
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
