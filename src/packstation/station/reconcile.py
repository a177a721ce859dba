"""Did a request land? Decided from a re-read order, for each kind of outbox request.

House rule 3 makes quantities absolute per target shipment, and every request names its
target shipment and package ids (SSCCs) chosen by the station, so a request has landed
exactly when the target shipment holds what the request states:
- deliver / new_shipment: the shipment exists, holds each package id, and each line's
  delivered / cancelled / ready-for-pickup quantity equals the request's;
- split: the shipment with our chosen id exists and holds the split units of each line.
"""

from __future__ import annotations

from decimal import Decimal

from packstation.omnium.models import OmniumOrder, OrderLine, Shipment
from packstation.omnium.workflow import LineItemUpdate, UpdateLineItemStatusPatch


def request_landed(order: OmniumOrder, patch: UpdateLineItemStatusPatch) -> bool:
    """True if the re-read `order` already reflects this request."""
    return not missing(order, patch)


def missing(order: OmniumOrder, patch: UpdateLineItemStatusPatch) -> list[str]:
    """What the order lacks for the request to count as applied ([] = it landed)."""
    info = patch.shipment_info
    target = info.shipment_id if info is not None else None
    if not target:
        return ["the request names no target shipment"]
    shipment = order.shipment(target)
    if shipment is None:
        return [f"shipment {target} does not exist"]
    problems: list[str] = []
    held = [p.id for p in shipment.packages]
    for package in info.packages if info is not None and info.packages else []:
        if package.id and package.id not in held:
            problems.append(f"package {package.id} is not in shipment {target}")
    for update in patch.line_item_updates:
        problems.extend(_line_problems(shipment, update))
    return problems


def _line_problems(shipment: Shipment, update: LineItemUpdate) -> list[str]:
    line = _line(shipment, update.line_item_id)
    wanted: list[tuple[str, Decimal | None, str]] = [
        ("delivered", update.delivered_quantity, "delivered_quantity"),
        ("cancelled", update.canceled_quantity, "canceled_quantity"),
        ("ready for pickup", update.ready_for_pickup_quantity, "ready_for_pickup_quantity"),
    ]
    if update.split_quantity is not None and update.delivered_quantity is None:
        # The new shipment's copy of the line holds the units split into it.
        wanted.append(("split", update.split_quantity, "quantity"))
    problems: list[str] = []
    for label, quantity, attribute in wanted:
        if quantity is None:
            continue
        have = Decimal(0) if line is None else getattr(line, attribute)
        if have != quantity:
            problems.append(
                f"line {update.line_item_id} in shipment {shipment.shipment_id}: "
                f"{label} {have}, expected {quantity}"
            )
    return problems


def _line(shipment: Shipment, line_item_id: str) -> OrderLine | None:
    return next((x for x in shipment.line_items if x.line_item_id == line_item_id), None)
