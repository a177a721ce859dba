"""What `OrderLinesUpdate` does to an order's lines and shipments, as pure functions.

House rules (see omnium-notes.md) implemented here:
3  quantities are absolute per target shipment; a repeat changes nothing; too much -> 400;
4  a line keeps its id in every shipment holding some of its units; the order line has totals;
5  an unknown shipmentId creates a shipment from the units' source, copying its shipping data;
10 a split without a target (or targeting the shipment holding the units) gets a new numeric id;
12 queued and read-only orders refuse writes; unknown line ids -> 404.
Statuses (rule 6) are in order_status.py, packages (rule 7) in shipment_info.py, reallocation
(rule 11) in reallocation.py.

Every function works on the order it is given (callers pass a copy) and raises `LineUpdateError`
(with the HTTP status to answer) without having to undo anything. Lookups are dicts built once
per request: the cost grows with the order's size, not with lines x shipment lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from packstation.omnium.models import OmniumOrder, OrderLine, Shipment
from packstation.omnium.workflow import LineItemUpdate, UpdateLineItemStatusPatch
from packstation.sandbox.line_copies import (
    ZERO,
    LineUpdateError,
    copies_by_line,
    fmt,
    held,
    lines_by_id,
    open_units,
    recompute_totals,
)
from packstation.sandbox.shipment_info import apply_shipment_info

QUEUED = "Queued"

Copies = dict[int, dict[str, OrderLine]]
"""Each shipment's `copies_by_line`, by the shipment's `id()`."""


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


def _validate_updates(
    order: OmniumOrder, lines: dict[str, OrderLine], updates: list[LineItemUpdate]
) -> None:
    seen: set[str] = set()
    for update in updates:
        if update.line_item_id not in lines:
            raise LineUpdateError(
                404, f"Line item '{update.line_item_id}' not found on order '{order.id}'."
            )
        if update.line_item_id in seen:
            raise LineUpdateError(
                400, f"lineItemUpdates: line item '{update.line_item_id}' appears more than once."
            )
        seen.add(update.line_item_id)


def _choose_target(
    order: OmniumOrder, patch: UpdateLineItemStatusPatch, copies: Copies
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
        existing_copies = copies[id(existing)]
        if any(held(existing_copies, u.line_item_id) > _wanted(u) for u in splits):
            return next_shipment_id(order), True, False, existing
        return requested, True, True, None
    if splits or not order.order_form.shipments:
        return next_shipment_id(order), True, False, None
    # No shipment named: the first shipment is used, and the status is order-level.
    return order.order_form.shipments[0].shipment_id, False, True, None


def _sources(order: OmniumOrder, target_id: str, preferred: Shipment | None) -> list[Shipment]:
    """Shipments units may come from, in order: the one being split from, then the others."""
    others = [s for s in order.order_form.shipments if s.shipment_id != target_id]
    if preferred is not None and any(s is preferred for s in others):
        others = [preferred, *(s for s in others if s is not preferred)]
    return others


def _take_units(
    order: OmniumOrder,
    line: OrderLine,
    need: Decimal,
    sources: list[Shipment],
    copies: Copies,
    preferred: Shipment | None,
) -> tuple[list[tuple[Shipment, OrderLine, Decimal]], Decimal]:
    """Plan where `need` units come from: (shipment, its copy, units) moves, and the shortfall.

    Sources in order: the shipment being split from, units not in any shipment yet, then the
    other shipments in order.
    """
    line_id = line.line_item_id
    assigned = sum((held(copies[id(s)], line_id) for s in order.order_form.shipments), ZERO)
    remaining = need
    moves: list[tuple[Shipment, OrderLine, Decimal]] = []
    unassigned_used = False
    for shipment in sources:
        if remaining <= 0:
            break
        if not unassigned_used and shipment is not preferred:
            # The unassigned units come right after the preferred source.
            remaining -= min(max(ZERO, line.quantity - assigned), remaining)
            unassigned_used = True
            if remaining <= 0:
                break
        copy = copies[id(shipment)].get(line_id)
        if copy is None:
            continue
        units = min(open_units(copy), remaining)
        if units > 0:
            moves.append((shipment, copy, units))
            remaining -= units
    if not unassigned_used and remaining > 0:
        remaining -= min(max(ZERO, line.quantity - assigned), remaining)
    return moves, max(ZERO, remaining)


def new_shipment(target_id: str, source: Shipment | None) -> Shipment:
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
    # Zero: the cost stays with the source unless transfer_shipping_cost moves it.
    shipment.shipping_total = ZERO
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


def _empty_copy(line: OrderLine) -> OrderLine:
    copy = line.model_copy(deep=True)
    copy.quantity = ZERO
    copy.delivered_quantity = ZERO
    copy.canceled_quantity = ZERO
    copy.ready_for_pickup_quantity = ZERO
    return copy


def _set_states(copy: OrderLine, update: LineItemUpdate, target_id: str) -> None:
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
            f"Line item '{copy.line_item_id}': delivered, canceled and ready-for-pickup "
            f"quantities exceed the {fmt(copy.quantity)} units shipment '{target_id}' holds.",
        )


def apply_line_updates(order: OmniumOrder, patch: UpdateLineItemStatusPatch) -> LineUpdateOutcome:
    """Apply the line updates and shipment info of an `OrderLinesUpdate` to `order` in place."""
    ensure_writable(order)
    lines = lines_by_id(order)
    _validate_updates(order, lines, patch.line_item_updates)
    copies: Copies = {id(s): copies_by_line(s) for s in order.order_form.shipments}
    target_id, shipment_level, exists, split_source = _choose_target(order, patch, copies)
    target = order.shipment(target_id) if exists else None
    pending_target = target or Shipment(shipment_id=target_id)
    target_copies = copies.setdefault(id(pending_target), copies_by_line(pending_target))
    sources = _sources(order, target_id, split_source)
    moved_from: dict[int, Shipment] = {}

    for update in patch.line_item_updates:
        line = lines[update.line_item_id]
        hold = held(target_copies, line.line_item_id)
        need = _wanted(update) - hold
        if need > 0:
            moves, shortfall = _take_units(order, line, need, sources, copies, split_source)
            if shortfall > 0:
                left = hold + need - shortfall
                raise LineUpdateError(
                    400,
                    f"Line item '{line.line_item_id}': {fmt(_wanted(update))} units asked for "
                    f"shipment '{target_id}' but only {fmt(left)} are left to assign.",
                )
            for source, source_copy, units in moves:
                source_copy.quantity -= units
                moved_from.setdefault(id(source), source)
            hold += need
        copy = target_copies.get(line.line_item_id)
        if copy is None and hold == 0 and not _nonzero(update):
            continue  # nothing to hold: no empty copy of the line (rule 4)
        if copy is None:
            copy = _empty_copy(line)
            pending_target.line_items.append(copy)
            target_copies[line.line_item_id] = copy
        copy.quantity = hold
        _set_states(copy, update, target_id)

    outcome = LineUpdateOutcome(target_id, shipment_level, created=target is None)
    emptied = list(moved_from.values())
    origin = split_source or (emptied[0] if emptied else None)
    if target is None:
        template = origin or (order.order_form.shipments[0] if order.order_form.shipments else None)
        new = new_shipment(target_id, template)
        new.line_items = pending_target.line_items
        order.order_form.shipments.append(new)
        target = new
        outcome.source_shipment_id = template.shipment_id if template else None

    _drop_empty(order, emptied, target, outcome)
    if patch.shipment_info is not None:
        apply_shipment_info(target, patch.shipment_info)
    recompute_totals(order, [u.line_item_id for u in patch.line_item_updates])
    return outcome


def _drop_empty(
    order: OmniumOrder, moved_from: list[Shipment], target: Shipment, outcome: LineUpdateOutcome
) -> None:
    """Remove line copies left with no units; a source shipment emptied entirely goes too."""
    for shipment in moved_from:
        shipment.line_items = [x for x in shipment.line_items if x.quantity > 0]
        if not shipment.line_items and not shipment.packages and shipment is not target:
            form = order.order_form
            form.shipments = [s for s in form.shipments if s is not shipment]
            if shipment.shipment_id == outcome.source_shipment_id:
                outcome.removed_source = True
                # Nothing is left to ship there, so its shipping cost goes with the units.
                target.shipping_sub_total = shipment.shipping_sub_total
                target.shipping_total = shipment.shipping_total
