"""SVG output of laid-out pages (sizes in mm, so they print at true size)."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from packstation.labels.layout import Bars, Page, Rule, Text

FONT_FAMILY = "DejaVu Sans Mono, Menlo, Consolas, monospace"


def _num(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _items(page: Page, dy: float) -> list[str]:
    out: list[str] = []
    for item in page.items:
        if isinstance(item, Text):
            weight = ' font-weight="bold"' if item.bold else ""
            out.append(
                f'<text x="{_num(item.x)}" y="{_num(item.y + dy)}" font-size="{_num(item.size)}"'
                f"{weight}>{escape(item.text)}</text>"
            )
        elif isinstance(item, Rule):
            out.append(
                f'<rect x="{_num(item.x)}" y="{_num(item.y + dy)}" width="{_num(item.width)}" '
                f'height="{_num(item.height)}"/>'
            )
        elif isinstance(item, Bars):
            payload = ("GS1 " if item.symbol.gs1 else "") + item.symbol.payload
            out.append(f'<g class="barcode" data-payload={quoteattr(payload)}>')
            for start, run in item.symbol.runs():
                out.append(
                    f'<rect x="{_num(item.x + start * item.module)}" y="{_num(item.y + dy)}" '
                    f'width="{_num(run * item.module)}" height="{_num(item.height)}"/>'
                )
            out.append("</g>")
    return out


def render_svg(pages: Sequence[Page]) -> bytes:
    """One SVG document; several pages are stacked top to bottom."""
    if not pages:
        raise ValueError("nothing to render")
    width = max(p.width for p in pages)
    height = sum(p.height for p in pages)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{_num(width)}mm" '
        f'height="{_num(height)}mm" viewBox="0 0 {_num(width)} {_num(height)}">',
        f'<rect x="0" y="0" width="{_num(width)}" height="{_num(height)}" fill="#ffffff"/>',
        f'<g fill="#000000" font-family={quoteattr(FONT_FAMILY)} shape-rendering="crispEdges">',
    ]
    dy = 0.0
    for page in pages:
        parts.extend(_items(page, dy))
        dy += page.height
    parts.append("</g>")
    parts.append("</svg>")
    return ("\n".join(parts) + "\n").encode("utf-8")
