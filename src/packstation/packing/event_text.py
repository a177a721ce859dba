"""The sentence the packer reads for each change to a packing session, and for its undo."""

from __future__ import annotations

from collections.abc import Sequence

from packstation.i18n import _
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
        text = (
            _("Packed {units} × {line} (package {number}): {packed} / {packable}")
            if isinstance(event, ItemPacked)
            else _("Took out {units} × {line} (package {number}): {packed} / {packable}")
        )
        return text.format(
            units=fmt_qty(event.units),
            line=session.index.label(lid),
            number=event.package_no,
            packed=fmt_qty(session.packed(lid)),
            packable=fmt_qty(session.units_packable(lid)),
        )
    if isinstance(event, PackageOpened):
        return _("Package {number} opened").format(number=event.package_no)
    if isinstance(event, PackerSet):
        return _("Packer {user_id}").format(user_id=event.user_id)
    if isinstance(event, DecisionSet):
        label = session.index.label(event.line_item_id)
        rest = fmt_qty(session.remaining(event.line_item_id))
        if event.decision is Decision.KEEP:
            return _("Line {line}: the unpacked rest ({rest}) stays for later").format(
                line=label, rest=rest
            )
        if event.decision is Decision.CANCEL:
            return _("Line {line}: the unpacked rest ({rest}) will be cancelled").format(
                line=label, rest=rest
            )
        target = SplitTarget(event.warehouse_code, event.service_point_id)
        return _("Line {line}: the unpacked rest ({rest}) goes to {destination}").format(
            line=label, rest=rest, destination=target.describe()
        )
    if isinstance(event, WeightSet):
        return _("Package {number}: {weight} kg").format(
            number=event.package_no, weight=fmt_qty(event.weight_kg)
        )
    if isinstance(event, BoxChosen):
        return _("Package {number}: box {box} ({length}×{width}×{height} cm)").format(
            number=event.package_no,
            box=event.box,
            length=event.length_cm,
            width=event.width_cm,
            height=event.height_cm,
        )
    if isinstance(event, DimensionsSet):
        return _("Package {number}: {length}×{width}×{height} cm").format(
            number=event.package_no,
            length=event.length_cm,
            width=event.width_cm,
            height=event.height_cm,
        )
    return _("Undone")  # pragma: no cover - Undone is described by describe_undo()


def describe_undo(session: SessionReads) -> str:
    """What the next undo reverses, in words ("Undone: 1 × NH-1020 from package 2")."""
    event = last_undoable(session.events)
    if event is None:
        return _("Undone")
    if isinstance(event, ItemPacked):
        code = _code(session, event.line_item_id)
        return _("Undone: {units} × {code} from package {number}").format(
            units=fmt_qty(event.units), code=code, number=event.package_no
        )
    if isinstance(event, ItemUnpacked):
        code = _code(session, event.line_item_id)
        return _("Undone: {units} × {code} put back in package {number}").format(
            units=fmt_qty(event.units), code=code, number=event.package_no
        )
    return _("Undone: {change}").format(change=describe(session, event))


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
