"""The sentence the packer reads for each change to a packing session, and for its undo."""

from __future__ import annotations

from collections.abc import Sequence

from packstation.packing.decisions import Decision, SplitTarget
from packstation.packing.events import (
    BoxChosen,
    DecisionSet,
    DimensionsSet,
    Event,
    ItemPacked,
    ItemUnpacked,
    PackageOpened,
    PackerSet,
    Undone,
    WeightSet,
)
from packstation.packing.session_reads import SessionReads
from packstation.packing.views import fmt_qty


def describe(session: SessionReads, event: Event) -> str:
    """What `event` did, in words, read after it was applied to `session`."""
    if isinstance(event, ItemPacked | ItemUnpacked):
        lid = event.line_item_id
        verb = "Packed" if isinstance(event, ItemPacked) else "Took out"
        return (
            f"{verb} {fmt_qty(event.units)} × {session.index.label(lid)} "
            f"(package {event.package_no}): {fmt_qty(session.packed(lid))} / "
            f"{fmt_qty(session.units_packable(lid))}"
        )
    if isinstance(event, PackageOpened):
        return f"Package {event.package_no} opened"
    if isinstance(event, PackerSet):
        return f"Packer {event.user_id}"
    if isinstance(event, DecisionSet):
        label = session.index.label(event.line_item_id)
        rest = fmt_qty(session.remaining(event.line_item_id))
        if event.decision is Decision.KEEP:
            return f"Line {label}: the unpacked rest ({rest}) stays for later"
        if event.decision is Decision.CANCEL:
            return f"Line {label}: the unpacked rest ({rest}) will be cancelled"
        target = SplitTarget(event.warehouse_code, event.service_point_id)
        return f"Line {label}: the unpacked rest ({rest}) goes to {target.describe()}"
    if isinstance(event, WeightSet):
        return f"Package {event.package_no}: {fmt_qty(event.weight_kg)} kg"
    if isinstance(event, BoxChosen):
        return (
            f"Package {event.package_no}: box {event.box} "
            f"({event.length_cm}×{event.width_cm}×{event.height_cm} cm)"
        )
    if isinstance(event, DimensionsSet):
        return (
            f"Package {event.package_no}: {event.length_cm}×{event.width_cm}×{event.height_cm} cm"
        )
    return "Undone"  # pragma: no cover - Undone is described by describe_undo()


def describe_undo(session: SessionReads) -> str:
    """What the next undo reverses, in words ("Undone: 1 × NH-1020 from package 2")."""
    event = last_undoable(session.events)
    if event is None:
        return "Undone"
    if isinstance(event, ItemPacked):
        code = _code(session, event.line_item_id)
        return f"Undone: {fmt_qty(event.units)} × {code} from package {event.package_no}"
    if isinstance(event, ItemUnpacked):
        code = _code(session, event.line_item_id)
        return f"Undone: {fmt_qty(event.units)} × {code} put back in package {event.package_no}"
    return f"Undone: {describe(session, event)}"


def last_undoable(events: Sequence[Event]) -> Event | None:
    """The change the next undo reverses: the latest event not yet undone."""
    skip = 0
    for event in reversed(events):
        if isinstance(event, Undone):
            skip += 1
        elif skip:
            skip -= 1
        else:
            return event
    return None


def _code(session: SessionReads, line_item_id: str) -> str:
    line = session.index.lines.get(line_item_id)
    return (line.code if line is not None else None) or line_item_id
