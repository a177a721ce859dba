"""Whether an event applies to a packing session now, and the packer-facing reason if not."""

from __future__ import annotations

from decimal import Decimal

from packstation.i18n import _
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
        if session.can_undo:
            return None
        return Rejected(_("Nothing to undo"), RejectKind.NOTHING_TO_UNDO)
    if isinstance(event, PackerSet):
        ok = bool(event.user_id.strip())
        return None if ok else Rejected(_("Badge without a user id"), RejectKind.BAD_BADGE)
    if isinstance(event, PackageOpened):
        if event.package_no != packages + 1:
            return Rejected(
                _("Package {number} cannot be opened now").format(number=event.package_no),
                RejectKind.BAD_EVENT,
            )
        if not session.package_contents(packages):
            return Rejected(
                _("Package {number} is still empty").format(number=packages),
                RejectKind.EMPTY_PACKAGE,
            )
        return None
    if isinstance(event, DecisionSet):
        if event.line_item_id not in session.index.lines:
            return _not_on_order(session, event.line_item_id)
        if event.decision is not Decision.KEEP and session.remaining(event.line_item_id) <= 0:
            label = session.index.label(event.line_item_id)
            return Rejected(
                _("Line {line}: nothing left to cancel, all units are packed").format(line=label)
                if event.decision is Decision.CANCEL
                else _("Line {line}: nothing left to split, all units are packed").format(
                    line=label
                ),
                RejectKind.NOTHING_LEFT,
                event.line_item_id,
            )
        return None
    if not 1 <= event.package_no <= packages:
        return Rejected(
            _("There is no package {number}").format(number=event.package_no), RejectKind.BAD_EVENT
        )
    if isinstance(event, ItemPacked):
        return _check_pack(session, event)
    if isinstance(event, ItemUnpacked):
        has = session.package_contents(event.package_no).get(event.line_item_id, ZERO)
        if event.units <= 0 or event.units > has:
            label = session.index.label(event.line_item_id)
            return Rejected(
                _("Package {number} holds {units} of {line}").format(
                    number=event.package_no, units=fmt_qty(has), line=label
                ),
                RejectKind.TOO_MANY,
                event.line_item_id,
            )
        return None
    if isinstance(event, WeightSet):
        if event.weight_kg <= 0:
            return Rejected(
                _("Weight {weight} kg: must be above 0").format(weight=fmt_qty(event.weight_kg)),
                RejectKind.BAD_WEIGHT,
            )
        if event.weight_kg > rules.max_weight_kg:
            return Rejected(
                _("Weight {weight} kg is over the maximum {maximum} kg").format(
                    weight=fmt_qty(event.weight_kg), maximum=fmt_qty(rules.max_weight_kg)
                ),
                RejectKind.BAD_WEIGHT,
            )
        return None
    dims = (event.length_cm, event.width_cm, event.height_cm)
    if any(d <= 0 for d in dims):
        return Rejected(_("Dimensions must be above 0 cm"), RejectKind.BAD_DIMENSIONS)
    if any(d > rules.max_dimension_cm for d in dims):
        return Rejected(
            _("Dimension {size} cm is over the maximum {maximum} cm").format(
                size=max(dims), maximum=rules.max_dimension_cm
            ),
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
            _("Line {line}: {units} is not a number of units").format(
                line=label, units=fmt_qty(event.units)
            ),
            RejectKind.BAD_COUNT,
            lid,
        )
    left = session.remaining(lid)
    packable = session.units_packable(lid)
    if left <= 0:
        return Rejected(
            _("Line {line}: all {packable} units already packed").format(
                line=label, packable=fmt_qty(packable)
            ),
            RejectKind.LINE_COMPLETE,
            lid,
        )
    if event.units > left:
        return Rejected(
            _("Line {line}: only {left} of {packable} units left, not {units}").format(
                line=label,
                left=fmt_qty(left),
                packable=fmt_qty(packable),
                units=fmt_qty(event.units),
            ),
            RejectKind.TOO_MANY,
            lid,
        )
    return None


def _not_on_order(session: SessionReads, line_item_id: str) -> Rejected:
    return Rejected(
        _("Item {scan} is not on order {order_id}").format(
            scan=line_item_id, order_id=session.order.id
        ),
        RejectKind.NOT_ON_ORDER,
    )
