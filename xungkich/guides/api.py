"""The guides endpoints of JSON API v1."""

from __future__ import annotations

import re
from typing import Annotated

from django.http import Http404, HttpRequest
from ninja import Path, Router, Schema
from pydantic import Field

from xungkich.api.errors import errors

router = Router(tags=["guides"])

SLUG = re.compile(r"[-a-zA-Z0-9_]+")
SLUG_MAX = 80  # Guide.slug


class GuideSummary(Schema):
    slug: str
    title: str
    summary: str
    needs: list[str] = Field(description="Help need codes (tickets.models.Need)")
    version: int
    url: str


class GuideStep(Schema):
    title: str
    body: str
    tip: str
    image_url: str | None


class GuideProblem(Schema):
    problem: str
    solution: str


class GuideDetail(GuideSummary):
    prepare: list[str]
    steps: list[GuideStep]
    problems: list[GuideProblem]
    procedures: list[str] = Field(description="Codes of the linked procedures")
    handout_a4: str
    handout_a5: str
    published_at: str


@router.get("/guides", response={200: list[GuideSummary]}, auth=None)
def guide_list(request: HttpRequest) -> list[dict[str, object]]:
    """The published step-by-step guides (their latest published version). Public."""
    from xungkich.guides.published import published_summaries

    return published_summaries()


@router.get("/guides/{slug}", response={200: GuideDetail, **errors(400, 404)}, auth=None)
def guide_detail(request: HttpRequest, slug: Annotated[str, Path(max_length=SLUG_MAX)]) -> dict[str, object]:
    """One published guide: its steps, common errors, linked procedures and handouts. Public.

    404 ``{"code": "not_found"}`` for an unknown or unpublished guide."""
    from xungkich.guides.published import published_detail

    if not SLUG.fullmatch(slug):  # not a slug: no such guide (and no NUL byte reaches the database)
        raise Http404
    detail = published_detail(slug)
    if detail is None:
        raise Http404
    return detail
