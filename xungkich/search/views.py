"""The public search page (no sign-in: citizens open it from a QR code or a link), and the offline
search index for the volunteers' phones (signed in)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from xungkich.search import offline
from xungkich.search.services import MAX_QUERY_LENGTH, search

SEARCH_PAGE_LIMIT = 20


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH].strip()
    results = search(query, limit=SEARCH_PAGE_LIMIT) if query else []
    context = {"query": query, "results": results, "max_length": MAX_QUERY_LENGTH}
    template = "search/_search_results.html" if _is_htmx(request) else "search/search.html"
    return render(request, template, context)


@require_GET
@gzip_page
@login_required
def offline_index(request: HttpRequest) -> HttpResponse:
    """The procedure catalogue for searching without network (``search.offline``), for the people
    signed in to the app. The ETag is the index's version: a phone that sends it back in
    If-None-Match gets a bodiless 304 while nothing changed."""
    index = offline.offline_index()
    response = HttpResponse(offline.offline_index_json(index), content_type="application/json")
    response["ETag"] = f'"{index["version"]}"'
    # Revalidate on every use. For a signed-in person core.security's middleware makes this
    # "private, no-store", so the page keeps the index itself and sends If-None-Match with it.
    patch_cache_control(response, private=True, max_age=0)
    return get_conditional_response(request, etag=response["ETag"], response=response) or response
