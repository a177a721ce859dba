"""Session -> the ordered `OrderLinesUpdate` requests that submit it (DESIGN "Packing rules").

Quantities are absolute per target shipment (house rule 3), so a request states how many
units the target holds in each state afterwards: resending it changes nothing, and a line may
be restated in several chunks with the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from packstation.omnium.models import Dimensions, LineItemReference, OmniumOrder, ShipmentPackage
from packstation.omnium.wire import MAX_ENTRIES
from packstation.omnium.workflow import (
    LineItemUpdate,
    UpdateLineItemStatusPatch,
    UpdateShipmentInfo,
)
from packstation.packing.decisions import Decision, SplitTarget
from packstation.packing.errors import PlanError
from packstation.packing.readiness import cannot_submit, is_pickup
from packstation.packing.session import PackingSession
from packstation.packing.views import PackageView, fmt_qty

GOODS_DESCRIPTION_MAX = 200
ZERO = Decimal(0)


@dataclass(frozen=True)
class SubmissionPlan:
    """The requests that submit a session, with every id (SSCCs, new shipments) fixed."""

    order_id: str
    source_shipment_id: str
    delivery_shipment_id: str
    """The existing shipment when nothing stays behind, else the new partial shipment."""
    new_shipment_ids: tuple[str, ...]
    split_shipments: tuple[tuple[SplitTarget, str], ...]
    packages: tuple[ShipmentPackage, ...]
    contents: tuple[tuple[tuple[str, Decimal], ...], ...]
    """Per package (same order as `packages`): (line item id, units) it holds. Omnium's line
    references carry no quantity, so the station keeps these itself (and writes them into the
    package's goodsDescription)."""
    requests: tuple[UpdateLineItemStatusPatch, ...]
    """In send order: split requests, then the delivery request(s), the last one completing."""


def propose_shipment_ids(order: OmniumOrder, count: int) -> list[str]:
    """`count` shipment ids not used by the order: the next free numeric ones."""
    used = {s.shipment_id for s in order.order_form.shipments}
    numbers = [int(sid) for sid in used if sid.isascii() and sid.isdigit()]
    proposed: list[str] = []
    candidate = max(numbers, default=0) + 1
    while len(proposed) < count:
        if str(candidate) not in used:
            proposed.append(str(candidate))
        candidate += 1
    return proposed


def propose_shipment_id(order: OmniumOrder) -> str:
    """The next free numeric shipment id of the order."""
    return propose_shipment_ids(order, 1)[0]


def plan_submission(
    session: PackingSession,
    *,
    sscc: Callable[[], str],
    shipment_ids: Callable[[], str] | None = None,
) -> SubmissionPlan:
    """Turn a ready session into requests; calls `sscc()` once per package, once in all."""
    problems = session.check_submit()
    if problems:
        raise PlanError(cannot_submit(problems))
    order, shipment, rules = session.order, session.shipment, session.rules
    lines = session.lines()
    kept = any(lv.remaining > 0 and lv.decision is Decision.KEEP for lv in lines)
    split_lines: dict[SplitTarget, list[tuple[str, Decimal]]] = {}
    for lv in lines:
        if lv.remaining > 0 and lv.decision is Decision.SPLIT:
            target = lv.split_target or SplitTarget()
            split_lines.setdefault(target, []).append((lv.line_item_id, lv.remaining))

    needed = (1 if kept else 0) + len(split_lines)
    allocate = shipment_ids or iter(propose_shipment_ids(order, needed)).__next__
    new_ids = tuple(allocate() for _ in range(needed))
    taken = {s.shipment_id for s in order.order_form.shipments}
    if len(set(new_ids)) != needed or taken & set(new_ids):
        raise PlanError(f"Shipment ids {list(new_ids)} are not new and distinct")
    ids = iter(new_ids)
    delivery_id = next(ids) if kept else shipment.shipment_id
    split_ids = tuple((target, next(ids)) for target in split_lines)

    interim = rules.interim_status or shipment.order_status or order.status or "InProgress"
    user_id = session.packer_id
    # A shipment cancelled whole sends no package (its open box stays empty).
    views = [view for view in session.packages() if view.contents]
    packages = tuple(_package(session, view, sscc()) for view in views)

    requests: list[UpdateLineItemStatusPatch] = []
    for target, target_id in split_ids:
        fields = {
            "shipment_id": target_id,
            "warehouse_code": target.warehouse_code,
            "service_point_id": target.service_point_id,
        }
        # Only what is chosen is sent: an unset field leaves the copied source value alone.
        info = UpdateShipmentInfo.model_validate({k: v for k, v in fields.items() if v})
        updates = [
            LineItemUpdate(line_item_id=lid, split_quantity=q) for lid, q in split_lines[target]
        ]
        for chunk in _chunks(updates, MAX_ENTRIES):
            requests.append(
                UpdateLineItemStatusPatch(
                    status=interim,
                    line_item_updates=chunk,
                    shipment_info=info,
                    is_shipping_cost_kept_for_existing_shipment=True,
                    user_id=user_id,
                )
            )

    existing = not kept
    pickup = is_pickup(session)
    updates_by_line: dict[str, LineItemUpdate] = {}
    for lv in lines:
        cancel = lv.remaining if lv.decision is Decision.CANCEL else ZERO
        if lv.packed <= 0 and cancel <= 0:
            continue
        copy = session.index.lines[lv.line_item_id]
        delivered = lv.packed + (copy.delivered_quantity if existing else ZERO)
        cancelled = cancel + (copy.canceled_quantity if existing else ZERO)
        # Only the states that hold units are sent (unset fields stay out of the JSON).
        update = LineItemUpdate(line_item_id=lv.line_item_id)
        if delivered > 0 and pickup:
            # Click and collect: the units wait in the store until collected (Omnium's
            # readyForPickupQuantity); PickedUp delivers them.
            ready = lv.packed + (copy.ready_for_pickup_quantity if existing else ZERO)
            update = update.model_copy(update={"ready_for_pickup_quantity": ready})
        elif delivered > 0:
            update = update.model_copy(update={"delivered_quantity": delivered})
        if cancelled > 0:
            update = update.model_copy(update={"canceled_quantity": cancelled})
        updates_by_line[lv.line_item_id] = update
    chunks = _delivery_chunks(packages, list(updates_by_line))
    for number, (line_ids, chunk_packages) in enumerate(chunks, start=1):
        last = number == len(chunks)
        requests.append(
            UpdateLineItemStatusPatch(
                status=session.target_status if last else interim,
                line_item_updates=[updates_by_line[lid] for lid in line_ids],
                shipment_info=UpdateShipmentInfo(
                    shipment_id=delivery_id, packages=list(chunk_packages)
                ),
                user_id=user_id,
            )
        )
    return SubmissionPlan(
        order_id=order.id,
        source_shipment_id=shipment.shipment_id,
        delivery_shipment_id=delivery_id,
        new_shipment_ids=new_ids,
        split_shipments=split_ids,
        packages=packages,
        contents=tuple(tuple(view.contents) for view in views),
        requests=tuple(requests),
    )


def build_requests(
    session: PackingSession,
    *,
    sscc: Callable[[], str],
    shipment_ids: Callable[[], str] | None = None,
) -> list[UpdateLineItemStatusPatch]:
    """The requests of `plan_submission`, in send order."""
    return list(plan_submission(session, sscc=sscc, shipment_ids=shipment_ids).requests)


def patch_landed(order: OmniumOrder, patch: UpdateLineItemStatusPatch) -> bool:
    """True when a re-read order already shows this request's effect (for reconciling)."""
    info = patch.shipment_info
    if info is None or info.shipment_id is None:
        return False
    shipment = order.shipment(info.shipment_id)
    if shipment is None:
        return False
    copies = {line.line_item_id: line for line in shipment.line_items}
    for update in patch.line_item_updates:
        copy = copies.get(update.line_item_id)
        if copy is None:
            return False
        checks = (
            (update.delivered_quantity, copy.delivered_quantity),
            (update.ready_for_pickup_quantity, copy.ready_for_pickup_quantity),
            (update.canceled_quantity, copy.canceled_quantity),
            (
                update.split_quantity,
                copy.quantity - copy.delivered_quantity - copy.canceled_quantity,
            ),
        )
        if any(wanted is not None and wanted != held for wanted, held in checks):
            return False
    held_ids = {p.id for p in shipment.packages}
    return all(p.id in held_ids for p in info.packages or ())


def goods_description(session: PackingSession, view: PackageView) -> str:
    """What the package holds, e.g. "2 × NH-1003, 1 × NH-1005" (SKU codes), at most 200
    characters. Omnium's line references carry no quantity: this is where the carrier and
    Omnium's users see which units went into which package."""
    parts = []
    for lid, units in view.contents:
        line = session.index.lines[lid]
        parts.append(f"{fmt_qty(units)} × {line.code or line.display_name or lid}")
    text = ", ".join(parts)
    if len(text) > GOODS_DESCRIPTION_MAX:
        text = text[: GOODS_DESCRIPTION_MAX - 1] + "…"
    return text


def _package(session: PackingSession, view: PackageView, code: str) -> ShipmentPackage:
    package = ShipmentPackage(
        id=code,
        barcode=code,
        goods_description=goods_description(session, view),
        line_item_references=[LineItemReference(line_item_id=lid) for lid, _ in view.contents],
    )
    if view.weight_kg is not None:
        # Unweighed (click and collect needs no weight): left out, never sent as 0 kg.
        package = package.model_copy(update={"weight_in_kg": float(view.weight_kg)})
    if view.dimensions is None or view.volume_litres is None:
        return package  # no dimensions: the fields stay unset, not null
    length, width, height = view.dimensions
    dimensions = Dimensions(length_in_cm=length, width_in_cm=width, height_in_cm=height)
    return package.model_copy(
        update={"dimensions": dimensions, "volume": float(view.volume_litres)}
    )


def _chunks(items: Sequence[LineItemUpdate], size: int) -> Iterator[list[LineItemUpdate]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def _refs(package: ShipmentPackage) -> list[str]:
    return [ref.line_item_id for ref in package.line_item_references or ()]


def _delivery_chunks(
    packages: Iterable[ShipmentPackage], line_ids: list[str]
) -> list[tuple[list[str], list[ShipmentPackage]]]:
    """Group packages (<= 250) with every line they reference (<= 250 lines) per request.

    A package only goes into a request that also states its lines, so each request is valid
    on its own; lines without packages (cancel-only) fill up the last requests.
    """
    order = {lid: i for i, lid in enumerate(line_ids)}
    chunks: list[tuple[set[str], list[ShipmentPackage]]] = []
    for package in packages:
        refs = set(_refs(package))
        if chunks:
            lines, pkgs = chunks[-1]
            if len(pkgs) < MAX_ENTRIES and len(lines | refs) <= MAX_ENTRIES:
                lines |= refs
                pkgs.append(package)
                continue
        chunks.append((refs, [package]))
    referenced = set().union(*(lines for lines, _ in chunks)) if chunks else set()
    for lid in line_ids:
        if lid in referenced:
            continue
        if not chunks or len(chunks[-1][0]) >= MAX_ENTRIES:
            chunks.append((set(), []))
        chunks[-1][0].add(lid)
    return [(sorted(lines, key=order.__getitem__), pkgs) for lines, pkgs in chunks]
