"""The packing session: one order's packages, line decisions, packer and undo history."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from packstation.omnium.models import MAX_ENTRIES, OmniumOrder, Shipment
from packstation.packing.commands import Command
from packstation.packing.decisions import Decision, SplitTarget
from packstation.packing.errors import PackingError
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
from packstation.packing.rules import PackingRules
from packstation.packing.scan import (
    BadgeScan,
    BoxScan,
    CommandScan,
    DimensionsScan,
    ItemScan,
    OrderIdScan,
    Rejected,
    RejectKind,
    ScanResult,
    WeightScan,
    interpret,
)
from packstation.packing.target import choose_shipment, packable
from packstation.packing.views import (
    LineView,
    PackageView,
    SessionSnapshot,
    Totals,
    fmt_qty,
)

ZERO = Decimal(0)
ONE = Decimal(1)


class ReplayError(PackingError):
    """A journalled event could not be applied again (the journal does not fit the order)."""


@dataclass
class _Package:
    contents: dict[str, Decimal] = field(default_factory=dict)
    box: str | None = None
    dimensions: tuple[int, int, int] | None = None
    weight_kg: Decimal | None = None


Inverse = Callable[[], None]
_PackageState = tuple[dict[str, Decimal], str | None, tuple[int, int, int] | None, Decimal | None]


@dataclass(frozen=True)
class Checkpoint:
    """A session's state at one moment: what `PackingSession.rollback` returns to."""

    session: PackingSession
    packed: dict[str, Decimal]
    packages: tuple[_Package, ...]
    package_state: tuple[_PackageState, ...]
    decisions: dict[str, tuple[Decision, SplitTarget | None]]
    packer: str | None
    event_count: int
    undo: tuple[Inverse, ...]
    pending: Command | None
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
        self._packed: dict[str, Decimal] = {}
        self._packages: list[_Package] = [_Package()]
        self._decisions: dict[str, tuple[Decision, SplitTarget | None]] = {}
        self._packer: str | None = None
        self._events: list[Event] = []
        self._undo: list[Inverse] = []
        self._pending: Command | None = None
        self._reviewing = False

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
                raise ReplayError(f"event {number} cannot be read: {exc}") from exc
            outcome = session.apply(event)
            if outcome.rejection is not None:
                raise ReplayError(f"event {number} does not apply: {outcome.rejection.reason}")
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
        return self._packer

    @property
    def open_package_no(self) -> int:
        """The number (1-based) of the package items go into."""
        return len(self._packages)

    @property
    def pending_command(self) -> Command | None:
        """CMD-CANCEL-LINE or CMD-SPLIT-LINE waiting for an item scan, if any."""
        return self._pending

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
        return self._packable.get(line_item_id, ZERO) - self._packed.get(line_item_id, ZERO)

    def packed(self, line_item_id: str) -> Decimal:
        """Units of a line packed so far."""
        return self._packed.get(line_item_id, ZERO)

    def decision(self, line_item_id: str) -> tuple[Decision, SplitTarget | None]:
        """The decision for a line's unpacked rest (KEEP unless the packer chose otherwise)."""
        return self._decisions.get(line_item_id, (Decision.KEEP, None))

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
        if not 1 <= package_no <= len(self._packages):
            raise IndexError(package_no)
        pkg = self._packages[package_no - 1]
        contents = sorted(pkg.contents.items(), key=lambda item: self._position[item[0]])
        return PackageView(
            package_no=package_no,
            contents=tuple(contents),
            box=pkg.box,
            dimensions=pkg.dimensions,
            weight_kg=pkg.weight_kg,
            is_open=package_no == len(self._packages),
        )

    def packages(self) -> list[PackageView]:
        """Every package, in order; the last one is open."""
        return [self.package(n) for n in range(1, len(self._packages) + 1)]

    def totals(self) -> Totals:
        """Units packed of units packable, and the number of packages."""
        return Totals(
            units_packed=sum(self._packed.values(), ZERO),
            units_packable=sum(self._packable.values(), ZERO),
            packages=len(self._packages),
        )

    def snapshot(self) -> SessionSnapshot:
        """An immutable, comparable copy of the session's state (not its history)."""
        return SessionSnapshot(
            order_id=self._order.id,
            shipment_id=self._shipment.shipment_id,
            packer_id=self._packer,
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
        )

    def handle_scan(self, raw: str) -> Outcome:
        """Interpret one scan and apply it: the single entry point for the scanner."""
        result = self.interpret(raw)
        if isinstance(result, Rejected):
            return Outcome(
                rejection=result,
                scan=result,
                message=result.reason,
                line_item_id=result.line_item_id,
            )
        if isinstance(result, CommandScan):
            return self._command(result)
        if self._pending is not None and not isinstance(result, ItemScan):
            # A weight or a box must not silently drop the line command the packer started.
            return self._waiting_for_line(result)
        pending, self._pending = self._pending, None
        if isinstance(result, ItemScan):
            if pending is not None:
                return self._line_command(pending, result)
            event: Event = ItemPacked(result.line_item_id, result.units, self.open_package_no)
            return self._scanned(result, self.apply(event))
        if isinstance(result, BoxScan):
            preset = result.preset
            event = BoxChosen(
                self.open_package_no,
                preset.name,
                preset.length_cm,
                preset.width_cm,
                preset.height_cm,
            )
            return self._scanned(result, self.apply(event))
        if isinstance(result, WeightScan):
            return self._scanned(result, self.apply(WeightSet(self.open_package_no, result.kg)))
        if isinstance(result, DimensionsScan):
            return self._scanned(result, self._measured(result))
        if isinstance(result, BadgeScan):
            return self._scanned(result, self.apply(PackerSet(result.user_id)))
        assert isinstance(result, OrderIdScan)
        return Outcome(
            scan=result,
            action=Action.ORDER_ID,
            message=f"Order {result.order_id} is already loaded",
        )

    def _scanned(self, scan: ScanResult, outcome: Outcome) -> Outcome:
        return replace(outcome, scan=scan)

    def _command(self, scan: CommandScan) -> Outcome:
        command = scan.command
        if command in (Command.CANCEL_LINE, Command.SPLIT_LINE):
            self._pending = command
            self._reviewing = False
            what = "cancel" if command is Command.CANCEL_LINE else "split off"
            return Outcome(
                scan=scan,
                action=Action.AWAIT_LINE,
                message=f"Scan an item of the line to {what} its unpacked rest",
            )
        if command is Command.UNDO and self._pending is not None:
            self._pending = None
            return Outcome(scan=scan, message="Line command dropped")
        if self._pending is not None and command is not Command.ABORT:
            return self._waiting_for_line(scan)
        self._pending = None
        if command is Command.UNDO:
            outcome = self.undo()
        elif command is Command.NEW_PACKAGE:
            outcome = self.new_package()
        elif command is Command.SUBMIT:
            outcome = self.submit()
        else:
            assert command is Command.ABORT
            outcome = Outcome(
                action=Action.ABORT, message=f"Abort order {self._order.id}? Nothing will be sent"
            )
        return self._scanned(scan, outcome)

    def _waiting_for_line(self, scan: ScanResult) -> Outcome:
        """Refuse a scan while a line command waits for its item (the command still waits)."""
        assert self._pending is not None
        what = "cancel" if self._pending is Command.CANCEL_LINE else "split off"
        rejection = Rejected(
            f"{self._pending.value} is waiting: scan an item of the line to {what}, "
            "or CMD-UNDO to drop the command",
            RejectKind.LINE_COMMAND_WAITING,
        )
        return Outcome(rejection=rejection, scan=rejection, message=rejection.reason)

    def _line_command(self, command: Command, scan: ItemScan) -> Outcome:
        decision = Decision.CANCEL if command is Command.CANCEL_LINE else Decision.SPLIT
        outcome = self.set_decision(scan.line_item_id, decision)
        if not outcome.ok:
            self._pending = command  # a refusal changes nothing, the command still waits
        return self._scanned(scan, outcome)

    def _measured(self, scan: DimensionsScan) -> Outcome:
        no = self.open_package_no
        dims = DimensionsSet(no, scan.length_cm, scan.width_cm, scan.height_cm)
        weight = WeightSet(no, scan.weight_kg) if scan.weight_kg is not None else None
        for event in (dims, weight):
            problem = self._check(event) if event is not None else None
            if problem is not None:
                return refused(problem.reason, problem.kind)
        first = self.apply(dims)
        if weight is None:
            return first
        second = self.apply(weight)
        return Outcome(first.events + second.events, message=f"{first.message}; {second.message}")

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
            return refused(f"Unknown box '{name}' (known: {known})", RejectKind.UNKNOWN_BOX)
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
    def weight_required(self) -> bool:
        """A weight per package is needed (not for parcels collected in a store)."""
        return self._rules.require_weight and not self.is_pickup

    @property
    def is_pickup(self) -> bool:
        """The order is click and collect: collected in a store, no carrier."""
        return self._rules.is_pickup(self._order.order_type)

    def check_submit(self) -> list[str]:
        """What stops a submit, in words; an empty list means it can be sent."""
        problems: list[str] = []
        if self._rules.require_packer and not self._packer:
            problems.append("Scan your badge (USER-…) first")
        if not any(units > 0 for units in self._packed.values()):
            problems.append("Nothing is packed")
        for no, pkg in enumerate(self._packages, start=1):
            if not pkg.contents:
                problems.append(f"Package {no} is empty")
                continue
            if self.weight_required and pkg.weight_kg is None:
                problems.append(f"Package {no} has no weight")
            if len(pkg.contents) > MAX_ENTRIES:
                problems.append(f"Package {no} holds more than {MAX_ENTRIES} different lines")
        return problems

    def submit(self) -> Outcome:
        """First call: review (or the reasons it cannot be sent); second call: confirm."""
        problems = self.check_submit()
        if problems:
            self._reviewing = False
            return refused("Cannot submit: " + "; ".join(problems), RejectKind.NOT_READY)
        if not self._reviewing:
            self._reviewing = True
            return Outcome(
                action=Action.REVIEW_SUBMIT,
                message=f"{self.totals().summary}. Scan CMD-SUBMIT again to send",
            )
        self._reviewing = False
        return Outcome(action=Action.CONFIRM_SUBMIT, message=f"Sending order {self._order.id}")

    # --- checkpoints -----------------------------------------------------------------------

    def checkpoint(self) -> Checkpoint:
        """The state now (including the undo history), to roll back to if a change is lost."""
        return Checkpoint(
            session=self,
            packed=dict(self._packed),
            packages=tuple(self._packages),
            package_state=tuple(
                (dict(p.contents), p.box, p.dimensions, p.weight_kg) for p in self._packages
            ),
            decisions=dict(self._decisions),
            packer=self._packer,
            event_count=len(self._events),
            undo=tuple(self._undo),
            pending=self._pending,
            reviewing=self._reviewing,
        )

    def rollback(self, checkpoint: Checkpoint) -> None:
        """Return exactly to `checkpoint` (e.g. when the journal could not record the changes).

        The packages are restored in place: the undo history's inverses refer to them.
        """
        if checkpoint.session is not self:
            raise ValueError("a checkpoint of another session")
        self._packed.clear()
        self._packed.update(checkpoint.packed)
        self._packages[:] = checkpoint.packages
        for pkg, (contents, box, dimensions, weight) in zip(
            self._packages, checkpoint.package_state, strict=True
        ):
            pkg.contents.clear()
            pkg.contents.update(contents)
            pkg.box, pkg.dimensions, pkg.weight_kg = box, dimensions, weight
        self._decisions.clear()
        self._decisions.update(checkpoint.decisions)
        self._packer = checkpoint.packer
        del self._events[checkpoint.event_count :]
        self._undo[:] = checkpoint.undo
        self._pending = checkpoint.pending
        self._reviewing = checkpoint.reviewing

    # --- applying events --------------------------------------------------------------------

    def apply(self, event: Event) -> Outcome:
        """Validate and apply one event; a refusal changes nothing."""
        problem = self._check(event)
        if problem is not None:
            return refused(problem.reason, problem.kind, line_item_id=problem.line_item_id)
        if isinstance(event, Undone):
            message = self._describe_undo()
            self._undo.pop()()
        else:
            self._undo.append(self._do(event))
            message = self._describe(event)
        self._events.append(event)
        self._reviewing = False
        return Outcome(events=(event,), message=message, line_item_id=_line_of(event))

    def _check(self, event: Event) -> Rejected | None:
        rules = self._rules
        if isinstance(event, Undone):
            return None if self._undo else Rejected("Nothing to undo", RejectKind.NOTHING_TO_UNDO)
        if isinstance(event, PackerSet):
            ok = bool(event.user_id.strip())
            return None if ok else Rejected("Badge without a user id", RejectKind.BAD_BADGE)
        if isinstance(event, PackageOpened):
            if event.package_no != len(self._packages) + 1:
                return Rejected(
                    f"Package {event.package_no} cannot be opened now", RejectKind.BAD_EVENT
                )
            if not self._packages[-1].contents:
                return Rejected(
                    f"Package {len(self._packages)} is still empty", RejectKind.EMPTY_PACKAGE
                )
            return None
        if isinstance(event, DecisionSet):
            if event.line_item_id not in self._index.lines:
                return self._not_on_order(event.line_item_id)
            if event.decision is not Decision.KEEP and self.remaining(event.line_item_id) <= 0:
                label = self._index.label(event.line_item_id)
                return Rejected(
                    f"Line {label}: nothing left to {event.decision.value}, all units are packed",
                    RejectKind.NOTHING_LEFT,
                    event.line_item_id,
                )
            return None
        if not 1 <= event.package_no <= len(self._packages):
            return Rejected(f"There is no package {event.package_no}", RejectKind.BAD_EVENT)
        if isinstance(event, ItemPacked):
            return self._check_pack(event)
        if isinstance(event, ItemUnpacked):
            has = self._packages[event.package_no - 1].contents.get(event.line_item_id, ZERO)
            if event.units <= 0 or event.units > has:
                label = self._index.label(event.line_item_id)
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

    def _check_pack(self, event: ItemPacked) -> Rejected | None:
        lid = event.line_item_id
        if lid not in self._index.lines:
            return self._not_on_order(lid)
        label = self._index.label(lid)
        if event.units <= 0:
            return Rejected(
                f"Line {label}: {fmt_qty(event.units)} is not a number of units",
                RejectKind.BAD_COUNT,
                lid,
            )
        left = self.remaining(lid)
        if left <= 0:
            return Rejected(
                f"Line {label}: all {fmt_qty(self._packable[lid])} units already packed",
                RejectKind.LINE_COMPLETE,
                lid,
            )
        if event.units > left:
            return Rejected(
                f"Line {label}: only {fmt_qty(left)} of "
                f"{fmt_qty(self._packable[lid])} units left, not "
                f"{fmt_qty(event.units)}",
                RejectKind.TOO_MANY,
                lid,
            )
        return None

    def _not_on_order(self, line_item_id: str) -> Rejected:
        return Rejected(
            f"Item {line_item_id} is not on order {self._order.id}", RejectKind.NOT_ON_ORDER
        )

    def _do(self, event: Event) -> Inverse:
        """Apply a checked event; return how to reverse exactly it."""
        if isinstance(event, ItemPacked | ItemUnpacked):
            sign = ONE if isinstance(event, ItemPacked) else -ONE
            pkg = self._packages[event.package_no - 1]
            lid, units = event.line_item_id, event.units * sign
            _add(pkg.contents, lid, units)
            _add(self._packed, lid, units)

            def inverse() -> None:
                _add(pkg.contents, lid, -units)
                _add(self._packed, lid, -units)

            return inverse
        if isinstance(event, PackageOpened):
            self._packages.append(_Package())

            def close() -> None:
                self._packages.pop()

            return close
        if isinstance(event, PackerSet):
            before = self._packer
            self._packer = event.user_id.strip()
            return lambda: setattr(self, "_packer", before)
        if isinstance(event, DecisionSet):
            lid = event.line_item_id
            previous = self._decisions.get(lid)
            if event.decision is Decision.KEEP:
                self._decisions.pop(lid, None)
            else:
                target = None
                if event.decision is Decision.SPLIT:
                    target = SplitTarget(event.warehouse_code, event.service_point_id)
                self._decisions[lid] = (event.decision, target)
            return lambda: _restore(self._decisions, lid, previous)
        assert not isinstance(event, Undone)
        pkg = self._packages[event.package_no - 1]
        saved = (pkg.box, pkg.dimensions, pkg.weight_kg)
        if isinstance(event, WeightSet):
            pkg.weight_kg = event.weight_kg
        elif isinstance(event, BoxChosen):
            pkg.box = event.box
            pkg.dimensions = (event.length_cm, event.width_cm, event.height_cm)
        else:
            pkg.box = None
            pkg.dimensions = (event.length_cm, event.width_cm, event.height_cm)

        def restore() -> None:
            pkg.box, pkg.dimensions, pkg.weight_kg = saved

        return restore

    def _last_undoable(self) -> Event | None:
        """The change the next undo reverses: the latest event not yet undone."""
        skip = 0
        for event in reversed(self._events):
            if isinstance(event, Undone):
                skip += 1
            elif skip:
                skip -= 1
            else:
                return event
        return None

    def _code(self, line_item_id: str) -> str:
        line = self._index.lines.get(line_item_id)
        return (line.code if line is not None else None) or line_item_id

    def _describe_undo(self) -> str:
        """What the next undo reverses, in words ("Undone: 1 × NH-1020 from package 2")."""
        event = self._last_undoable()
        if event is None:
            return "Undone"
        if isinstance(event, ItemPacked):
            code = self._code(event.line_item_id)
            return f"Undone: {fmt_qty(event.units)} × {code} from package {event.package_no}"
        if isinstance(event, ItemUnpacked):
            code = self._code(event.line_item_id)
            return f"Undone: {fmt_qty(event.units)} × {code} put back in package {event.package_no}"
        return f"Undone: {self._describe(event)}"

    def _describe(self, event: Event) -> str:
        if isinstance(event, ItemPacked | ItemUnpacked):
            lid = event.line_item_id
            verb = "Packed" if isinstance(event, ItemPacked) else "Took out"
            return (
                f"{verb} {fmt_qty(event.units)} × {self._index.label(lid)} "
                f"(package {event.package_no}): {fmt_qty(self.packed(lid))} / "
                f"{fmt_qty(self._packable[lid])}"
            )
        if isinstance(event, PackageOpened):
            return f"Package {event.package_no} opened"
        if isinstance(event, PackerSet):
            return f"Packer {event.user_id}"
        if isinstance(event, DecisionSet):
            label = self._index.label(event.line_item_id)
            rest = fmt_qty(self.remaining(event.line_item_id))
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
                f"Package {event.package_no}: "
                f"{event.length_cm}×{event.width_cm}×{event.height_cm} cm"
            )
        return "Undone"  # pragma: no cover - Undone is described by apply()


def _add(counts: dict[str, Decimal], key: str, delta: Decimal) -> None:
    value = counts.get(key, ZERO) + delta
    if value == 0:
        counts.pop(key, None)
    else:
        counts[key] = value


def _restore(
    decisions: dict[str, tuple[Decision, SplitTarget | None]],
    key: str,
    previous: tuple[Decision, SplitTarget | None] | None,
) -> None:
    if previous is None:
        decisions.pop(key, None)
    else:
        decisions[key] = previous


def _line_of(event: Event) -> str | None:
    return getattr(event, "line_item_id", None)
