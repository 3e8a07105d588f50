"""A horizontal bar chart as inline SVG, drawn on the server (no chart library). Pure.

Each bar is the share of its target reached (capped at 100% in length, the real figure in the label).
The SVG is an image with a title and description for screen readers; pages show the same figures in a
data table beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    target: int

    @property
    def percent(self) -> int:
        if self.target <= 0:
            return 0
        return round(100 * self.value / self.target)


ROW = 46
LABEL_H = 18
WIDTH = 320
BAR_H = 18


def bar_chart_svg(bars: list[Bar], *, title: str, chart_id: str = "progress-chart") -> str:
    height = max(ROW * len(bars), ROW)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(chart_id)}" class="bar-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" aria-labelledby="{escape(chart_id)}-title">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
    ]
    for index, bar in enumerate(bars):
        y = index * ROW
        length = 0 if bar.target <= 0 else min(bar.value / bar.target, 1.0) * WIDTH
        fill = "#1b6e3a" if bar.target and bar.value >= bar.target else "#0b4f9c"
        figure = f"{bar.value} / {bar.target} ({bar.percent}%)" if bar.target else f"{bar.value}"
        parts.append(
            f'<text x="0" y="{y + 14}" font-size="13" fill="#1b1b1b">'
            f"{escape(bar.label)}: {escape(figure)}</text>"
        )
        parts.append(
            f'<rect x="0" y="{y + LABEL_H + 4}" width="{WIDTH}" height="{BAR_H}" fill="#eef1f5" rx="3"/>'
        )
        parts.append(
            f'<rect class="bar" data-percent="{bar.percent}" x="0" y="{y + LABEL_H + 4}" '
            f'width="{length:.1f}" height="{BAR_H}" fill="{fill}" rx="3"/>'
        )
    parts.append("</svg>")
    return "".join(parts)
