"""The public search page (no sign-in: citizens open it from a QR code or a link)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

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
