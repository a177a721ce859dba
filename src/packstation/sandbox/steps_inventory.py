"""The inventory step: ReduceInventory."""

from __future__ import annotations

from decimal import Decimal

from packstation.sandbox.step_context import (
    SENT_SHIPMENT_STATUSES,
    StepContext,
    StepOutcome,
    id_list,
)

# --- ReduceInventory ------------------------------------------------------------------------


def reduce_inventory(ctx: StepContext) -> StepOutcome:
    """Take newly delivered units out of the shipment's warehouse; repeats reduce nothing."""
    order_id = ctx.order.id
    problems: list[str] = []
    repeats: list[str] = []
    pending: dict[tuple[str, str], Decimal] = {}
    plan: list[tuple[str, str, str, str, Decimal]] = []
    for shipment in ctx.shipments:
        warehouse = shipment.warehouse_code
        # A shipment that had left before this run was reduced when it left (maybe before the
        # sandbox knew the order): treat all of it as a repeat.
        already_sent = (shipment.status or "").casefold() in SENT_SHIPMENT_STATUSES
        for line in shipment.line_items:
            delivered = line.delivered_quantity
            if delivered <= 0:
                continue
            done = ctx.state.reduced_quantity(order_id, shipment.shipment_id, line.line_item_id)
            new = delivered - done
            if new <= 0 or already_sent:
                repeats.append(f"{shipment.shipment_id}/{line.line_item_id}")
                continue
            if not line.code:
                problems.append(f"line {line.line_item_id} has no SKU")
                continue
            if not warehouse:
                problems.append(f"shipment {shipment.shipment_id} has no warehouse")
                continue
            stock = ctx.state.get_stock(warehouse, line.code)
            key = (warehouse, line.code)
            wanted = pending.get(key, Decimal(0)) + new
            if stock is None:
                problems.append(f"SKU {line.code} is not stocked at {warehouse}")
            elif stock < wanted:
                problems.append(
                    f"short stock for SKU {line.code} at {warehouse}: "
                    f"{stock.normalize():f} in stock, {wanted.normalize():f} needed"
                )
            pending[key] = wanted
            plan.append((warehouse, line.code, shipment.shipment_id, line.line_item_id, delivered))
    if problems:
        return StepOutcome.error(
            "Inventory not reduced: "
            + "; ".join(problems[:5])
            + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        )
    for (warehouse, sku), quantity in pending.items():
        stock = ctx.state.get_stock(warehouse, sku)
        assert stock is not None  # checked above
        ctx.state.set_stock(warehouse, sku, stock - quantity)
    for _warehouse, _sku, shipment_id, line_item_id, delivered in plan:
        ctx.state.record_reduction(order_id, shipment_id, line_item_id, delivered)
    if repeats:
        return StepOutcome.warning(
            f"Inventory already reduced for shipment/line {id_list(repeats)}; nothing reduced again"
        )
    return StepOutcome.ok()
