"""The search endpoint of JSON API v1."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from xungkich.api.errors import errors
from xungkich.api.fields import CleanText
from xungkich.search.services import MAX_LIMIT, MAX_QUERY_LENGTH, search

# Tagged "guides" like before the split, so the published API description does not change.
router = Router(tags=["guides"])


class SearchParams(Schema):
    q: CleanText = Field("", max_length=MAX_QUERY_LENGTH, description="What the person typed, as typed.")
    limit: int = Field(10, ge=1, le=MAX_LIMIT)


class SearchResult(Schema):
    type: str = Field(description='"procedure" or "guide"')
    code: str
    title: str
    url: str
    score: float


class SearchResults(Schema):
    results: list[SearchResult]


# The operation id it had when this endpoint lived in the guides app: clients generated from the
# OpenAPI schema call it by that name.
@router.get(
    "/search",
    response={200: SearchResults, **errors(400)},
    auth=None,
    operation_id="xungkich_guides_api_search_endpoint",
)
def search_endpoint(request: HttpRequest, params: Query[SearchParams]) -> dict[str, object]:
    """Procedures and guides matching a query typed the way people type (no diacritics, typos,
    everyday names, abbreviations), best first. Public."""
    return {"results": [hit.as_dict() for hit in search(params.q, limit=params.limit)]}
