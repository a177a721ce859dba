"""What `OrderLinesUpdate` and `UpdateStatus` do to an order, as pure functions.

House rules (see omnium-notes.md) implemented here:
3  quantities are absolute per target shipment; a repeat changes nothing; too much -> 400;
4  a line keeps its id in every shipment holding some of its units; the order line has totals;
5  an unknown shipmentId creates a shipment from the units' source, copying its shipping data;
6  the order status follows the shipments;
7  packages merge by id, their line references are validated;
10 a split without a target (or targeting the shipment holding the units) gets a new numeric id;
11 reallocateQuantity moves units to a new shipment at another warehouse that stocks them;
   when none does, a Warning and nothing moves;
12 queued and read-only orders refuse writes; unknown line ids -> 404.

Every function works on the order it is given (callers pass a copy) and raises `LineUpdateError`
(with the HTTP status to answer) without having to undo anything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from packstation.omnium.models import (
    ActionResult,
    EntityError,
    LineItemUpdate,
    OmniumOrder,
    OrderLine,
    Shipment,
    ShipmentPackage,
    UpdateLineItemStatusPatch,
    UpdateShipmentInfo,
)

COMPLETED = "Completed"
CANCELED = "OrderCanceled"
PARTIALLY_SHIPPED = "PartiallyShipped"
QUEUED = "Queued"
FINAL = frozenset({COMPLETED, CANCELED})

ZERO = Decimal(0)


class LineUpdateError(Exception):
    """A request the order cannot take; `status` is the HTTP status to answer (400 or 404)."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


@dataclass
class LineUpdateOutcome:
    """Where a line update landed."""

    target_shipment_id: str
    shipment_level: bool
    """True when the request named (or created) its shipment: the status is then set on it."""
    created: bool = False
    source_shipment_id: str | None = None
    removed_source: bool = False


def ensure_writable(order: OmniumOrder) -> None:
    """Refuse writes to a queued or read-only order (house rule 12); the client reads the text."""
    if order.status == QUEUED:
        raise LineUpdateError(
            400, f"Order '{order.id}' is queued for processing; try again shortly."
        )
    if order.is_read_only:
        raise LineUpdateError(400, f"Order '{order.id}' is read-only and cannot be changed.")


def _copy_of(shipment: Shipment, line_item_id: str) -> OrderLine | None:
    return next((x for x in shipment.line_items if x.line_item_id == line_item_id), None)


def _held(shipment: Shipment | None, line_item_id: str) -> Decimal:
    if shipment is None:
        return ZERO
    copy = _copy_of(shipment, line_item_id)
    return ZERO if copy is None else copy.quantity


def _open(copy: OrderLine) -> Decimal:
    # Units that may move: neither delivered, cancelled nor set ready for pickup there.
    in_state = max(copy.delivered_quantity, copy.ready_for_pickup_quantity)
    return max(ZERO, copy.quantity - copy.canceled_quantity - in_state)


def _effective_split(update: LineItemUpdate) -> Decimal | None:
    # The reference: with deliveredQuantity present, splitQuantity is ignored.
    return update.split_quantity if update.delivered_quantity is None else None


def _wanted(update: LineItemUpdate) -> Decimal:
    """Units the target must hold of the line for this update to be satisfiable."""
    canceled = update.canceled_quantity or ZERO
    in_state = max(
        update.delivered_quantity or ZERO,
        update.ready_for_pickup_quantity or ZERO,
        _effective_split(update) or ZERO,
    )
    return canceled + in_state


def next_shipment_id(order: OmniumOrder) -> str:
    """The next free numeric shipment id (house rule 10)."""
    numbers = [int(s.shipment_id) for s in order.order_form.shipments if s.shipment_id.isdigit()]
    candidate = max(numbers, default=0) + 1
    taken = {s.shipment_id for s in order.order_form.shipments}
    while str(candidate) in taken:
        candidate += 1
    return str(candidate)


def _validate_updates(order: OmniumOrder, updates: list[LineItemUpdate]) -> None:
    seen: set[str] = set()
    for update in updates:
        if order.line(update.line_item_id) is None:
            raise LineUpdateError(
                404, f"Line item '{update.line_item_id}' not found on order '{order.id}'."
            )
        if update.line_item_id in seen:
            raise LineUpdateError(
                400, f"lineItemUpdates: line item '{update.line_item_id}' appears more than once."
            )
        seen.add(update.line_item_id)


def _choose_target(
    order: OmniumOrder, patch: UpdateLineItemStatusPatch
) -> tuple[str, bool, bool, Shipment | None]:
    """(target id, shipment_level, exists, rule-10 source) for the request."""
    info = patch.shipment_info
    requested = (info.shipment_id or "").strip() if info else ""
    splits = [u for u in patch.line_item_updates if _effective_split(u) is not None]
    if requested:
        existing = order.shipment(requested)
        if existing is None:
            return requested, True, False, None
        # Splitting off a shipment that holds more than asked means "split from it" (rule 10).
        if any(_held(existing, u.line_item_id) > _wanted(u) for u in splits):
            return next_shipment_id(order), True, False, existing
        return requested, True, True, None
    if splits or not order.order_form.shipments:
        return next_shipment_id(order), True, False, None
    # No shipment named: the first shipment is used, and the status is order-level.
    return order.order_form.shipments[0].shipment_id, False, True, None


def _take_units(
    order: OmniumOrder,
    line: OrderLine,
    target_id: str,
    need: Decimal,
    preferred: Shipment | None,
) -> tuple[list[tuple[Shipment, Decimal]], Decimal]:
    """Plan where `need` units come from: (shipment, units) moves, and the shortfall (>= 0).

    Sources in order: the shipment being split from, units not in any shipment yet, then the
    other shipments in order.
    """
    others = [s for s in order.order_form.shipments if s.shipment_id != target_id]
    assigned = sum((_held(s, line.line_item_id) for s in order.order_form.shipments), ZERO)
    unassigned = max(ZERO, line.quantity - assigned)
    sources: list[Shipment | None] = list(others)
    sources.insert(0, None)  # None stands for the unassigned units
    if preferred is not None and preferred in others:
        sources.remove(preferred)
        sources.insert(0, preferred)
    moves: list[tuple[Shipment, Decimal]] = []
    remaining = need
    for shipment in sources:
        if remaining <= 0:
            break
        if shipment is None:
            remaining -= min(unassigned, remaining)
            continue
        copy = _copy_of(shipment, line.line_item_id)
        if copy is None:
            continue
        units = min(_open(copy), remaining)
        if units > 0:
            moves.append((shipment, units))
            remaining -= units
    return moves, max(ZERO, remaining)


def _new_shipment(target_id: str, source: Shipment | None) -> Shipment:
    """A new shipment copying the shipping data of `source` (house rule 5)."""
    shipment = Shipment(shipment_id=target_id, shipping_total=ZERO)
    if source is None:
        return shipment
    shipment.status = source.status
    shipment.order_status = source.order_status
    shipment.shipping_method_name = source.shipping_method_name
    shipment.warehouse_code = source.warehouse_code
    shipment.pick_up_warehouse_code = source.pick_up_warehouse_code
    shipment.service_point_id = source.service_point_id
    if source.pick_up_point_information is not None:
        shipment.pick_up_point_information = source.pick_up_point_information.model_copy(deep=True)
    if source.address is not None:
        shipment.address = source.address.model_copy(deep=True)
    # Explicit zero: the cost stays with the source unless transfer_shipping_cost moves it.
    shipment.shipping_total = ZERO
    if source.shipping_sub_total is not None:
        shipment.shipping_sub_total = ZERO
    return shipment


def _nonzero(update: LineItemUpdate) -> bool:
    values = (
        update.delivered_quantity,
        update.canceled_quantity,
        update.ready_for_pickup_quantity,
        _effective_split(update),
    )
    return any(v for v in values)


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else str(value)


def apply_line_updates(order: OmniumOrder, patch: UpdateLineItemStatusPatch) -> LineUpdateOutcome:
    """Apply the line updates and shipment info of an `OrderLinesUpdate` to `order` in place."""
    ensure_writable(order)
    _validate_updates(order, patch.line_item_updates)
    target_id, shipment_level, exists, split_source = _choose_target(order, patch)
    target = order.shipment(target_id) if exists else None
    pending_target = target or Shipment(shipment_id=target_id)
    moved_from: list[Shipment] = []

    for update in patch.line_item_updates:
        line = order.line(update.line_item_id)
        assert line is not None  # validated above
        hold = _held(target, line.line_item_id)
        need = _wanted(update) - hold
        if need > 0:
            moves, shortfall = _take_units(order, line, target_id, need, split_source)
            if shortfall > 0:
                left = hold + need - shortfall
                raise LineUpdateError(
                    400,
                    f"Line item '{line.line_item_id}': {_fmt(_wanted(update))} units asked for "
                    f"shipment '{target_id}' but only {_fmt(left)} are left to assign.",
                )
            for source, units in moves:
                copy = _copy_of(source, line.line_item_id)
                assert copy is not None
                copy.quantity -= units
                if source not in moved_from:
                    moved_from.append(source)
            hold += need
        copy = _copy_of(pending_target, line.line_item_id)
        if copy is None and hold == 0 and not _nonzero(update):
            continue  # nothing to hold: no empty copy of the line (rule 4)
        if copy is None:
            copy = line.model_copy(deep=True)
            copy.quantity = ZERO
            copy.delivered_quantity = ZERO
            copy.canceled_quantity = ZERO
            copy.ready_for_pickup_quantity = ZERO
            pending_target.line_items.append(copy)
        copy.quantity = hold
        if update.delivered_quantity is not None:
            copy.delivered_quantity = update.delivered_quantity
        if update.canceled_quantity is not None:
            copy.canceled_quantity = update.canceled_quantity
        if update.ready_for_pickup_quantity is not None:
            copy.ready_for_pickup_quantity = update.ready_for_pickup_quantity
        if (
            copy.delivered_quantity + copy.canceled_quantity > copy.quantity
            or copy.ready_for_pickup_quantity + copy.canceled_quantity > copy.quantity
        ):
            raise LineUpdateError(
                400,
                f"Line item '{line.line_item_id}': delivered, canceled and ready-for-pickup "
                f"quantities exceed the {_fmt(copy.quantity)} units shipment '{target_id}' holds.",
            )

    outcome = LineUpdateOutcome(target_id, shipment_level, created=target is None)
    origin = split_source or (moved_from[0] if moved_from else None)
    if target is None:
        template = origin or (order.order_form.shipments[0] if order.order_form.shipments else None)
        new = _new_shipment(target_id, template)
        new.line_items = pending_target.line_items
        order.order_form.shipments.append(new)
        target = new
        outcome.source_shipment_id = template.shipment_id if template else None

    _drop_empty(order, moved_from, target, outcome)
    if patch.shipment_info is not None:
        apply_shipment_info(target, patch.shipment_info)
    recompute_totals(order)
    return outcome


def _drop_empty(
    order: OmniumOrder, moved_from: list[Shipment], target: Shipment, outcome: LineUpdateOutcome
) -> None:
    """Remove line copies left with no units; a source shipment emptied entirely goes too."""
    for shipment in moved_from:
        shipment.line_items = [x for x in shipment.line_items if x.quantity > 0]
        if not shipment.line_items and not shipment.packages and shipment is not target:
            order.order_form.shipments.remove(shipment)
            if shipment.shipment_id == outcome.source_shipment_id:
                outcome.removed_source = True
                # Nothing is left to ship there, so its shipping cost goes with the units.
                target.shipping_sub_total = shipment.shipping_sub_total
                target.shipping_total = shipment.shipping_total


def recompute_totals(order: OmniumOrder) -> None:
    """Order lines carry the sums of their shipment copies (house rule 4)."""
    for line in order.order_form.line_items:
        copies = [
            c
            for s in order.order_form.shipments
            for c in s.line_items
            if c.line_item_id == line.line_item_id
        ]
        if not copies:
            continue
        line.delivered_quantity = sum((c.delivered_quantity for c in copies), ZERO)
        line.canceled_quantity = sum((c.canceled_quantity for c in copies), ZERO)
        line.ready_for_pickup_quantity = sum((c.ready_for_pickup_quantity for c in copies), ZERO)


def apply_shipment_info(shipment: Shipment, info: UpdateShipmentInfo) -> None:
    """Copy the given shipment data onto `shipment` (renaming fields as Omnium stores them)."""
    if info.shipment_method_name is not None:
        shipment.shipping_method_name = info.shipment_method_name
    if info.tracking_url is not None:
        shipment.shipment_tracking_link = info.tracking_url
    if info.tracking_number is not None:
        shipment.shipment_tracking_number = info.tracking_number
    if info.label_link is not None:
        shipment.shipment_label_link = info.label_link
    if info.return_label_link is not None:
        shipment.return_label_link = info.return_label_link
    if info.return_tracking_link is not None:
        shipment.return_tracking_link = info.return_tracking_link
    if info.return_tracking_number is not None:
        shipment.return_tracking_number = info.return_tracking_number
    if info.shipping_method_product_id is not None:
        # Not a modelled shipment field: kept as an extra, camelCase like everything stored.
        setattr(shipment, "shippingMethodProductId", info.shipping_method_product_id)  # noqa: B010
    if info.comment is not None:
        shipment.comment = info.comment
    if info.warehouse_code is not None:
        shipment.warehouse_code = info.warehouse_code
    if info.service_point_id is not None:
        shipment.service_point_id = info.service_point_id
    if info.pick_up_point_information is not None:
        shipment.pick_up_point_information = info.pick_up_point_information.model_copy(deep=True)
    if info.external_ids:
        merged = list(shipment.external_ids or [])
        for ext in info.external_ids:
            merged = [e for e in merged if e.provider_name != ext.provider_name] + [ext]
        shipment.external_ids = merged
    if info.properties:
        props = list(shipment.properties or [])
        for prop in info.properties:
            props = [p for p in props if p.key != prop.key] + [prop]
        shipment.properties = props
    if info.packages:
        merge_packages(shipment, info.packages)


def merge_packages(shipment: Shipment, packages: list[ShipmentPackage]) -> None:
    """Merge packages by id (same id replaces, new id appends) and validate references (rule 7)."""
    merged = list(shipment.packages)
    for package in packages:
        package = package.model_copy(deep=True)
        index = next(
            (i for i, p in enumerate(merged) if package.id is not None and p.id == package.id),
            None,
        )
        if index is None:
            merged.append(package)
        else:
            merged[index] = package
    totals: dict[str, Decimal] = {}
    for package in merged:
        for ref in package.line_item_references or []:
            held = _held(shipment, ref.line_item_id)
            if held <= 0:
                raise LineUpdateError(
                    400,
                    f"Package '{package.id}' references line item '{ref.line_item_id}', which "
                    f"shipment '{shipment.shipment_id}' does not hold.",
                )
            if ref.quantity is not None:
                totals[ref.line_item_id] = totals.get(ref.line_item_id, ZERO) + ref.quantity
                if totals[ref.line_item_id] > held:
                    raise LineUpdateError(
                        400,
                        f"Package '{package.id}': packages of shipment '{shipment.shipment_id}' "
                        f"reference {_fmt(totals[ref.line_item_id])} units of line item "
                        f"'{ref.line_item_id}' but the shipment holds {_fmt(held)}.",
                    )
    shipment.packages = merged


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
        new.shipping_sub_total, source.shipping_sub_total = (
            source.shipping_sub_total,
            ZERO if source.shipping_sub_total is not None else None,
        )
        new.shipping_total, source.shipping_total = (
            source.shipping_total,
            ZERO if source.shipping_total is not None else None,
        )


def follow_shipments(order: OmniumOrder) -> None:
    """House rule 6: one shared shipment status becomes the order's; some Completed ones make it
    PartiallyShipped. Cancelled shipments do not count while others exist."""
    statuses = [s.order_status for s in order.order_form.shipments if s.order_status]
    active = [s for s in statuses if s != CANCELED] or statuses
    if not active:
        return
    if len(set(active)) == 1:
        order.status = active[0]
    elif COMPLETED in active:
        order.status = PARTIALLY_SHIPPED


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
    """House rule 11: move each line's `reallocateQuantity` open units from the target shipment
    to a new shipment at another warehouse that has them in stock. One result per line."""
    results: list[ActionResult] = []
    for update in patch.line_item_updates:
        units = update.reallocate_quantity
        if not units:
            continue
        source = order.shipment(target_id)
        copy = _copy_of(source, update.line_item_id) if source is not None else None
        if source is None or copy is None or _open(copy) < units:
            available = _open(copy) if copy is not None else ZERO
            raise LineUpdateError(
                400,
                f"Line item '{update.line_item_id}': cannot reallocate {_fmt(units)} units, "
                f"shipment '{target_id}' has {_fmt(available)} open.",
            )
        sku = copy.code or copy.line_item_id
        warehouse = find_warehouse(sku, units, source.warehouse_code)
        if warehouse is None:
            reason = (
                f"No other warehouse has {_fmt(units)} units of {sku} in stock; "
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
        new = _new_shipment(next_shipment_id(order), source)
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
    recompute_totals(order)
    return results
