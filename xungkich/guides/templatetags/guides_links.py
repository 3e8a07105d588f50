"""``{% linked_guides procedure %}``: the published guides for a procedure, on the procedure page."""

from __future__ import annotations

from typing import Any

from django import template

from xungkich.catalogue.models import Procedure
from xungkich.guides.published import published_guides_for

register = template.Library()


@register.inclusion_tag("guides/guide_links.html")
def linked_guides(procedure: Procedure) -> dict[str, Any]:
    return {"guides": published_guides_for(procedure)}
