"""QR codes of links for posters and screens: inline SVG for pages, PNG for PDFs.

The attendance poster (rosters) and the take-a-number poster and screen (tickets) draw the same
codes; they live here, below both.
"""

from __future__ import annotations

import io

import segno


def qr_svg(url: str) -> str:
    """Inline SVG markup (segno escapes what it writes; the URL becomes modules, not text)."""
    return segno.make(url, error="m").svg_inline(
        scale=10, border=4, dark="#000", light="#fff", omitsize=True, svgclass="poster-qr", title=url
    )


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=20, border=4)
    return buffer.getvalue()
