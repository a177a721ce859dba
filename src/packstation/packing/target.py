"""Which shipment of an order this station packs: the open one that ships from its warehouse."""

from __future__ import annotations

from decimal import Decimal

from packstation.i18n import _
from packstation.omnium.models import OmniumOrder, OrderLine, Shipment
from packstation.packing.errors import (
    NoOpenShipment,
    OrderCancelled,
    OrderCompleted,
    OrderQueued,
    OrderReadOnly,
)

CANCELLED_STATUSES = frozenset({"ordercanceled", "ordercancelled", "cancelled", "canceled"})
COMPLETED_STATUSES = frozenset({"completed"})
CLOSED_SHIPMENT_STATUSES = frozenset(
    {"shipped", "delivered", "cancelled", "canceled", "completed", "intransit", "returned"}
)
CLOSED_SHIPMENT_ORDER_STATUSES = (
    COMPLETED_STATUSES | CANCELLED_STATUSES | frozenset({"intransit", "shipped", "returned"})
)


def packable(line: OrderLine) -> Decimal:
    """Units of a shipment's line copy not yet delivered or cancelled."""
    return max(line.quantity - line.delivered_quantity - line.canceled_quantity, Decimal(0))


def _norm(status: str | None) -> str:
    return (status or "").replace(" ", "").casefold()


def is_open(shipment: Shipment) -> bool:
    """True when the shipment is not closed and still holds units to pack."""
    if _norm(shipment.status) in CLOSED_SHIPMENT_STATUSES:
        return False
    if _norm(shipment.order_status) in CLOSED_SHIPMENT_ORDER_STATUSES:
        return False
    return any(packable(line) > 0 for line in shipment.line_items)


def check_order(order: OmniumOrder) -> None:
    """Raise the matching `OrderNotPackable` if the order as a whole cannot be packed."""
    status = _norm(order.status)
    if status == "queued":
        raise OrderQueued(
            order.id,
            _("Order {order_id} is queued in Omnium: try again shortly").format(order_id=order.id),
        )
    if order.is_read_only:
        raise OrderReadOnly(order.id, _("Order {order_id} is read-only").format(order_id=order.id))
    if status in COMPLETED_STATUSES:
        raise OrderCompleted(
            order.id, _("Order {order_id} is already completed").format(order_id=order.id)
        )
    if status in CANCELLED_STATUSES:
        raise OrderCancelled(order.id, _("Order {order_id} is cancelled").format(order_id=order.id))


def choose_shipment(order: OmniumOrder, warehouse: str, shipment_id: str | None = None) -> Shipment:
    """The open shipment of `order` sent from `warehouse` (or the one named `shipment_id`)."""
    check_order(order)
    wanted = warehouse.strip().casefold()
    for shipment in order.order_form.shipments:
        if shipment_id is not None and shipment.shipment_id != shipment_id:
            continue
        if (shipment.warehouse_code or "").strip().casefold() == wanted and is_open(shipment):
            return shipment
    raise NoOpenShipment(
        order.id,
        _("Order {order_id}: no shipment to pack at warehouse {warehouse}").format(
            order_id=order.id, warehouse=warehouse
        )
        if shipment_id is None
        else _(
            "Order {order_id}: shipment {shipment_id} is not open for packing at warehouse "
            "{warehouse}"
        ).format(order_id=order.id, shipment_id=shipment_id, warehouse=warehouse),
    )
