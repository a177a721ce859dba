"""A submit being sent, as the screens follow it: progress, results, outcome, listeners."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from packstation.omnium.models import EntityError, OmniumOrder
from packstation.omnium.workflow import WorkflowExecutionResult
from packstation.station.progress import SubmitProgress
from packstation.station.submit_outcome import SubmitOutcome
from packstation.tui.waiting import Waiting


@dataclass
class SubmitTracker:
    """One submit being sent: its progress messages, results and outcome, for the screens."""

    submit_id: int
    order_id: str
    request_count: int
    progress: list[str] = field(default_factory=list)
    last: SubmitProgress | None = None
    outcome: SubmitOutcome | None = None
    error: str | None = None
    arrived: dict[int, WorkflowExecutionResult] = field(default_factory=dict)
    labels: list[str] = field(default_factory=list)
    """What each request does, in send order (e.g. "split 1 line to new shipment 3")."""
    package_shipments: list[str] = field(default_factory=list)
    """The shipments this submit put packages in: their labels print after a success."""
    will_run: str = ""
    """The steps the target status runs in Omnium ("In Omnium: PackedAndReady will run: …"),
    shown while sending: a one-scan submit never showed the review that says it."""
    listeners: list[Callable[[SubmitTracker], None]] = field(default_factory=list)
    following: bool = False
    """True while the station re-reads the order for steps Omnium runs after its answer."""
    booking: str = ""
    """What following the order found, or what it waits for ("waiting for the carrier's…")."""
    booking_errors: list[EntityError] = field(default_factory=list)
    """Errors steps run after the answer recorded on the order: shown like an abort."""
    followed_order: OmniumOrder | None = None
    """The order as last re-read while following (newer than any answer's)."""
    wait_recorded: bool = False
    """True once the store holds this submit's booking wait (ended with its labels)."""
    carrier_labels: str = ""
    """What happened to the carrier's labels ("Carrier label printed (2 packages)" or why not)."""
    held: str = ""
    """What was not printed because the parcel must be set aside ("Not printed: …"), or ""."""
    printing: Waiting = field(default_factory=Waiting)
    """The package labels being printed after the answer (Escape stops waiting for them)."""
    carrier_labels_printed: bool = False
    """Every carrier label printed (the message is in the packer's words: not read for this)."""

    @property
    def finished(self) -> bool:
        """True once the sender gave its final answer (or failed to run)."""
        return self.outcome is not None or self.error is not None

    @property
    def results(self) -> list[WorkflowExecutionResult | None]:
        """Each request's workflow result so far (None where reconciliation confirmed it)."""
        if self.outcome is not None:
            return list(self.outcome.results)
        return [self.arrived[i] for i in sorted(self.arrived)]

    @property
    def latest_order(self) -> OmniumOrder | None:
        """The order as last re-read, else as the last workflow result that carried one."""
        if self.followed_order is not None:
            return self.followed_order
        return next((r.order for r in reversed(self.results) if r is not None and r.order), None)

    @property
    def answered_order(self) -> OmniumOrder | None:
        """The order as the last workflow answer that carried one left it."""
        return next((r.order for r in reversed(self.results) if r is not None and r.order), None)

    @property
    def failed_later(self) -> bool:
        """True when a step Omnium ran after its answer recorded an error on the order."""
        return bool(self.booking_errors)

    @property
    def aborted(self) -> bool:
        """True when a workflow aborted."""
        return bool(self.outcome is not None and self.outcome.aborted)

    @property
    def failed(self) -> bool:
        """True when the submit finally failed (a supervisor case)."""
        return self.error is not None or (
            self.outcome is not None and self.outcome.state == "failed"
        )

    def changed(self) -> None:
        """Tell the screens watching this submit."""
        for listener in list(self.listeners):
            listener(self)
