"""The workflow steps of the sandbox and their effects on the order and the sandbox state.

Each step gets a StepContext (the working copy of the order, the target shipments, the state)
and answers a StepOutcome. Steps that can fail check everything first and change nothing when
they fail, so an aborted workflow keeps only the effects of the steps before it.

Lists on the order are replaced, never appended to in place: pydantic only serialises fields
that were set, and assignment is what marks them set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from packstation.omnium.models import (
    OmniumOrder,
    Payment,
    PropertyItem,
    Shipment,
    Tracking,
)
from packstation.sandbox.state import SandboxState
from packstation.sandbox.workflow_config import StepConfig, WorkflowConfig

SUCCESS = "Success"
WARNING = "Warning"
ERROR = "Error"

CENT = Decimal("0.01")
DONE_STATUSES = frozenset({"completed", "ordercanceled"})
SENT_SHIPMENT_STATUSES = frozenset({"shipped", "delivered"})
COMPLETED_DATE_KEY = "CompletedDate"
READY_FOR_PICKUP_DATE_KEY = "ReadyForPickupDate"
SHIPMENT_COMPLETED_DATE_KEY = "ShipmentCompletedDate"
EXPORTED_DATE_KEY = "ExportedDate"


@dataclass(frozen=True)
class StepOutcome:
    """What a step answers: Success, Warning or Error, with a reason unless Success."""

    status: str
    reason: str | None = None

    @classmethod
    def ok(cls) -> StepOutcome:
        """The step did its job."""
        return cls(SUCCESS)

    @classmethod
    def warning(cls, reason: str) -> StepOutcome:
        """The step ran but something deserves attention."""
        return cls(WARNING, reason)

    @classmethod
    def error(cls, reason: str) -> StepOutcome:
        """The step failed and changed nothing."""
        return cls(ERROR, reason)


@dataclass
class StepContext:
    """Everything a step may look at or change."""

    order: OmniumOrder
    status: str
    shipments: list[Shipment]
    state: SandboxState
    config: WorkflowConfig
    step: StepConfig
    now: datetime

    @property
    def params(self) -> Mapping[str, Any]:
        """The step's configured parameters."""
        return self.step.parameters

    @property
    def timestamp(self) -> str:
        """`now` as ISO-8601 UTC with a Z, as Omnium writes dates."""
        return self.now.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


StepFunction = Callable[[StepContext], StepOutcome]


# --- helpers --------------------------------------------------------------------------------


def money(value: Decimal) -> Decimal:
    """Round to whole øre."""
    return value.quantize(CENT)


def _is(value: str | None, wanted: str) -> bool:
    return (value or "").casefold() == wanted.casefold()


def _nok(value: Decimal) -> str:
    return f"{money(value)} NOK"


def _ids(values: Iterable[str]) -> str:
    values = list(values)
    shown = ", ".join(values[:10])
    return shown + (f" and {len(values) - 10} more" if len(values) > 10 else "")


def set_property(items: list[PropertyItem] | None, key: str, value: str) -> list[PropertyItem]:
    """A new property list with `key` set to `value` (replaced if present)."""
    kept = [item for item in items or [] if item.key != key]
    return [*kept, PropertyItem(key=key, value=value)]


def _cancelled(shipment: Shipment) -> bool:
    return _is(shipment.status, "Cancelled") or (
        bool(shipment.line_items)
        and all(line.canceled_quantity >= line.quantity for line in shipment.line_items)
    )


def _delivered_value(shipment: Shipment) -> Decimal:
    return sum(
        (
            line.delivered_quantity * (line.placed_price or Decimal(0))
            for line in shipment.line_items
        ),
        Decimal(0),
    )


# --- CapturePayments ------------------------------------------------------------------------


def capture_payment(ctx: StepContext) -> StepOutcome:
    """Capture each target shipment's delivered value plus its shipping against authorisations."""
    form = ctx.order.order_form
    processed = [p for p in form.payments if _is(p.status, "Processed")]
    authorisations = [p for p in processed if _is(p.transaction_type, "Authorization")]
    captures = [p for p in processed if _is(p.transaction_type, "Capture")]
    due: list[tuple[Shipment, Decimal]] = []
    for shipment in ctx.shipments:
        goods = _delivered_value(shipment)
        if goods <= 0:
            continue  # nothing delivered: nothing to charge, not even shipping
        value = money(goods + (shipment.shipping_total or Decimal(0)))
        already = sum(
            (p.amount for p in captures if p.shipment_id == shipment.shipment_id), Decimal(0)
        )
        if value > already:
            due.append((shipment, money(value - already)))
    needed = sum((amount for _, amount in due), Decimal(0))
    if needed == 0:
        return StepOutcome.ok()
    if not authorisations:
        return StepOutcome.error(
            "Capture declined by payment provider: no authorised payment on the order"
        )
    available = sum((p.amount for p in authorisations), Decimal(0)) - sum(
        (p.amount for p in captures), Decimal(0)
    )
    if needed > available:
        return StepOutcome.error(
            "Capture declined by payment provider: insufficient authorised amount "
            f"(needed {_nok(needed)}, available {_nok(max(available, Decimal(0)))})"
        )
    method = authorisations[0].payment_method_name
    new_payments = []
    for shipment, amount in due:
        count = sum(
            1
            for p in form.payments
            if _is(p.transaction_type, "Capture") and p.shipment_id == shipment.shipment_id
        )
        new_payments.append(
            Payment(
                id=f"{ctx.order.id}-CAP-{shipment.shipment_id}-{count + 1}",
                payment_method_name=method,
                amount=amount,
                transaction_type="Capture",
                status="Processed",
                shipment_id=shipment.shipment_id,
            )
        )
    form.payments = [*form.payments, *new_payments]
    return StepOutcome.ok()


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
            f"Inventory already reduced for shipment/line {_ids(repeats)}; nothing reduced again"
        )
    return StepOutcome.ok()


# --- PrintShippingLabel ---------------------------------------------------------------------


def print_shipping_label(ctx: StepContext) -> StepOutcome:
    """Book each target shipment with its carrier: tracking number and label links, per package
    too (Omnium's PrintShippingLabel asks the carrier for the label, which books the parcel)."""
    require_packages = bool(ctx.params.get("requirePackages", False))
    problems: list[str] = []
    plan = []
    for shipment in ctx.shipments:
        if _cancelled(shipment):
            continue
        carrier = ctx.config.carrier(shipment.shipping_method_name)
        if carrier is None:
            name = shipment.shipping_method_name or ""
            problems.append(
                f"unknown shipping method {name!r} on shipment {shipment.shipment_id}"
                if name
                else f"shipment {shipment.shipment_id} has no shipping method"
            )
            continue
        if require_packages and not shipment.packages:
            problems.append(f"shipment {shipment.shipment_id} has no packages")
            continue
        plan.append((shipment, carrier))
    if problems:
        return StepOutcome.error("Booking rejected: " + "; ".join(problems))

    def links(template: str, number: str) -> str:
        return template.replace("{tracking_number}", number)

    for shipment, carrier in plan:
        if not shipment.shipment_tracking_number:
            shipment.shipment_tracking_number = ctx.state.next_tracking_number(carrier.name)
        number = shipment.shipment_tracking_number
        if not shipment.shipment_tracking_link:
            shipment.shipment_tracking_link = links(carrier.tracking_url, number)
        if not shipment.shipment_label_link:
            shipment.shipment_label_link = links(carrier.label_url, number)
        for package in shipment.packages:
            tracking = package.shipment_tracking
            if tracking is not None and tracking.shipment_tracking_number:
                continue  # already booked: a repeat books nothing new
            package_number = ctx.state.next_tracking_number(carrier.name)
            package.shipment_tracking = Tracking(
                shipment_tracking_number=package_number,
                shipment_tracking_link=links(carrier.tracking_url, package_number),
                shipment_label_link=links(carrier.label_url, package_number),
            )
        shipment.packages = list(shipment.packages)
    return StepOutcome.ok()


# --- UpdateShipmentStatus -------------------------------------------------------------------


def update_shipment_status(ctx: StepContext) -> StepOutcome:
    """Set the target shipments' `status` to the configured `shipmentStatus`."""
    new_status = ctx.params.get("shipmentStatus")
    if not isinstance(new_status, str) or not new_status:
        return StepOutcome.error("UpdateShipmentStatus has no shipmentStatus parameter configured")
    for shipment in ctx.shipments:
        if _is(shipment.status, "Cancelled") and not _is(new_status, "Cancelled"):
            continue  # a cancelled shipment stays cancelled
        shipment.status = new_status
    return StepOutcome.ok()


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


# --- SplitShipmentCost ----------------------------------------------------------------------


def split_shipment_cost(ctx: StepContext) -> StepOutcome:
    """Give a target shipment without a shipping cost the part of the order's not yet allocated.

    Omnium's shipping totals are never null: 0 on the order means it states none, 0 on a
    shipment that nothing was allocated to it yet."""
    form = ctx.order.order_form
    if not form.shipping_total:
        return StepOutcome.ok()
    for shipment in ctx.shipments:
        if shipment.shipping_total:
            continue
        others = sum(
            (s.shipping_total or Decimal(0) for s in form.shipments if s is not shipment),
            Decimal(0),
        )
        rest = max(money(form.shipping_total - others), Decimal(0))
        shipment.shipping_total = rest
        if not shipment.shipping_sub_total:
            shipment.shipping_sub_total = rest
    allocated = sum((s.shipping_total or Decimal(0) for s in form.shipments), Decimal(0))
    if allocated > form.shipping_total:
        return StepOutcome.warning(
            f"Shipping cost allocated to shipments ({_nok(allocated)}) exceeds the order's "
            f"shipping total ({_nok(form.shipping_total)})"
        )
    return StepOutcome.ok()


# --- SetReadyForPickupDate / SetShipmentOrOrderReadyForPickup --------------------------------


def _not_pickup(ctx: StepContext) -> StepOutcome | None:
    missing = [
        s.shipment_id
        for s in ctx.shipments
        if not (s.pick_up_warehouse_code or s.pick_up_point_information)
    ]
    if missing:
        return StepOutcome.error(
            f"Not a pickup shipment: shipment {_ids(missing)} has no pickup warehouse or point"
        )
    return None


def set_ready_for_pickup_date(ctx: StepContext) -> StepOutcome:
    """Stamp `ReadyForPickupDate` on the target click-and-collect shipments."""
    refused = _not_pickup(ctx)
    if refused is not None:
        return refused
    for shipment in ctx.shipments:
        if not _cancelled(shipment):
            shipment.properties = set_property(
                shipment.properties, READY_FOR_PICKUP_DATE_KEY, ctx.timestamp
            )
    return StepOutcome.ok()


def set_shipment_or_order_ready_for_pickup(ctx: StepContext) -> StepOutcome:
    """Mark the open units of click-and-collect shipments ready for pickup."""
    refused = _not_pickup(ctx)
    if refused is not None:
        return refused
    touched: set[str] = set()
    for shipment in ctx.shipments:
        if _cancelled(shipment):
            continue
        for line in shipment.line_items:
            open_units = line.quantity - line.delivered_quantity - line.canceled_quantity
            if line.ready_for_pickup_quantity == 0 and open_units > 0:
                line.ready_for_pickup_quantity = open_units
                touched.add(line.line_item_id)
        shipment.status = "ReadyForPickup"
    for line in ctx.order.order_form.line_items:
        if line.line_item_id in touched:  # order lines carry the totals (house rule 4)
            line.ready_for_pickup_quantity = sum(
                (
                    copy.ready_for_pickup_quantity
                    for s in ctx.order.order_form.shipments
                    for copy in s.line_items
                    if copy.line_item_id == line.line_item_id
                ),
                Decimal(0),
            )
    return StepOutcome.ok()


# --- CompleteShipment / ValidateTrackingNumber ----------------------------------------------


def _unbooked(ctx: StepContext) -> list[str]:
    """Target shipments (or their packages) without a carrier tracking number."""
    missing = []
    for shipment in ctx.shipments:
        if _cancelled(shipment):
            continue
        if not shipment.shipment_tracking_number:
            missing.append(shipment.shipment_id)
            continue
        missing.extend(
            f"{shipment.shipment_id}/{package.id or '?'}"
            for package in shipment.packages
            if package.shipment_tracking is None
            or not package.shipment_tracking.shipment_tracking_number
        )
    return missing


def complete_shipment(ctx: StepContext) -> StepOutcome:
    """Tell the carrier the booked shipments are complete (stamped `ShipmentCompletedDate`)."""
    missing = _unbooked(ctx)
    if missing:
        return StepOutcome.error(
            f"Shipment not completed at the carrier: {_ids(missing)} not booked"
        )
    for shipment in ctx.shipments:
        if not _cancelled(shipment):
            shipment.properties = set_property(
                shipment.properties, SHIPMENT_COMPLETED_DATE_KEY, ctx.timestamp
            )
    return StepOutcome.ok()


def validate_tracking_number(ctx: StepContext) -> StepOutcome:
    """Fail unless every target shipment and package carries a tracking number."""
    missing = _unbooked(ctx)
    if missing:
        return StepOutcome.error(f"No tracking number on shipment/package {_ids(missing)}")
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


STEPS: dict[str, StepFunction] = {
    "CapturePayments": capture_payment,
    "Notification": notification,
    "ReduceInventory": reduce_inventory,
    "PrintShippingLabel": print_shipping_label,
    "CompleteShipment": complete_shipment,
    "ValidateTrackingNumber": validate_tracking_number,
    "ExportOrder": export_order,
    "AnalyticsIndexing": analytics_indexing,
    "UpdateShipmentStatus": update_shipment_status,
    "SplitShipmentCost": split_shipment_cost,
    "SetReadyForPickupDate": set_ready_for_pickup_date,
    "SetShipmentOrOrderReadyForPickup": set_shipment_or_order_ready_for_pickup,
    "SetCompletedDate": set_completed_date,
}
"""Step name (as in results and config) -> implementation."""
