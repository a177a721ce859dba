"""Whether a packing session can be sent, and the status its shipment moves to when it is."""

from __future__ import annotations

from typing import Protocol

from packstation.i18n import _
from packstation.omnium.models import OmniumOrder
from packstation.omnium.wire import MAX_ENTRIES
from packstation.packing.decisions import Decision
from packstation.packing.rules import PackingRules
from packstation.packing.views import LineView, PackageView, Totals


class SubmitReads(Protocol):
    """The read side of `PackingSession` that deciding on a submit needs."""

    @property
    def order(self) -> OmniumOrder: ...

    @property
    def rules(self) -> PackingRules: ...

    @property
    def packer_id(self) -> str | None: ...

    def lines(self) -> list[LineView]: ...

    def packages(self) -> list[PackageView]: ...

    def totals(self) -> Totals: ...


def is_pickup(session: SubmitReads) -> bool:
    """The order is click and collect: collected in a store, no carrier."""
    return session.rules.is_pickup(session.order.order_type)


def weight_required(session: SubmitReads) -> bool:
    """A weight per package is needed (not for parcels collected in a store)."""
    return session.rules.require_weight and not is_pickup(session)


def cancels_whole_shipment(session: SubmitReads) -> bool:
    """Nothing packed and every unit left cancelled, where `cancel_status` allows it."""
    if not session.rules.cancel_status or session.totals().units_packed > 0:
        return False
    open_lines = [lv for lv in session.lines() if lv.remaining > 0]
    return bool(open_lines) and all(lv.decision is Decision.CANCEL for lv in open_lines)


def target_status(session: SubmitReads) -> str:
    """The status the shipment moves to when the session is sent."""
    rules = session.rules
    if rules.cancel_status and cancels_whole_shipment(session):
        return rules.cancel_status
    return rules.packed_status(session.order.order_type)


def cannot_submit(problems: list[str]) -> str:
    """The refusal of a submit that `problems` (from `submit_problems`) stop."""
    return _("Cannot submit: {problems}").format(problems="; ".join(problems))


def submit_problems(session: SubmitReads) -> list[str]:
    """What stops a submit, in words; an empty list means it can be sent."""
    problems: list[str] = []
    if session.rules.require_packer and not session.packer_id:
        problems.append(_("Scan your badge (USER-…) first"))
    cancels_all = cancels_whole_shipment(session)
    if session.totals().units_packed <= 0 and not cancels_all:
        problems.append(_("Nothing is packed"))
    needs_weight = weight_required(session)
    for pkg in session.packages():
        no = pkg.package_no
        if not pkg.contents:
            if not cancels_all:  # then the box stays empty and unsent
                problems.append(_("Package {number} is empty").format(number=no))
            continue
        if needs_weight and pkg.weight_kg is None:
            problems.append(_("Package {number} has no weight").format(number=no))
        if len(pkg.contents) > MAX_ENTRIES:
            problems.append(
                _("Package {number} holds more than {count} different lines").format(
                    number=no, count=MAX_ENTRIES
                )
            )
    return problems
