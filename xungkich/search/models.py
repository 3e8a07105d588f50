"""Models of the search index.

SearchDocument is a denormalised row per searchable thing (a procedure or a guide) with folded
copies of its text; SearchToken lists its folded words so candidates are fetched with one indexed
``token IN (...)`` query on SQLite and PostgreSQL alike. Other parts of the app write to it only
through ``xungkich.search.indexing.index_document`` / ``remove_document``.

The tables keep the names they had when search lived in the guides app (``guides_*``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
        db_table = "guides_searchdocument"
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
        db_table = "guides_searchtoken"
        constraints = [
            models.UniqueConstraint(fields=["document", "token"], name="searchtoken_unique_per_document"),
        ]
        indexes = [models.Index(fields=["token"], name="searchtoken_token_idx")]

    def __str__(self) -> str:
        return self.token
