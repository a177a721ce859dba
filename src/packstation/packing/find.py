"""Finding a line of a large order by what the packer types: a SKU or part of its name."""

from __future__ import annotations

from collections.abc import Sequence

from packstation.packing.views import LineView


def find_line(lines: Sequence[LineView], text: str) -> str | None:
    """The first line whose SKU starts with `text`, else whose SKU, name or EAN contains it.

    Case is ignored; open lines are preferred to finished ones. None when nothing matches.
    """
    wanted = text.strip().casefold()
    if not wanted:
        return None
    ordered = sorted(lines, key=lambda line: line.remaining <= 0)  # stable: open lines first
    for line in ordered:
        if (line.code or "").casefold().startswith(wanted):
            return line.line_item_id
    for line in ordered:
        haystack = " ".join((line.code or "", line.display_name or "", line.ean or ""))
        if wanted in haystack.casefold():
            return line.line_item_id
    return None
