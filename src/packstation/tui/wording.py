"""Small wording helpers so counts, quantities and order lines read naturally on screen."""

from __future__ import annotations

from decimal import Decimal

from packstation.packing.views import LineView


def counted(count: int | Decimal, noun: str, plural: str | None = None) -> str:
    """`1 unit`, `3 units`, `2.5 kg`-style count with the noun in the right number."""
    shown = f"{count.normalize():f}" if isinstance(count, Decimal) else str(count)
    return f"{shown} {noun if count == 1 else (plural or noun + 's')}"


def qty(value: Decimal) -> str:
    """A quantity without trailing zeros (2, not 2.000)."""
    return f"{value.normalize():f}"


def line_cells(line: LineView) -> tuple[str, str, str, str, str]:
    """The table cells of a line: SKU, name, EAN, packed / packable, decision."""
    decision = ""
    if line.remaining > 0:
        decision = str(getattr(line.decision, "value", line.decision)).lower()
        target = line.split_target
        if target is not None and (target.warehouse_code or target.service_point_id):
            decision += f" → {target.warehouse_code or target.service_point_id}"
    elif line.packable > 0:
        decision = "✔ packed"
    return (
        line.code or "",
        line.display_name or "",
        line.ean or "",
        f"{qty(line.packed)} / {qty(line.packable)}",
        decision,
    )
