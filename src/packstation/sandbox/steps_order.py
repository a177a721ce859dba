"""The order-level steps: Notification, ExportOrder, AnalyticsIndexing, SetCompletedDate."""

from __future__ import annotations

from packstation.omnium.models import Shipment
from packstation.sandbox.step_context import (
    COMPLETED_DATE_KEY,
    DONE_STATUSES,
    EXPORTED_DATE_KEY,
    StepContext,
    StepOutcome,
    set_property,
)

# --- Notification ---------------------------------------------------------------------------

_TEMPLATES = {
    "inprogress": "Hi {customer_name}, we are packing your order {order_id} (shipment "
    "{shipment_id}).",
    "readyforpickup": "Hi {customer_name}, your order {order_id} is ready for pickup at "
    "{pickup_place}. Bring your order number.",
    "ordercanceled": "Hi {customer_name}, your order {order_id} has been cancelled. Any reserved "
    "amount will be released.",
}
_SHIPPED = (
    "Hi {customer_name}, your order {order_id} (shipment {shipment_id}) has been sent with "
    "{carrier}. Tracking number {tracking_number}: {tracking_link}"
)
_COMPLETED = "Hi {customer_name}, your order {order_id} (shipment {shipment_id}) is completed."
_OTHER = "Hi {customer_name}, your order {order_id} (shipment {shipment_id}) is now {status}."


def _pickup_place(shipment: Shipment) -> str:
    point = shipment.pick_up_point_information
    if point is not None and point.name:
        return point.name
    return shipment.pick_up_warehouse_code or shipment.warehouse_code or "the store"


def notification(ctx: StepContext) -> StepOutcome:
    """Record the customer message this status change would send, one per target shipment."""
    order = ctx.order
    channel = str(ctx.params.get("channel", "email"))
    billing = order.billing_address
    if channel == "sms":
        recipient = order.customer_phone or (billing.phone if billing else None)
    else:
        recipient = order.customer_email or (billing.email if billing else None)
    if not recipient:
        what = "phone number" if channel == "sms" else "e-mail address"
        return StepOutcome.warning(f"No customer {what} on the order; notification not sent")
    messages = []
    targets: list[Shipment | None] = list(ctx.shipments) or [None]
    for shipment in targets:
        fields = {
            "order_id": order.id,
            "order_number": order.order_number or order.id,
            "status": ctx.status,
            "customer_name": order.customer_name or "customer",
            "shipment_id": shipment.shipment_id if shipment else "-",
            "carrier": (shipment.shipping_method_name if shipment else None) or "-",
            "tracking_number": (shipment.shipment_tracking_number if shipment else None) or "-",
            "tracking_link": (shipment.shipment_tracking_link if shipment else None) or "-",
            "pickup_place": _pickup_place(shipment) if shipment else "the store",
        }
        template = ctx.params.get("template")
        if not isinstance(template, str):
            key = ctx.status.casefold()
            if key == "completed":
                has_tracking = shipment is not None and shipment.shipment_tracking_number
                template = _SHIPPED if has_tracking else _COMPLETED
            else:
                template = _TEMPLATES.get(key, _OTHER)
        try:
            messages.append(template.format_map(fields))
        except (KeyError, IndexError, ValueError) as exc:
            return StepOutcome.error(f"Notification template is invalid: {exc!r}")
    for message in messages:
        ctx.state.add_notification(order.id, channel, recipient, message)
    return StepOutcome.ok()


# --- ExportOrder / AnalyticsIndexing --------------------------------------------------------


def export_order(ctx: StepContext) -> StepOutcome:
    """Stamp `ExportedDate` on the order (the sandbox's stand-in for an ERP export)."""
    ctx.order.properties = set_property(ctx.order.properties, EXPORTED_DATE_KEY, ctx.timestamp)
    return StepOutcome.ok()


def analytics_indexing(ctx: StepContext) -> StepOutcome:
    """Nothing to index in the sandbox: the step only reports success."""
    return StepOutcome.ok()


# --- SetCompletedDate -----------------------------------------------------------------------


def set_completed_date(ctx: StepContext) -> StepOutcome:
    """Stamp `CompletedDate` on the target shipments, and on the order once all are done."""
    for shipment in ctx.shipments:
        shipment.properties = set_property(shipment.properties, COMPLETED_DATE_KEY, ctx.timestamp)
    shipments = ctx.order.order_form.shipments
    order_done = (
        all((s.order_status or "").casefold() in DONE_STATUSES for s in shipments)
        if shipments
        else ctx.status.casefold() in DONE_STATUSES
    )
    if order_done:
        ctx.order.properties = set_property(ctx.order.properties, COMPLETED_DATE_KEY, ctx.timestamp)
    return StepOutcome.ok()
