"""Plain data of published guides: for the JSON API (``api.py`` declares the endpoints) and for the
procedure pages (``templatetags/guides_links.py``)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse

from xungkich.catalogue.models import Procedure
from xungkich.guides.content import GuideContent
from xungkich.guides.models import Guide, GuideVersion


def _summary(guide: Guide, version: GuideVersion, content: GuideContent) -> dict[str, object]:
    return {
        "slug": guide.slug,
        "title": version.title,
        "summary": content.summary,
        "needs": list(version.needs),
        "version": version.number,
        "url": reverse("guides:guide", args=[guide.slug]),
    }


def _published() -> QuerySet[Guide]:
    return Guide.objects.filter(
        status=Guide.Status.PUBLISHED, published_version__isnull=False
    ).select_related("published_version")


def published_summaries() -> list[dict[str, object]]:
    rows = []
    for guide in _published():
        version = guide.published_version
        assert version is not None
        rows.append(_summary(guide, version, GuideContent.from_dict(version.content)))
    return rows


def published_detail(slug: str) -> dict[str, object] | None:
    guide = _published().filter(slug=slug).first()
    if guide is None or guide.published_version is None:
        return None
    version = guide.published_version
    content = GuideContent.from_dict(version.content)
    codes = list(
        Procedure.objects.filter(pk__in=version.procedure_ids).order_by("code").values_list("code", flat=True)
    )
    return {
        **_summary(guide, version, content),
        "prepare": list(content.prepare),
        "steps": [
            {
                "title": step.title,
                "body": step.body,
                "tip": step.tip,
                "image_url": reverse("guides:image", args=[step.image_id]) if step.image_id else None,
            }
            for step in content.steps
        ],
        "problems": [{"problem": p.problem, "solution": p.solution} for p in content.problems],
        "procedures": codes,
        "handout_a4": reverse("guides:handout", args=[guide.slug, "a4"]),
        "handout_a5": reverse("guides:handout", args=[guide.slug, "a5"]),
        "published_at": version.published_at.isoformat(),
    }


def published_guides_for(procedure: Procedure) -> list[dict[str, str]]:
    """The published guides whose current version links ``procedure``: for the procedure page.

    ``[{"slug", "title", "url"}]`` in the guides' order; one query.
    """
    guides = (
        Guide.objects.filter(status=Guide.Status.PUBLISHED, published_version__isnull=False)
        .select_related("published_version")
        .order_by("order", "title")
    )
    return [
        {"slug": g.slug, "title": g.published_version.title, "url": reverse("guides:guide", args=[g.slug])}
        for g in guides
        if g.published_version is not None and procedure.pk in g.published_version.procedure_ids
    ]
