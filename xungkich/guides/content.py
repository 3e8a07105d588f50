"""The text of a step-by-step guide as plain data: parsed, validated, stored as JSON, read aloud.

A guide's content is the same shape in the editor's draft, in every published version and in the
seed files under ``content/``:

    summary   one or two sentences: what the guide helps with
    prepare   a short list: what to have at hand before starting
    steps     numbered steps: a title, a body (paragraphs separated by a blank line), an optional
              tip, an optional image (the id of an uploaded ``GuideImage`` and its alt text)
    problems  common errors: what the person sees and what to do

No database and no Django here: the loader, the editor, the PDF handouts and the search index
all take and give these dataclasses.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CONTENT_DIR = Path(__file__).resolve().parent / "content"

MAX_STEPS = 30
MAX_PROBLEMS = 20
SLUG_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")
# Words the editor pages use under /huong-dan/: a guide may never take one of them as its slug.
RESERVED_SLUGS = frozenset({"quan-ly", "anh", "pano", "manage", "static"})


class ContentError(ValueError):
    """The content breaks a rule; ``code`` is stable, ``message`` is English for logs and the CLI."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _text(value: object) -> str:
    """NFC, trimmed, Windows line ends folded, at most one blank line between paragraphs."""
    text = unicodedata.normalize("NFC", str(value or "")).replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = [" ".join(part.split()) for part in text.split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


def paragraphs(text: str) -> list[str]:
    return [part for part in text.split("\n\n") if part.strip()]


@dataclass(frozen=True)
class Step:
    title: str
    body: str
    tip: str = ""
    image_id: int | None = None
    image_alt: str = ""

    @property
    def paragraphs(self) -> list[str]:
        return paragraphs(self.body)


@dataclass(frozen=True)
class Problem:
    problem: str
    solution: str


@dataclass(frozen=True)
class GuideContent:
    summary: str = ""
    prepare: tuple[str, ...] = ()
    steps: tuple[Step, ...] = ()
    problems: tuple[Problem, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "summary": self.summary,
            "prepare": list(self.prepare),
            "steps": [
                {
                    "title": s.title,
                    "body": s.body,
                    "tip": s.tip,
                    "image_id": s.image_id,
                    "image_alt": s.image_alt,
                }
                for s in self.steps
            ],
            "problems": [{"problem": p.problem, "solution": p.solution} for p in self.problems],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> GuideContent:
        """Clean whatever was stored or typed; never raises on missing keys (see ``validate``)."""
        data = data or {}
        steps = []
        for raw in data.get("steps") or ():
            image_id = raw.get("image_id")
            steps.append(
                Step(
                    title=_text(raw.get("title")),
                    body=_text(raw.get("body")),
                    tip=_text(raw.get("tip")),
                    image_id=int(image_id) if image_id not in (None, "") else None,
                    image_alt=_text(raw.get("image_alt")) if image_id not in (None, "") else "",
                )
            )
        return cls(
            summary=_text(data.get("summary")),
            prepare=tuple(t for t in (_text(item) for item in data.get("prepare") or ()) if t),
            steps=tuple(steps),
            problems=tuple(
                Problem(problem=_text(raw.get("problem")), solution=_text(raw.get("solution")))
                for raw in data.get("problems") or ()
            ),
        )

    def validate(self) -> None:
        """Raise ContentError on the first rule broken (publishing needs a complete guide)."""
        if not self.steps:
            raise ContentError("no_steps", "A guide needs at least one step.")
        if len(self.steps) > MAX_STEPS:
            raise ContentError("too_many_steps", f"A guide has at most {MAX_STEPS} steps.")
        if len(self.problems) > MAX_PROBLEMS:
            raise ContentError("too_many_problems", f"A guide lists at most {MAX_PROBLEMS} problems.")
        for number, step in enumerate(self.steps, start=1):
            if not step.title or not step.body:
                raise ContentError("step_incomplete", f"Step {number} needs a title and a text.")
            if step.image_id is not None and not step.image_alt:
                raise ContentError("image_without_alt", f"The image of step {number} needs a description.")
        for problem in self.problems:
            if not problem.problem or not problem.solution:
                raise ContentError(
                    "problem_incomplete", "Each common error needs what happens and what to do."
                )

    def image_ids(self) -> set[int]:
        return {s.image_id for s in self.steps if s.image_id is not None}

    def plain_text(self) -> str:
        """All words of the guide, for the search index."""
        parts: list[str] = [self.summary, *self.prepare]
        for step in self.steps:
            parts += [step.title, step.body, step.tip]
        for problem in self.problems:
            parts += [problem.problem, problem.solution]
        return "\n".join(p for p in parts if p)


@dataclass(frozen=True)
class GuideSeed:
    """One file of ``content/``: a guide as its editors first wrote it."""

    slug: str
    title: str
    content: GuideContent
    order: int = 0
    needs: tuple[str, ...] = ()
    procedures: tuple[str, ...] = ()  # procedure codes, e.g. "1.001193"
    aliases: tuple[str, ...] = ()
    source: str = field(default="", compare=False)

    def digest(self) -> str:
        """Changes when the file's meaning changes (the loader re-publishes only then)."""
        payload = {
            "title": self.title,
            "content": self.content.to_dict(),
            "order": self.order,
            "needs": list(self.needs),
            "procedures": list(self.procedures),
            "aliases": list(self.aliases),
        }
        raw = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
        return hashlib.sha256(raw).hexdigest()


def check_slug(slug: str) -> None:
    if not slug or len(slug) > 80 or not set(slug) <= SLUG_CHARS or slug.strip("-") != slug:
        raise ContentError("bad_slug", f"Bad slug {slug!r}: lower-case letters, digits and hyphens.")
    if slug in RESERVED_SLUGS:
        raise ContentError("reserved_slug", f"The slug {slug!r} is reserved.")


def parse_seed(data: Mapping[str, Any], *, source: str = "") -> GuideSeed:
    slug = str(data.get("slug") or "")
    check_slug(slug)
    title = _text(data.get("title"))
    if not title:
        raise ContentError("no_title", f"{source or slug}: a guide needs a title.")
    content = GuideContent.from_dict(data)
    content.validate()
    return GuideSeed(
        slug=slug,
        title=title,
        content=content,
        order=int(data.get("order") or 0),
        needs=tuple(str(n) for n in data.get("needs") or ()),
        procedures=tuple(str(c).strip() for c in data.get("procedures") or ()),
        aliases=tuple(_text(a) for a in data.get("aliases") or () if _text(a)),
        source=source,
    )


def load_seed_files(paths: Iterable[Path] | None = None) -> list[GuideSeed]:
    """Every ``content/*.toml`` (or the given files), ordered; duplicate slugs are an error."""
    files = sorted(paths if paths is not None else CONTENT_DIR.glob("*.toml"))
    seeds: list[GuideSeed] = []
    seen: set[str] = set()
    for path in files:
        with path.open("rb") as handle:
            seed = parse_seed(tomllib.load(handle), source=path.name)
        if seed.slug in seen:
            raise ContentError("duplicate_slug", f"{path.name}: the slug {seed.slug!r} is used twice.")
        seen.add(seed.slug)
        seeds.append(seed)
    return sorted(seeds, key=lambda s: (s.order, s.slug))


# --- The changed-procedure check ------------------------------------------------------------------

FINGERPRINT_FIELDS = ("name", "fee", "mode")


def fingerprint(facts: Mapping[str, Any]) -> str:
    """A stable hash of what a guide relies on in a procedure (name, fee, mode)."""
    payload = {key: facts.get(key) for key in FINGERPRINT_FIELDS}
    raw = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str).encode()
    return hashlib.sha256(raw).hexdigest()


def changed_fields(reviewed: Mapping[str, Any] | None, current: Mapping[str, Any]) -> list[str]:
    """Which of name, fee, mode differ since the review (all of them if never reviewed)."""
    if reviewed is None:
        return list(FINGERPRINT_FIELDS)
    return [key for key in FINGERPRINT_FIELDS if reviewed.get(key) != current.get(key)]
