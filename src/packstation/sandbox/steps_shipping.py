"""The shipment steps: PrintShippingLabel, UpdateShipmentStatus, the pickup dates and
status, CompleteShipment and ValidateTrackingNumber."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import quote

from packstation.omnium.models import Shipment, Tracking
from packstation.sandbox.step_context import (
    READY_FOR_PICKUP_DATE_KEY,
    SHIPMENT_COMPLETED_DATE_KEY,
    StepContext,
    StepOutcome,
    id_list,
    is_cancelled,
    same_text,
    set_property,
)

# --- PrintShippingLabel ---------------------------------------------------------------------

NO_BASE_URL = "http://sandbox.invalid"
"""Base of label links when the run does not know where the sandbox is (engine-only tests)."""


def link_from_template(
    template: str, *, base_url: str, order_id: str, shipment_id: str, tracking_number: str
) -> str:
    """A carrier link from its template: `{base_url}`, `{order_id}`, `{shipment_id}` and
    `{tracking_number}` (ids URL-quoted, since they are free text)."""
    values = {
        "{base_url}": (base_url or NO_BASE_URL).rstrip("/"),
        "{order_id}": quote(order_id, safe=""),
        "{shipment_id}": quote(shipment_id, safe=""),
        "{tracking_number}": quote(tracking_number, safe=""),
    }
    for key, value in values.items():
        template = template.replace(key, value)
    return template


def print_shipping_label(ctx: StepContext) -> StepOutcome:
    """Book each target shipment with its carrier: tracking number and label links, per package
    too (Omnium's PrintShippingLabel asks the carrier for the label, which books the parcel)."""
    require_packages = bool(ctx.params.get("requirePackages", False))
    problems: list[str] = []
    plan = []
    for shipment in ctx.shipments:
        if is_cancelled(shipment):
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

    for shipment, carrier in plan:

        def links(template: str, number: str, shipment: Shipment = shipment) -> str:
            return link_from_template(
                template,
                base_url=ctx.base_url,
                order_id=ctx.order.id,
                shipment_id=shipment.shipment_id,
                tracking_number=number,
            )

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
        if same_text(shipment.status, "Cancelled") and not same_text(new_status, "Cancelled"):
            continue  # a cancelled shipment stays cancelled
        shipment.status = new_status
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
            f"Not a pickup shipment: shipment {id_list(missing)} has no pickup warehouse or point"
        )
    return None


def set_ready_for_pickup_date(ctx: StepContext) -> StepOutcome:
    """Stamp `ReadyForPickupDate` on the target click-and-collect shipments."""
    refused = _not_pickup(ctx)
    if refused is not None:
        return refused
    for shipment in ctx.shipments:
        if not is_cancelled(shipment):
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
        if is_cancelled(shipment):
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
        if is_cancelled(shipment):
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
            f"Shipment not completed at the carrier: {id_list(missing)} not booked"
        )
    for shipment in ctx.shipments:
        if not is_cancelled(shipment):
            shipment.properties = set_property(
                shipment.properties, SHIPMENT_COMPLETED_DATE_KEY, ctx.timestamp
            )
    return StepOutcome.ok()


def validate_tracking_number(ctx: StepContext) -> StepOutcome:
    """Fail unless every target shipment and package carries a tracking number."""
    missing = _unbooked(ctx)
    if missing:
        return StepOutcome.error(f"No tracking number on shipment/package {id_list(missing)}")
    return StepOutcome.ok()
