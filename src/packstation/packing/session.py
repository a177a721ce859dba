"""The packing session: one order's packages, line decisions, packer and undo history."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from packstation.i18n import _
from packstation.omnium.models import OmniumOrder, Shipment
from packstation.packing import readiness
from packstation.packing.case_sizes import case_sizes_for
from packstation.packing.commands import Command
from packstation.packing.decisions import Decision, SplitTarget
from packstation.packing.destinations import split_destinations
from packstation.packing.errors import PackingError
from packstation.packing.event_checks import check_event
from packstation.packing.event_text import describe, describe_undo
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
    event_from_dict,
)
from packstation.packing.index import LineIndex
from packstation.packing.outcome import Action, Outcome, refused
from packstation.packing.pack_state import Inverse, PackState, StateMark
from packstation.packing.rules import PackingRules
from packstation.packing.scan import RejectKind, ScanResult, interpret
from packstation.packing.scan_handler import ScanHandler, ScanMark
from packstation.packing.target import choose_shipment, packable
from packstation.packing.views import LineView, PackageView, SessionSnapshot, Totals

ZERO = Decimal(0)
ONE = Decimal(1)


class ReplayError(PackingError):
    """A journalled event could not be applied again (the journal does not fit the order)."""


@dataclass(frozen=True)
class Checkpoint:
    """A session's state at one moment: what `PackingSession.rollback` returns to."""

    session: PackingSession
    state: StateMark
    event_count: int
    undo: tuple[Inverse, ...]
    scans: ScanMark
    reviewing: bool


class PackingSession:
    """One order being packed at this station; every change is an event, every event undoable."""

    def __init__(
        self, order: OmniumOrder, rules: PackingRules, *, shipment_id: str | None = None
    ) -> None:
        self._order = order
        self._rules = rules
        self._shipment = choose_shipment(order, rules.warehouse, shipment_id)
        self._index = LineIndex.build(order, self._shipment)
        self._position = {lid: i for i, lid in enumerate(self._index.lines)}
        self._packable = {lid: packable(line) for lid, line in self._index.lines.items()}
        # The order-level copy of a line may carry properties its shipment copy lacks.
        ids = self._index.lines
        copies = [
            *ids.values(),
            *(line for line in order.order_form.line_items if line.line_item_id in ids),
        ]
        self._case_sizes = case_sizes_for(copies, rules.case_size_property, rules.case_sizes)
        self._state = PackState()
        self._events: list[Event] = []
        self._undo: list[Inverse] = []
        self._reviewing = False
        self._scans = ScanHandler(self)

    @classmethod
    def replay(
        cls,
        order: OmniumOrder,
        rules: PackingRules,
        events: Iterable[Event | Mapping[str, Any]],
        *,
        shipment_id: str | None = None,
    ) -> PackingSession:
        """Rebuild a session from its journalled events (dicts or event objects).

        Raises `ReplayError` when an event cannot be read or no longer applies.
        """
        session = cls(order, rules, shipment_id=shipment_id)
        for number, item in enumerate(events, start=1):
            try:
                event = item if not isinstance(item, Mapping) else event_from_dict(dict(item))
            except ValueError as exc:
                raise ReplayError(
                    _("event {number} cannot be read: {reason}").format(number=number, reason=exc)
                ) from exc
            outcome = session.apply(event)
            if outcome.rejection is not None:
                raise ReplayError(
                    _("event {number} does not apply: {reason}").format(
                        number=number, reason=outcome.rejection.reason
                    )
                )
        return session

    # --- state ------------------------------------------------------------------------------

    @property
    def order(self) -> OmniumOrder:
        """The order as it was read when the session started."""
        return self._order

    @property
    def rules(self) -> PackingRules:
        """The station's packing rules."""
        return self._rules

    @property
    def shipment(self) -> Shipment:
        """The shipment this station packs."""
        return self._shipment

    @property
    def index(self) -> LineIndex:
        """The shipment's lines indexed for scanning."""
        return self._index

    @property
    def events(self) -> tuple[Event, ...]:
        """Every event applied so far, in order, including undos."""
        return tuple(self._events)

    @property
    def packer_id(self) -> str | None:
        """The packer whose badge was scanned last."""
        return self._state.packer

    @property
    def open_package_no(self) -> int:
        """The number (1-based) of the package items go into."""
        return len(self._state.packages)

    @property
    def pending_command(self) -> Command | None:
        """CMD-CANCEL-LINE or CMD-SPLIT-LINE waiting for an item scan, if any."""
        return self._scans.pending

    @property
    def pending_count(self) -> int | None:
        """A keyed count waiting for the next item scan, if any."""
        return self._scans.pending_count

    @property
    def destinations(self) -> tuple[SplitTarget, ...]:
        """Where a split line's rest may go from this shipment (a new shipment here first)."""
        rules = self._rules
        return split_destinations(
            self._shipment, rules.split_warehouses, rules.pickup_points, rules.warehouse
        )

    @property
    def nothing_to_decide(self) -> bool:
        """Every line fully packed: no rest to keep, cancel or split."""
        return all(self.remaining(lid) <= 0 for lid in self._index.lines)

    @property
    def reviewing(self) -> bool:
        """True after a first CMD-SUBMIT, until the next change."""
        return self._reviewing

    @property
    def can_undo(self) -> bool:
        """True when there is a change to undo."""
        return bool(self._undo)

    def remaining(self, line_item_id: str) -> Decimal:
        """Units of a line still to pack (0 for unknown lines)."""
        return self._packable.get(line_item_id, ZERO) - self._state.packed.get(line_item_id, ZERO)

    def packed(self, line_item_id: str) -> Decimal:
        """Units of a line packed so far."""
        return self._state.packed.get(line_item_id, ZERO)

    def decision(self, line_item_id: str) -> tuple[Decision, SplitTarget | None]:
        """The decision for a line's unpacked rest (KEEP unless the packer chose otherwise)."""
        return self._state.decisions.get(line_item_id, (Decision.KEEP, None))

    def units_packable(self, line_item_id: str) -> Decimal:
        """Units of a line this station may pack (0 for unknown lines)."""
        return self._packable.get(line_item_id, ZERO)

    def package_contents(self, package_no: int) -> Mapping[str, Decimal]:
        """Units per line in a package (1-based), unsorted; IndexError when it does not exist."""
        return self._state.packages[package_no - 1].contents

    # --- read models ------------------------------------------------------------------------

    def line(self, line_item_id: str) -> LineView:
        """The view of one line; KeyError for a line not in the shipment."""
        line = self._index.lines[line_item_id]
        decision, target = self.decision(line_item_id)
        packed = self.packed(line_item_id)
        can_pack = self._packable[line_item_id]
        return LineView(
            line_item_id=line_item_id,
            code=line.code,
            display_name=line.display_name,
            ean=line.ean,
            ordered=line.quantity,
            done_before=line.quantity - can_pack,
            packable=can_pack,
            packed=packed,
            remaining=can_pack - packed,
            decision=decision,
            split_target=target,
        )

    def lines(self) -> list[LineView]:
        """Every line of the shipment, in order."""
        return [self.line(lid) for lid in self._index.lines]

    def package(self, package_no: int) -> PackageView:
        """The view of one package (1-based); IndexError when it does not exist."""
        if not 1 <= package_no <= len(self._state.packages):
            raise IndexError(package_no)
        pkg = self._state.packages[package_no - 1]
        contents = sorted(pkg.contents.items(), key=lambda item: self._position[item[0]])
        return PackageView(
            package_no=package_no,
            contents=tuple(contents),
            box=pkg.box,
            dimensions=pkg.dimensions,
            weight_kg=pkg.weight_kg,
            is_open=package_no == len(self._state.packages),
        )

    def packages(self) -> list[PackageView]:
        """Every package, in order; the last one is open."""
        return [self.package(n) for n in range(1, len(self._state.packages) + 1)]

    def totals(self) -> Totals:
        """Units packed of units packable, and the number of packages."""
        return Totals(
            units_packed=sum(self._state.packed.values(), ZERO),
            units_packable=sum(self._packable.values(), ZERO),
            packages=len(self._state.packages),
        )

    def snapshot(self) -> SessionSnapshot:
        """An immutable, comparable copy of the session's state (not its history)."""
        return SessionSnapshot(
            order_id=self._order.id,
            shipment_id=self._shipment.shipment_id,
            packer_id=self._state.packer,
            lines=tuple(self.lines()),
            packages=tuple(self.packages()),
        )

    # --- scans ------------------------------------------------------------------------------

    def interpret(self, raw: str) -> ScanResult:
        """What a scan means for this order, without applying it."""
        return interpret(
            raw,
            self._order,
            self._index,
            presets=self._rules.box_presets,
            remaining=self.remaining,
            case_sizes=self._case_sizes,
        )

    def handle_scan(self, raw: str) -> Outcome:
        """Interpret one scan and apply it: the single entry point for the scanner."""
        return self._scans.handle(raw)

    # --- keyboard actions -------------------------------------------------------------------

    def pack(
        self, line_item_id: str, units: Decimal = ONE, package_no: int | None = None
    ) -> Outcome:
        """Put units of a line into a package (default: the open one)."""
        return self.apply(
            ItemPacked(line_item_id, Decimal(units), package_no or self.open_package_no)
        )

    def unpack(
        self, line_item_id: str, units: Decimal = ONE, package_no: int | None = None
    ) -> Outcome:
        """Take units of a line out of a package (default: the open one)."""
        return self.apply(
            ItemUnpacked(line_item_id, Decimal(units), package_no or self.open_package_no)
        )

    def new_package(self) -> Outcome:
        """Close the open package and open a new one (refused while the open one is empty)."""
        return self.apply(PackageOpened(self.open_package_no + 1))

    def choose_box(self, name: str, package_no: int | None = None) -> Outcome:
        """Put a package in the box preset `name`."""
        preset = self._rules.preset(name)
        if preset is None:
            known = ", ".join(p.name for p in self._rules.box_presets)
            return refused(
                _("Unknown box '{box}' (known: {known})").format(box=name, known=known),
                RejectKind.UNKNOWN_BOX,
            )
        return self.apply(
            BoxChosen(
                package_no or self.open_package_no,
                preset.name,
                preset.length_cm,
                preset.width_cm,
                preset.height_cm,
            )
        )

    def set_dimensions(
        self, length_cm: int, width_cm: int, height_cm: int, package_no: int | None = None
    ) -> Outcome:
        """Set a package's dimensions in whole cm (replaces its box)."""
        return self.apply(
            DimensionsSet(package_no or self.open_package_no, length_cm, width_cm, height_cm)
        )

    def set_weight(self, kg: Decimal, package_no: int | None = None) -> Outcome:
        """Set a package's weight in kg."""
        return self.apply(WeightSet(package_no or self.open_package_no, Decimal(kg)))

    def set_decision(
        self, line_item_id: str, decision: Decision, target: SplitTarget | None = None
    ) -> Outcome:
        """Decide what happens to a line's unpacked rest (KEEP, CANCEL or SPLIT to a target)."""
        target = target if decision is Decision.SPLIT else None
        return self.apply(
            DecisionSet(
                line_item_id,
                decision,
                (target.warehouse_code or None) if target else None,
                (target.service_point_id or None) if target else None,
            )
        )

    def set_packer(self, user_id: str) -> Outcome:
        """Record who packs (a badge scan or a login)."""
        return self.apply(PackerSet(user_id.strip()))

    def undo(self) -> Outcome:
        """Reverse the last change not yet undone."""
        return self.apply(Undone())

    @property
    def target_status(self) -> str:
        """The status the shipment moves to when this session is sent."""
        return readiness.target_status(self)

    def check_submit(self) -> list[str]:
        """What stops a submit, in words; an empty list means it can be sent."""
        return readiness.submit_problems(self)

    def leave_review(self) -> None:
        """A scan that waits for the next one (a count, a line command) ends the review."""
        self._reviewing = False

    def review(self) -> Outcome:
        """Show the review (a CMD-SUBMIT then sends, when nothing stops it)."""
        self._reviewing = not self.check_submit()
        return Outcome(action=Action.REVIEW_SUBMIT, message=self.totals().summary)

    def submit(self) -> Outcome:
        """Send at once when there is nothing to decide; else review first, confirm second.

        Nothing to decide: every line fully packed and every package complete (no problem).
        """
        problems = self.check_submit()
        if problems:
            self._reviewing = False
            return refused(readiness.cannot_submit(problems), RejectKind.NOT_READY)
        if not self._reviewing and not self.nothing_to_decide:
            self._reviewing = True
            return Outcome(
                action=Action.REVIEW_SUBMIT,
                message=_("{summary}. Scan CMD-SUBMIT again to send").format(
                    summary=self.totals().summary
                ),
            )
        self._reviewing = False
        return Outcome(
            action=Action.CONFIRM_SUBMIT,
            message=_("Sending order {order_id}").format(order_id=self._order.id),
        )

    # --- checkpoints -----------------------------------------------------------------------

    def checkpoint(self) -> Checkpoint:
        """The state now (including the undo history), to roll back to if a change is lost."""
        return Checkpoint(
            session=self,
            state=self._state.mark(),
            event_count=len(self._events),
            undo=tuple(self._undo),
            scans=self._scans.mark(),
            reviewing=self._reviewing,
        )

    def rollback(self, checkpoint: Checkpoint) -> None:
        """Return exactly to `checkpoint` (e.g. when the journal could not record the changes)."""
        if checkpoint.session is not self:
            raise ValueError("a checkpoint of another session")
        self._state.restore(checkpoint.state)
        del self._events[checkpoint.event_count :]
        self._undo[:] = checkpoint.undo
        self._scans.restore(checkpoint.scans)
        self._reviewing = checkpoint.reviewing

    # --- applying events --------------------------------------------------------------------

    def apply(self, event: Event) -> Outcome:
        """Validate and apply one event; a refusal changes nothing."""
        problem = check_event(self, event)
        if problem is not None:
            return refused(problem.reason, problem.kind, line_item_id=problem.line_item_id)
        if isinstance(event, Undone):
            message = describe_undo(self)
            self._undo.pop()()
        else:
            self._undo.append(self._state.do(event))
            message = describe(self, event)
        self._events.append(event)
        self._reviewing = False
        return Outcome(events=(event,), message=message, line_item_id=_line_of(event))


def _line_of(event: Event) -> str | None:
    return getattr(event, "line_item_id", None)
