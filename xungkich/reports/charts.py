"""Charts as inline SVG drawn on the server: no chart library, no script, prints as it shows.

Each chart comes with its rows, which the template shows as a data table beside it (screen
readers read the table; the SVG is labelled with the chart's title and a one-line summary).
Pure: labels and numbers in, markup out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

Number = int | Decimal

BAR_COLOUR = "#1d4ed8"  # contrast ≥ 4.5:1 on white
TEXT_COLOUR = "#1f2937"
GRID_COLOUR = "#d1d5db"


@dataclass(frozen=True)
class Chart:
    chart_id: str
    title: str
    svg: SafeString
    rows: Sequence[tuple[str, str]]  # (label, value as shown)
    empty: bool = False


def _shown(value: Number, fmt: str) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, Decimal) else f"{value:,}"
    # Vietnamese: thin spaces between thousands, a comma before decimals (1 200,5).
    return text.replace(",", "\u202f").replace(".", ",") if fmt == "vi" else text


def _scale(values: Sequence[Number]) -> float:
    top = max((float(value) for value in values), default=0.0)
    return top if top > 0 else 1.0


def bar_chart(
    chart_id: str, title: str, items: Sequence[tuple[str, Number]], *, fmt: str = "vi", limit: int = 12
) -> Chart:
    """Horizontal bars, largest first as given; labels left, values at the bar's end."""
    items = list(items)[:limit]
    rows = [(label, _shown(value, fmt)) for label, value in items]
    row_height, label_width, bar_width, value_width = 28, 236, 290, 70
    width = label_width + bar_width + value_width
    height = max(1, len(items)) * row_height + 8
    top = _scale([value for _label, value in items])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="chart chart-bar" '
        f'role="img" aria-labelledby="{chart_id}-title" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
    ]
    for index, (label, value) in enumerate(items):
        y = 4 + index * row_height
        length = max(1.0, bar_width * float(value) / top) if value else 0.0
        short = label if len(label) <= 32 else label[:31] + "…"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 18}" text-anchor="end" font-size="12" fill="{TEXT_COLOUR}">'
            f"{escape(short)}</text>"
        )
        parts.append(
            f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" height="{row_height - 10}" '
            f'fill="{BAR_COLOUR}" rx="2"></rect>'
        )
        parts.append(
            f'<text x="{label_width + length + 6:.1f}" y="{y + 18}" font-size="13" fill="{TEXT_COLOUR}">'
            f"{escape(_shown(value, fmt))}</text>"
        )
    parts.append("</svg>")
    return Chart(chart_id, title, mark_safe("".join(parts)), rows, empty=not items)  # noqa: S308 — escaped above


def column_chart(chart_id: str, title: str, items: Sequence[tuple[str, Number]], *, fmt: str = "vi") -> Chart:
    """Vertical columns in order (weeks, months), with a baseline and each value above its column."""
    items = list(items)
    rows = [(label, _shown(value, fmt)) for label, value in items]
    count = max(1, len(items))
    slot = max(28, min(70, 560 // count))
    chart_height, label_height, top_pad = 160, 34, 20
    width = slot * count + 10
    height = chart_height + label_height + top_pad
    top = _scale([value for _label, value in items])
    base = top_pad + chart_height
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="chart chart-column" '
        f'role="img" aria-labelledby="{chart_id}-title" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<line x1="5" y1="{base}" x2="{width - 5}" y2="{base}" stroke="{GRID_COLOUR}" '
        'stroke-width="1"></line>',
    ]
    for index, (label, value) in enumerate(items):
        x = 5 + index * slot
        bar = chart_height * float(value) / top if value else 0.0
        parts.append(
            f'<rect x="{x + slot * 0.15:.1f}" y="{base - bar:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{bar:.1f}" fill="{BAR_COLOUR}" rx="2"></rect>'
        )
        parts.append(
            f'<text x="{x + slot / 2:.1f}" y="{base - bar - 4:.1f}" text-anchor="middle" font-size="11" '
            f'fill="{TEXT_COLOUR}">{escape(_shown(value, fmt))}</text>'
        )
        parts.append(
            f'<text x="{x + slot / 2:.1f}" y="{base + 16}" text-anchor="middle" font-size="11" '
            f'fill="{TEXT_COLOUR}">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return Chart(chart_id, title, mark_safe("".join(parts)), rows, empty=not any(v for _l, v in items))  # noqa: S308
