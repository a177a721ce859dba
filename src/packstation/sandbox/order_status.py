"""Statuses of an order and its shipments, and where the shipping cost goes (house rule 6)."""

from __future__ import annotations

from packstation.omnium.models import OmniumOrder
from packstation.sandbox.line_copies import ZERO, LineUpdateError
from packstation.sandbox.line_updates import LineUpdateOutcome

COMPLETED = "Completed"
CANCELED = "OrderCanceled"
PARTIALLY_SHIPPED = "PartiallyShipped"
FINAL = frozenset({COMPLETED, CANCELED})
SHIPPED = frozenset({"Ship", "InTransit", COMPLETED, "PickedUp"})
"""Statuses of a shipment that has left (Omnium's common flows): with others still open, the
order is PartiallyShipped."""


def apply_status(
    order: OmniumOrder,
    status: str,
    *,
    shipment_id: str | None,
    shipment_order_status: str | None = None,
) -> None:
    """Set the status on one shipment (shipment-level) or on the whole order and its shipments
    that are not Completed or OrderCanceled yet."""
    if shipment_id is not None:
        shipment = order.shipment(shipment_id)
        if shipment is None:
            raise LineUpdateError(404, f"Shipment '{shipment_id}' not found on order '{order.id}'.")
        shipment.order_status = shipment_order_status or status
        return
    order.status = status
    for shipment in order.order_form.shipments:
        # Shipped or cancelled shipments keep their final status: the order follows them (rule 6).
        if shipment.order_status not in FINAL:
            shipment.order_status = status


def transfer_shipping_cost(
    order: OmniumOrder, outcome: LineUpdateOutcome, *, kept_for_existing: bool
) -> None:
    """`isShippingCostKeptForExistingShipment`: when false, the cost moves to the new shipment
    if that is completed and the original is not."""
    if not outcome.created or outcome.removed_source or kept_for_existing:
        return
    if outcome.source_shipment_id is None:
        return
    new = order.shipment(outcome.target_shipment_id)
    source = order.shipment(outcome.source_shipment_id)
    if new is None or source is None:
        return
    if new.order_status == COMPLETED and source.order_status != COMPLETED:
        new.shipping_sub_total, source.shipping_sub_total = source.shipping_sub_total, ZERO
        new.shipping_total, source.shipping_total = source.shipping_total, ZERO


def follow_shipments(order: OmniumOrder) -> None:
    """House rule 6: one shared shipment status becomes the order's; some shipped ones (Ship,
    InTransit, Completed, PickedUp) make it PartiallyShipped. Cancelled shipments do not count
    while others exist; a shipment without its own orderStatus counts as being in the order's
    status."""
    statuses = [
        status
        for shipment in order.order_form.shipments
        if (status := shipment.order_status or order.status)
    ]
    active = [s for s in statuses if s != CANCELED] or statuses
    if not active:
        return
    if len(set(active)) == 1:
        order.status = active[0]
    elif SHIPPED & set(active):
        order.status = PARTIALLY_SHIPPED
