"""Writing guides: drafts, screenshots, publishing versions, the changed-procedure review, the loader.

Each service owns its transaction, locks the guide it changes and writes an audit entry. Rules
people can fix raise ``DomainError`` with a stable code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xungkich.catalogue.facts import describe_facts, procedure_facts, procedure_queryset
from xungkich.catalogue.models import Procedure
from xungkich.core.audit import log_action
from xungkich.core.errors import DomainError
from xungkich.guides.content import (
    ContentError,
    GuideContent,
    GuideSeed,
    changed_fields,
    check_slug,
    fingerprint,
    load_seed_files,
)
from xungkich.guides.images import ProcessedImage
from xungkich.guides.models import Guide, GuideImage, GuideProcedureReview, GuideVersion
from xungkich.guides.signals import guide_published, guide_unpublished
from xungkich.people.models import OrgUnit, User
from xungkich.tickets.models import Need


def _content_error(error: ContentError) -> DomainError:
    # Looked up when raised, so the message follows the request's language.
    messages = {
        "no_steps": _("A guide needs at least one step before it can be published."),
        "too_many_steps": _("A guide has at most 30 steps."),
        "too_many_problems": _("A guide lists at most 20 common errors."),
        "step_incomplete": _("Every step needs a title and a text."),
        "image_without_alt": _("Every screenshot needs a description."),
        "problem_incomplete": _("Each common error needs what goes wrong and what to do."),
    }
    return DomainError(messages.get(error.code, str(error)), error.code)


def _lock(guide: Guide) -> Guide:
    return Guide.objects.select_for_update().get(pk=guide.pk)


def _check_needs(needs: Iterable[str]) -> list[str]:
    values = list(dict.fromkeys(needs))
    unknown = [n for n in values if n not in Need.values]
    if unknown:
        raise DomainError(_("Unknown help need: %(codes)s.") % {"codes": ", ".join(unknown)}, "unknown_need")
    return values


def guide_url(guide: Guide) -> str:
    return reverse("guides:guide", args=[guide.slug])


# --- Drafts ----------------------------------------------------------------------------------------


@transaction.atomic
def create_guide(*, by: User | None, slug: str, title: str, unit: OrgUnit | None) -> Guide:
    try:
        check_slug(slug)
    except ContentError as error:
        raise DomainError(_("This web address cannot be used."), error.code) from None
    if Guide.objects.filter(slug=slug).exists():
        raise DomainError(_("Another guide already uses this web address."), "slug_taken")
    guide = Guide.objects.create(
        slug=slug,
        title=title,
        unit=unit,
        content=GuideContent().to_dict(),
        draft_updated_at=timezone.now(),
        draft_updated_by=by,
    )
    log_action(actor=by, action="guide.create", obj=guide, unit=unit, after={"slug": slug, "title": title})
    return guide


@dataclass
class DraftStep:
    """A step as the editor submitted it: ``new_image`` is a processed upload to store."""

    title: str
    body: str
    tip: str = ""
    image_id: int | None = None
    image_alt: str = ""
    new_image: ProcessedImage | None = None


@dataclass
class Draft:
    title: str
    summary: str
    steps: Sequence[DraftStep]
    prepare: Sequence[str] = ()
    problems: Sequence[Mapping[str, str]] = ()
    needs: Sequence[str] = ()
    aliases: Sequence[str] = ()
    procedures: Sequence[Procedure] = field(default_factory=list)
    order: int = 0


@transaction.atomic
def save_draft(*, guide: Guide, by: User | None, draft: Draft) -> Guide:
    """Replace the draft (citizens keep seeing the published version until the next publish)."""
    guide = _lock(guide)
    needs = _check_needs(draft.needs)
    own_images = set(GuideImage.objects.filter(guide=guide).values_list("pk", flat=True))
    steps: list[dict[str, Any]] = []
    for step in draft.steps:
        image_id = step.image_id
        if step.new_image is not None:
            image = GuideImage.objects.create(
                guide=guide,
                data=step.new_image.data,
                width=step.new_image.width,
                height=step.new_image.height,
                uploaded_by=by,
            )
            image_id = image.pk
            own_images.add(image.pk)
        elif image_id is not None and image_id not in own_images:
            raise DomainError(_("A screenshot does not belong to this guide."), "foreign_image")
        steps.append(
            {
                "title": step.title,
                "body": step.body,
                "tip": step.tip,
                "image_id": image_id,
                "image_alt": step.image_alt,
            }
        )
    content = GuideContent.from_dict(
        {
            "summary": draft.summary,
            "prepare": list(draft.prepare),
            "steps": steps,
            "problems": list(draft.problems),
        }
    )
    before = {"title": guide.title, "content": guide.content, "needs": guide.needs}
    guide.title = draft.title
    guide.content = content.to_dict()
    guide.needs = needs
    guide.aliases = list(dict.fromkeys(draft.aliases))
    guide.order = draft.order
    guide.draft_updated_at = timezone.now()
    guide.draft_updated_by = by
    guide.save(
        update_fields=[
            "title",
            "content",
            "needs",
            "aliases",
            "order",
            "draft_updated_at",
            "draft_updated_by",
        ]
    )
    guide.procedures.set(draft.procedures)
    log_action(
        actor=by,
        action="guide.save_draft",
        obj=guide,
        unit=guide.unit,
        before=before,
        after={
            "title": guide.title,
            "content": guide.content,
            "needs": needs,
            "procedures": [p.pk for p in draft.procedures],
        },
    )
    return guide


# --- Publishing ------------------------------------------------------------------------------------


@transaction.atomic
def publish_guide(*, guide: Guide, by: User | None) -> GuideVersion:
    """Snapshot the draft as the next version; citizens see it at once; the search index follows
    (``guide_published``)."""
    guide = _lock(guide)
    content = GuideContent.from_dict(guide.content)
    try:
        content.validate()
    except ContentError as error:
        raise _content_error(error) from None
    if not guide.title:
        raise DomainError(_("A guide needs a title."), "no_title")
    missing = content.image_ids() - set(GuideImage.objects.filter(guide=guide).values_list("pk", flat=True))
    if missing:
        raise DomainError(_("A screenshot of this guide is missing; upload it again."), "missing_image")
    last = guide.versions.aggregate(last=Max("number"))["last"] or 0
    version = GuideVersion.objects.create(
        guide=guide,
        number=last + 1,
        title=guide.title,
        content=content.to_dict(),
        needs=list(guide.needs),
        aliases=list(guide.aliases),
        procedure_ids=sorted(guide.procedures.values_list("pk", flat=True)),
        published_at=timezone.now(),
        published_by=by,
    )
    guide.published_version = version
    guide.status = Guide.Status.PUBLISHED
    guide.save(update_fields=["published_version", "status"])
    guide_published.send(sender=Guide, guide=guide, version=version)
    log_action(
        actor=by, action="guide.publish", obj=guide, unit=guide.unit, after={"version": version.number}
    )
    return version


@transaction.atomic
def unpublish_guide(*, guide: Guide, by: User | None) -> Guide:
    """Take the guide off the citizen pages and out of search; its versions stay."""
    guide = _lock(guide)
    if guide.status != Guide.Status.PUBLISHED:
        raise DomainError(_("This guide is not published."), "not_published")
    guide.status = Guide.Status.DRAFT
    guide.save(update_fields=["status"])
    guide_unpublished.send(sender=Guide, guide=guide)
    log_action(actor=by, action="guide.unpublish", obj=guide, unit=guide.unit)
    return guide


def has_unpublished_changes(guide: Guide) -> bool:
    version = guide.published_version
    if version is None:
        return True
    return (
        version.title != guide.title
        or version.content != guide.content
        or list(version.needs) != list(guide.needs)
        or list(version.aliases) != list(guide.aliases)
    )


# --- The changed-procedure check -------------------------------------------------------------------


@dataclass(frozen=True)
class ProcedureChange:
    procedure: Procedure
    fields: tuple[str, ...]  # "name", "fee", "mode"; all three when never reviewed
    reviewed: Mapping[str, Any] | None
    current: Mapping[str, Any]

    @property
    def diff(self) -> list[tuple[str, Any, Any]]:
        """(field, value at review, value now) for each changed field."""
        before = self.reviewed or {}
        return [
            (name, describe_facts(before.get(name)), describe_facts(self.current.get(name)))
            for name in self.fields
        ]


@dataclass(frozen=True)
class GuideReviewStatus:
    guide: Guide
    changes: tuple[ProcedureChange, ...]


def review_status(guides: Iterable[Guide]) -> list[GuideReviewStatus]:
    """For each guide, the linked procedures whose name, fee or mode changed since its review.

    Five queries whatever the number of guides: the links, the procedures with their ways to
    submit and fees (what ``procedure_facts`` reads), and the stored reviews.
    """
    guides = list(guides)
    ids = [g.pk for g in guides]
    pairs = list(
        Guide.procedures.through.objects.filter(guide_id__in=ids).values_list("guide_id", "procedure_id")
    )
    linked: dict[int, list[int]] = {}
    for guide_id, procedure_id in pairs:
        linked.setdefault(guide_id, []).append(procedure_id)
    procedures = {p.pk: p for p in procedure_queryset().filter(pk__in={pid for _g, pid in pairs})}
    reviews = {(r.guide_id, r.procedure_id): r for r in GuideProcedureReview.objects.filter(guide_id__in=ids)}
    result = []
    for guide in guides:
        changes = []
        for procedure_id in sorted(linked.get(guide.pk, [])):
            procedure = procedures[procedure_id]
            facts = procedure_facts(procedure)
            review = reviews.get((guide.pk, procedure_id))
            if review is not None and review.fingerprint == fingerprint(facts):
                continue
            reviewed = review.facts if review is not None else None
            changes.append(
                ProcedureChange(
                    procedure=procedure,
                    fields=tuple(changed_fields(reviewed, facts)),
                    reviewed=reviewed,
                    current=facts,
                )
            )
        result.append(GuideReviewStatus(guide=guide, changes=tuple(changes)))
    return result


@transaction.atomic
def mark_reviewed(*, guide: Guide, by: User | None) -> Guide:
    """The editor checked the guide against its procedures as they are now: store their fingerprints."""
    guide = _lock(guide)
    now = timezone.now()
    procedures = list(procedure_queryset().filter(guides=guide))
    GuideProcedureReview.objects.filter(guide=guide).exclude(procedure__in=procedures).delete()
    for procedure in procedures:
        facts = procedure_facts(procedure)
        GuideProcedureReview.objects.update_or_create(
            guide=guide,
            procedure=procedure,
            defaults={"fingerprint": fingerprint(facts), "facts": facts, "reviewed_at": now},
        )
    guide.reviewed_at = now
    guide.reviewed_by = by
    guide.save(update_fields=["reviewed_at", "reviewed_by"])
    log_action(
        actor=by,
        action="guide.mark_reviewed",
        obj=guide,
        unit=guide.unit,
        after={"procedures": [p.pk for p in procedures]},
    )
    return guide


# --- The loader ------------------------------------------------------------------------------------


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_edited: list[str] = field(default_factory=list)  # changed in the app: the file is not applied
    missing_procedures: dict[str, list[str]] = field(default_factory=dict)
    indexed: int = 0


def _seed_state(seed: GuideSeed, found: Mapping[str, Procedure]) -> str:
    """The seed's digest plus the procedures found: a procedure imported later re-applies the seed."""
    linked = ",".join(sorted(code for code in seed.procedures if code in found))
    return fingerprint({"name": seed.digest(), "fee": linked, "mode": ""})


@transaction.atomic
def load_guides(*, seeds: Sequence[GuideSeed] | None = None, by: User | None = None) -> LoadReport:
    """Create or update the guides of ``content/`` (idempotent) and index every published guide.

    A guide already changed in the app (a draft saved by a person) is left alone: the editors'
    text wins over the file.
    """
    seeds = load_seed_files() if seeds is None else seeds
    report = LoadReport()
    codes = {code for seed in seeds for code in seed.procedures}
    found = {p.code: p for p in Procedure.objects.filter(code__in=codes)}
    for seed in seeds:
        missing = [code for code in seed.procedures if code not in found]
        if missing:
            report.missing_procedures[seed.slug] = missing
        state = _seed_state(seed, found)
        guide = Guide.objects.filter(slug=seed.slug).first()
        if guide is not None and guide.seed_digest == state:
            report.unchanged.append(seed.slug)
            continue
        if guide is not None and guide.draft_updated_by_id is not None:
            report.kept_edited.append(seed.slug)
            continue
        if guide is None:
            guide = Guide.objects.create(slug=seed.slug, title=seed.title, unit=None)
            report.created.append(seed.slug)
        else:
            report.updated.append(seed.slug)
        guide.title = seed.title
        guide.content = seed.content.to_dict()
        guide.needs = _check_needs(seed.needs)
        guide.aliases = list(seed.aliases)
        guide.order = seed.order
        guide.seed_digest = state
        guide.draft_updated_at = timezone.now()
        guide.save(
            update_fields=["title", "content", "needs", "aliases", "order", "seed_digest", "draft_updated_at"]
        )
        guide.procedures.set([found[code] for code in seed.procedures if code in found])
        if (
            guide.published_version is None
            or has_unpublished_changes(guide)
            or guide.published_version.procedure_ids != sorted(p.pk for p in guide.procedures.all())
        ):
            publish_guide(guide=guide, by=by)
        mark_reviewed(guide=guide, by=by)
    report.indexed = reindex_guides()
    return report


def reindex_guides() -> int:
    """Announce every published guide's current version again, so the search index holds them all."""
    count = 0
    for guide in Guide.objects.filter(status=Guide.Status.PUBLISHED).select_related("published_version"):
        assert guide.published_version is not None
        guide_published.send(sender=Guide, guide=guide, version=guide.published_version)
        count += 1
    return count
