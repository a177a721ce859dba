"""What a scan does to a packing session: the scanner's grammar on top of the session's changes.

Most scans are one change (an item packed, a box, a weight, a badge). A few wait for the next
scan: a keyed count for the item it counts, CMD-CANCEL-LINE / CMD-SPLIT-LINE for an item of the
line, and a split line for the `TO-` scan that names where it goes. That waiting state lives
here; the session's checkpoints take it with them (`ScanMark`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

from packstation.i18n import _
from packstation.packing.badges import sign_in_refusal
from packstation.packing.commands import Command
from packstation.packing.decisions import Decision, SplitTarget
from packstation.packing.destinations import describe_destinations, find_destination
from packstation.packing.event_checks import check_event
from packstation.packing.events import (
    BoxChosen,
    DimensionsSet,
    Event,
    ItemPacked,
    PackerSet,
    WeightSet,
)
from packstation.packing.outcome import Action, Outcome, refused
from packstation.packing.scan import (
    BadgeScan,
    BoxScan,
    CommandScan,
    CountScan,
    DestinationScan,
    DimensionsScan,
    ItemScan,
    OrderIdScan,
    Rejected,
    RejectKind,
    ScanResult,
    WeightScan,
)
from packstation.packing.session_reads import SessionReads


class ScanSession(SessionReads, Protocol):
    """What a scan may do to `PackingSession`: its reads and its changes."""

    @property
    def destinations(self) -> tuple[SplitTarget, ...]: ...

    def decision(self, line_item_id: str) -> tuple[Decision, SplitTarget | None]: ...

    def interpret(self, raw: str) -> ScanResult: ...

    def apply(self, event: Event) -> Outcome: ...

    def set_decision(
        self, line_item_id: str, decision: Decision, target: SplitTarget | None = None
    ) -> Outcome: ...

    def undo(self) -> Outcome: ...

    def new_package(self) -> Outcome: ...

    def submit(self) -> Outcome: ...

    def review(self) -> Outcome: ...

    def leave_review(self) -> None: ...


@dataclass(frozen=True)
class ScanMark:
    """What waits for the next scan at one moment (part of a session's checkpoint)."""

    pending: Command | None
    pending_count: int | None
    last_split: str | None


class ScanHandler:
    """Turns each scan into the session's change, keeping what waits for the next scan."""

    def __init__(self, session: ScanSession) -> None:
        self._session = session
        self.pending: Command | None = None
        """CMD-CANCEL-LINE or CMD-SPLIT-LINE waiting for an item scan."""
        self.pending_count: int | None = None
        """A keyed count waiting for the item it counts (not journalled: one scan's worth)."""
        self._last_split: str | None = None
        """The line a CMD-SPLIT-LINE scan split last: a `TO-` scan names where it goes."""

    def mark(self) -> ScanMark:
        """What waits now, to return to with `restore`."""
        return ScanMark(self.pending, self.pending_count, self._last_split)

    def restore(self, mark: ScanMark) -> None:
        """Return to what waited at `mark`."""
        self.pending, self.pending_count, self._last_split = (
            mark.pending,
            mark.pending_count,
            mark.last_split,
        )

    def handle(self, raw: str) -> Outcome:
        """Interpret one scan and apply it."""
        session = self._session
        result = session.interpret(raw)
        if isinstance(result, Rejected):
            return Outcome(
                rejection=result,
                scan=result,
                message=result.reason,
                line_item_id=result.line_item_id,
            )
        if isinstance(result, CommandScan):
            return self._command(result)
        if self.pending is not None and not isinstance(result, ItemScan):
            # A weight or a box must not silently drop the line command the packer started.
            return self._waiting_for_line()
        if self.pending_count is not None and not isinstance(result, ItemScan):
            return self._waiting_for_item(result)
        if isinstance(result, CountScan):
            self.pending_count = result.units
            session.leave_review()
            return Outcome(
                scan=result,
                action=Action.AWAIT_ITEM,
                message=_("{count} × the next item: scan it (CMD-UNDO drops the count)").format(
                    count=result.units
                ),
            )
        pending, self.pending = self.pending, None
        if isinstance(result, ItemScan):
            if pending is not None:
                return self._line_command(pending, result)
            count, self.pending_count = self.pending_count, None
            units = result.units * count if count is not None else result.units
            event: Event = ItemPacked(result.line_item_id, units, session.open_package_no)
            outcome = _scanned(result, session.apply(event))
            if count is not None and not outcome.ok:
                message = _("{message} (count {count} dropped)").format(
                    message=outcome.message, count=count
                )
                outcome = replace(outcome, message=message)
            return outcome
        if isinstance(result, DestinationScan):
            return _scanned(result, self._destination(result.code))
        if isinstance(result, BoxScan):
            preset = result.preset
            event = BoxChosen(
                session.open_package_no,
                preset.name,
                preset.length_cm,
                preset.width_cm,
                preset.height_cm,
            )
            return _scanned(result, session.apply(event))
        if isinstance(result, WeightScan):
            return _scanned(result, session.apply(WeightSet(session.open_package_no, result.kg)))
        if isinstance(result, DimensionsScan):
            return _scanned(result, self._measured(result))
        if isinstance(result, BadgeScan):
            rules = session.rules
            refusal = sign_in_refusal(result.user_id, rules.packers, rules.supervisors)
            if refusal is not None:
                return refused(refusal, RejectKind.NOT_SIGNED_IN, scan=result)
            return _scanned(result, session.apply(PackerSet(result.user_id)))
        assert isinstance(result, OrderIdScan)
        return Outcome(
            scan=result,
            action=Action.ORDER_ID,
            message=_("Order {order_id} is already loaded").format(order_id=result.order_id),
        )

    def _command(self, scan: CommandScan) -> Outcome:
        session = self._session
        order_id = session.order.id
        command = scan.command
        if command in (Command.CANCEL_LINE, Command.SPLIT_LINE):
            self.pending = command
            session.leave_review()
            return Outcome(
                scan=scan,
                action=Action.AWAIT_LINE,
                message=_("Scan an item of the line to cancel its unpacked rest")
                if command is Command.CANCEL_LINE
                else _("Scan an item of the line to split off its unpacked rest"),
            )
        if command is Command.UNDO and self.pending is not None:
            self.pending = None
            return Outcome(scan=scan, message=_("Line command dropped"))
        if command is Command.UNDO and self.pending_count is not None:
            count, self.pending_count = self.pending_count, None
            return Outcome(scan=scan, message=_("Count {count} dropped").format(count=count))
        if self.pending is not None and command is not Command.ABORT:
            return self._waiting_for_line()
        if self.pending_count is not None and command is not Command.ABORT:
            return self._waiting_for_item(scan)
        self.pending = None
        self.pending_count = None
        if command is Command.UNDO:
            outcome = session.undo()
        elif command is Command.NEW_PACKAGE:
            outcome = session.new_package()
        elif command is Command.SUBMIT:
            outcome = session.submit()
        elif command is Command.REVIEW:
            outcome = session.review()
        elif command is Command.OPEN_LINES:
            outcome = Outcome(
                action=Action.TOGGLE_OPEN_LINES, message=_("Open lines only: toggled")
            )
        elif command is Command.SIGN_OUT:
            outcome = refused(
                _("Sign out between orders: send or abort order {order_id} first").format(
                    order_id=order_id
                ),
                RejectKind.NOT_READY,
            )
        elif command is Command.ABORT:
            outcome = Outcome(
                action=Action.ABORT,
                message=_("Abort order {order_id}? Nothing will be sent").format(order_id=order_id),
            )
        else:
            outcome = refused(
                _(
                    "{command} does nothing while order {order_id} is open "
                    "(it works after the order is sent, or at start)"
                ).format(command=command.value, order_id=order_id),
                RejectKind.NOT_READY,
            )
        return _scanned(scan, outcome)

    def _waiting_for_line(self) -> Outcome:
        """Refuse a scan while a line command waits for its item (the command still waits)."""
        assert self.pending is not None
        text = (
            _(
                "{command} is waiting: scan an item of the line to cancel, "
                "or CMD-UNDO to drop the command"
            )
            if self.pending is Command.CANCEL_LINE
            else _(
                "{command} is waiting: scan an item of the line to split off, "
                "or CMD-UNDO to drop the command"
            )
        )
        rejection = Rejected(
            text.format(command=self.pending.value), RejectKind.LINE_COMMAND_WAITING
        )
        return Outcome(rejection=rejection, scan=rejection, message=rejection.reason)

    def _waiting_for_item(self, scan: ScanResult) -> Outcome:
        """Refuse a scan while a keyed count waits for its item (the count still waits)."""
        rejection = Rejected(
            _(
                "Count {count} is waiting: scan the item to pack {count} of, "
                "or CMD-UNDO to drop the count"
            ).format(count=self.pending_count),
            RejectKind.COUNT_WAITING,
        )
        return Outcome(rejection=rejection, scan=scan, message=rejection.reason)

    def _line_command(self, command: Command, scan: ItemScan) -> Outcome:
        session = self._session
        decision = Decision.CANCEL if command is Command.CANCEL_LINE else Decision.SPLIT
        outcome = session.set_decision(scan.line_item_id, decision)
        if not outcome.ok:
            self.pending = command  # a refusal changes nothing, the command still waits
        elif decision is Decision.SPLIT:
            self._last_split = scan.line_item_id
            where = describe_destinations(session.destinations)
            if len(session.destinations) > 1:
                outcome = replace(
                    outcome,
                    message=_(
                        "{message}. Elsewhere? Scan TO-<destination> ({destinations})"
                    ).format(message=outcome.message, destinations=where),
                )
        return _scanned(scan, outcome)

    def _destination(self, code: str) -> Outcome:
        """`TO-<code>`: the line split last goes to this listed warehouse or pickup point."""
        session = self._session
        lid = self._last_split
        if lid is None or session.decision(lid)[0] is not Decision.SPLIT:
            return refused(
                _(
                    "TO-{code}: no line is being split. Scan CMD-SPLIT-LINE, then the item, "
                    "then its destination"
                ).format(code=code),
                RejectKind.BAD_DESTINATION,
            )
        target = find_destination(code, session.destinations)
        if target is None:
            return refused(
                _(
                    "TO-{code} is not a destination of this station for line {line}; "
                    "known: {destinations}"
                ).format(
                    code=code,
                    line=session.index.label(lid),
                    destinations=describe_destinations(session.destinations),
                ),
                RejectKind.BAD_DESTINATION,
                line_item_id=lid,
            )
        return session.set_decision(lid, Decision.SPLIT, target)

    def _measured(self, scan: DimensionsScan) -> Outcome:
        session = self._session
        no = session.open_package_no
        dims = DimensionsSet(no, scan.length_cm, scan.width_cm, scan.height_cm)
        weight = WeightSet(no, scan.weight_kg) if scan.weight_kg is not None else None
        for event in (dims, weight):
            problem = check_event(session, event) if event is not None else None
            if problem is not None:
                return refused(problem.reason, problem.kind)
        first = session.apply(dims)
        if weight is None:
            return first
        second = session.apply(weight)
        return Outcome(first.events + second.events, message=f"{first.message}; {second.message}")


def _scanned(scan: ScanResult, outcome: Outcome) -> Outcome:
    return replace(outcome, scan=scan)
