"""House rule 11: `reallocateQuantity` moves open units to a new shipment at another warehouse
that stocks them; when none does, a Warning and nothing moves."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from packstation.omnium.models import EntityError, OmniumOrder
from packstation.omnium.workflow import ActionResult, UpdateLineItemStatusPatch
from packstation.sandbox.line_copies import (
    ZERO,
    LineUpdateError,
    fmt,
    open_units,
    recompute_totals,
)
from packstation.sandbox.line_updates import new_shipment, next_shipment_id

REALLOCATE = "Reallocate"

FindWarehouse = Callable[[str, Decimal, str | None], str | None]
"""(sku, units, warehouse to avoid) -> another warehouse with that many units in stock, or None."""


def apply_reallocations(
    order: OmniumOrder,
    patch: UpdateLineItemStatusPatch,
    target_id: str,
    find_warehouse: FindWarehouse,
    *,
    occurred: str,
) -> list[ActionResult]:
    """Move each line's `reallocateQuantity` open units from the target shipment to a new
    shipment at another warehouse that has them in stock. One result per line."""
    wanted = [u for u in patch.line_item_updates if u.reallocate_quantity]
    if not wanted:
        return []
    results: list[ActionResult] = []
    for update in wanted:
        units = update.reallocate_quantity
        assert units is not None
        source = order.shipment(target_id)
        copy = (
            next((x for x in source.line_items if x.line_item_id == update.line_item_id), None)
            if source is not None
            else None
        )
        if source is None or copy is None or open_units(copy) < units:
            available = open_units(copy) if copy is not None else ZERO
            raise LineUpdateError(
                400,
                f"Line item '{update.line_item_id}': cannot reallocate {fmt(units)} units, "
                f"shipment '{target_id}' has {fmt(available)} open.",
            )
        sku = copy.code or copy.line_item_id
        warehouse = find_warehouse(sku, units, source.warehouse_code)
        if warehouse is None:
            reason = (
                f"No other warehouse has {fmt(units)} units of {sku} in stock; "
                f"line item '{update.line_item_id}' stays in shipment '{target_id}'."
            )
            results.append(
                ActionResult(action_type=REALLOCATE, action_status="Warning", error_reason=reason)
            )
            order.errors.append(
                EntityError(
                    key=REALLOCATE,
                    message=reason,
                    severity="Warning",
                    occurred=occurred,
                    status=patch.status,
                )
            )
            continue
        new = new_shipment(next_shipment_id(order), source)
        new.warehouse_code = warehouse
        moved = copy.model_copy(deep=True)
        moved.quantity = units
        moved.delivered_quantity = moved.canceled_quantity = ZERO
        moved.ready_for_pickup_quantity = ZERO
        new.line_items = [moved]
        copy.quantity -= units
        if copy.quantity == 0:
            source.line_items.remove(copy)
        order.order_form.shipments.append(new)
        results.append(ActionResult(action_type=REALLOCATE, action_status="Success"))
    recompute_totals(order, [u.line_item_id for u in wanted])
    return results
