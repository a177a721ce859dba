"""Where a line's units sit: its copies in the shipments, their sums on the order line, and the
error every line update raises.

Each function builds its lookups once (dicts by line id) so that a request costs time linear in
the size of the order, not lines x shipment lines (issue 16).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from packstation.omnium.models import OmniumOrder, OrderLine, Shipment

ZERO = Decimal(0)


class LineUpdateError(Exception):
    """A request the order cannot take; `status` is the HTTP status to answer (400 or 404)."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def copies_by_line(shipment: Shipment | None) -> dict[str, OrderLine]:
    """The shipment's copy of each line, by line item id (the first one if a line repeats)."""
    found: dict[str, OrderLine] = {}
    if shipment is not None:
        for copy in shipment.line_items:
            found.setdefault(copy.line_item_id, copy)
    return found


def held(copies: dict[str, OrderLine], line_item_id: str) -> Decimal:
    """Units of the line in the shipment whose `copies_by_line` these are."""
    copy = copies.get(line_item_id)
    return ZERO if copy is None else copy.quantity


def open_units(copy: OrderLine) -> Decimal:
    """Units that may move: neither delivered, cancelled nor set ready for pickup there."""
    in_state = max(copy.delivered_quantity, copy.ready_for_pickup_quantity)
    return max(ZERO, copy.quantity - copy.canceled_quantity - in_state)


def lines_by_id(order: OmniumOrder) -> dict[str, OrderLine]:
    """The order-level lines by line item id."""
    return {line.line_item_id: line for line in order.order_form.line_items}


def recompute_totals(order: OmniumOrder, only: Iterable[str] | None = None) -> None:
    """Order lines carry the sums of their shipment copies (house rule 4).

    `only`: the lines a request touched (the sums of the others cannot have changed); all
    lines when None.
    """
    wanted = None if only is None else set(only)
    copies: dict[str, list[OrderLine]] = {}
    for shipment in order.order_form.shipments:
        for copy in shipment.line_items:
            if wanted is None or copy.line_item_id in wanted:
                copies.setdefault(copy.line_item_id, []).append(copy)
    for line in order.order_form.line_items:
        if wanted is not None and line.line_item_id not in wanted:
            continue
        found = copies.get(line.line_item_id)
        if not found:
            continue
        line.delivered_quantity = sum((c.delivered_quantity for c in found), ZERO)
        line.canceled_quantity = sum((c.canceled_quantity for c in found), ZERO)
        line.ready_for_pickup_quantity = sum((c.ready_for_pickup_quantity for c in found), ZERO)


def fmt(value: Decimal) -> str:
    """A quantity as the error messages show it (no trailing zeros)."""
    return format(value.normalize(), "f") if value == value.to_integral() else str(value)
