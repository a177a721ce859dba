"""Whether an event applies to a packing session now, and the packer-facing reason if not."""

from __future__ import annotations

from decimal import Decimal

from packstation.packing.decisions import Decision
from packstation.packing.events import (
    DecisionSet,
    Event,
    ItemPacked,
    ItemUnpacked,
    PackageOpened,
    PackerSet,
    Undone,
    WeightSet,
)
from packstation.packing.scan import Rejected, RejectKind
from packstation.packing.session_reads import SessionReads
from packstation.packing.views import fmt_qty

ZERO = Decimal(0)


def check_event(session: SessionReads, event: Event) -> Rejected | None:
    """The reason `event` cannot be applied to `session` now, or None when it can."""
    rules = session.rules
    packages = session.open_package_no
    if isinstance(event, Undone):
        return None if session.can_undo else Rejected("Nothing to undo", RejectKind.NOTHING_TO_UNDO)
    if isinstance(event, PackerSet):
        ok = bool(event.user_id.strip())
        return None if ok else Rejected("Badge without a user id", RejectKind.BAD_BADGE)
    if isinstance(event, PackageOpened):
        if event.package_no != packages + 1:
            return Rejected(
                f"Package {event.package_no} cannot be opened now", RejectKind.BAD_EVENT
            )
        if not session.package_contents(packages):
            return Rejected(f"Package {packages} is still empty", RejectKind.EMPTY_PACKAGE)
        return None
    if isinstance(event, DecisionSet):
        if event.line_item_id not in session.index.lines:
            return _not_on_order(session, event.line_item_id)
        if event.decision is not Decision.KEEP and session.remaining(event.line_item_id) <= 0:
            label = session.index.label(event.line_item_id)
            return Rejected(
                f"Line {label}: nothing left to {event.decision.value}, all units are packed",
                RejectKind.NOTHING_LEFT,
                event.line_item_id,
            )
        return None
    if not 1 <= event.package_no <= packages:
        return Rejected(f"There is no package {event.package_no}", RejectKind.BAD_EVENT)
    if isinstance(event, ItemPacked):
        return _check_pack(session, event)
    if isinstance(event, ItemUnpacked):
        has = session.package_contents(event.package_no).get(event.line_item_id, ZERO)
        if event.units <= 0 or event.units > has:
            label = session.index.label(event.line_item_id)
            return Rejected(
                f"Package {event.package_no} holds {fmt_qty(has)} of {label}",
                RejectKind.TOO_MANY,
                event.line_item_id,
            )
        return None
    if isinstance(event, WeightSet):
        if event.weight_kg <= 0:
            return Rejected(
                f"Weight {fmt_qty(event.weight_kg)} kg: must be above 0", RejectKind.BAD_WEIGHT
            )
        if event.weight_kg > rules.max_weight_kg:
            return Rejected(
                f"Weight {fmt_qty(event.weight_kg)} kg is over the maximum "
                f"{fmt_qty(rules.max_weight_kg)} kg",
                RejectKind.BAD_WEIGHT,
            )
        return None
    dims = (event.length_cm, event.width_cm, event.height_cm)
    if any(d <= 0 for d in dims):
        return Rejected("Dimensions must be above 0 cm", RejectKind.BAD_DIMENSIONS)
    if any(d > rules.max_dimension_cm for d in dims):
        return Rejected(
            f"Dimension {max(dims)} cm is over the maximum {rules.max_dimension_cm} cm",
            RejectKind.BAD_DIMENSIONS,
        )
    return None


def _check_pack(session: SessionReads, event: ItemPacked) -> Rejected | None:
    lid = event.line_item_id
    if lid not in session.index.lines:
        return _not_on_order(session, lid)
    label = session.index.label(lid)
    if event.units <= 0:
        return Rejected(
            f"Line {label}: {fmt_qty(event.units)} is not a number of units",
            RejectKind.BAD_COUNT,
            lid,
        )
    left = session.remaining(lid)
    packable = session.units_packable(lid)
    if left <= 0:
        return Rejected(
            f"Line {label}: all {fmt_qty(packable)} units already packed",
            RejectKind.LINE_COMPLETE,
            lid,
        )
    if event.units > left:
        return Rejected(
            f"Line {label}: only {fmt_qty(left)} of {fmt_qty(packable)} units left, not "
            f"{fmt_qty(event.units)}",
            RejectKind.TOO_MANY,
            lid,
        )
    return None


def _not_on_order(session: SessionReads, line_item_id: str) -> Rejected:
    return Rejected(
        f"Item {line_item_id} is not on order {session.order.id}", RejectKind.NOT_ON_ORDER
    )
