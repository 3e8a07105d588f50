"""The guides endpoints of JSON API v1."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from xungkich.guides.search import MAX_LIMIT, MAX_QUERY_LENGTH, search

router = Router(tags=["guides"])


class SearchParams(Schema):
    q: str = Field("", max_length=MAX_QUERY_LENGTH, description="What the person typed, as typed.")
    limit: int = Field(10, ge=1, le=MAX_LIMIT)


class SearchResult(Schema):
    type: str = Field(description='"procedure" or "guide"')
    code: str
    title: str
    url: str
    score: float


class SearchResults(Schema):
    results: list[SearchResult]


@router.get("/search", response=SearchResults, auth=None)
def search_endpoint(request: HttpRequest, params: Query[SearchParams]) -> dict[str, object]:
    """Procedures and guides matching a query typed the way people type (no diacritics, typos,
    everyday names, abbreviations), best first. Public."""
    return {"results": [hit.as_dict() for hit in search(params.q, limit=params.limit)]}
