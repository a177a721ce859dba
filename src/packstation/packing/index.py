"""The lines of one shipment indexed by GTIN and SKU, built once per order so scans cost O(1)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from packstation.omnium.models import OmniumOrder, OrderLine, Shipment
from packstation.packing.gtin import normalise_gtin


def code_key(code: str) -> str:
    """How SKU codes are compared: trimmed, case-insensitive."""
    return code.strip().casefold()


def line_gtins(line: OrderLine) -> set[str]:
    """The GTIN-14 forms of a line's `ean` and `gtins`."""
    found = {normalise_gtin(line.ean)} | {normalise_gtin(g) for g in line.gtins or ()}
    return {g for g in found if g is not None}


def _group(pairs: Iterable[tuple[str, str]]) -> Mapping[str, tuple[str, ...]]:
    grouped: dict[str, list[str]] = {}
    for key, line_id in pairs:
        ids = grouped.setdefault(key, [])
        if line_id not in ids:
            ids.append(line_id)
    return MappingProxyType({k: tuple(v) for k, v in grouped.items()})


@dataclass(frozen=True)
class LineIndex:
    """Lookups from a scanned GTIN or SKU to the shipment's lines, in line order."""

    order_id: str
    lines: Mapping[str, OrderLine]
    """The target shipment's copy of each line, by line item id, in order."""
    by_gtin: Mapping[str, tuple[str, ...]]
    by_code: Mapping[str, tuple[str, ...]]
    elsewhere_gtin: frozenset[str]
    """GTINs of order lines that are not in this shipment (for a clearer rejection)."""
    elsewhere_code: frozenset[str]

    @classmethod
    def build(cls, order: OmniumOrder, shipment: Shipment) -> LineIndex:
        """Index `shipment`'s lines of `order` by GTIN-14 and by SKU code."""
        lines = {line.line_item_id: line for line in shipment.line_items}
        by_gtin = _group((g, lid) for lid, line in lines.items() for g in sorted(line_gtins(line)))
        by_code = _group((code_key(line.code), lid) for lid, line in lines.items() if line.code)
        others = [line for line in order.order_form.line_items if line.line_item_id not in lines]
        return cls(
            order_id=order.id,
            lines=MappingProxyType(lines),
            by_gtin=by_gtin,
            by_code=by_code,
            elsewhere_gtin=frozenset(g for line in others for g in line_gtins(line)),
            elsewhere_code=frozenset(code_key(line.code) for line in others if line.code),
        )

    def label(self, line_item_id: str) -> str:
        """How a line is named to the packer: its SKU (and name), else its id."""
        line = self.lines.get(line_item_id)
        if line is None:
            return line_item_id
        code = line.code or line_item_id
        return f"{code} ({line.display_name})" if line.display_name else code
