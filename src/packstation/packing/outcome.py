"""What the session answers to a scan or a keyboard action."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from packstation.packing.events import Event
from packstation.packing.scan import Rejected, RejectKind, ScanResult


class Action(StrEnum):
    """Something the UI must do beyond redrawing."""

    REVIEW_SUBMIT = "review_submit"
    """First CMD-SUBMIT: show the review; a second CMD-SUBMIT confirms."""
    CONFIRM_SUBMIT = "confirm_submit"
    """Second CMD-SUBMIT: plan the requests, write the outbox, send."""
    ABORT = "abort"
    """CMD-ABORT: abandon the order (the UI confirms and discards the session)."""
    AWAIT_LINE = "await_line"
    """CMD-CANCEL-LINE / CMD-SPLIT-LINE: the next item scan names the line."""
    AWAIT_ITEM = "await_item"
    """A keyed count: the next item scan packs that many units."""
    TOGGLE_OPEN_LINES = "toggle_open_lines"
    """CMD-OPEN-LINES: show only the lines still open, or all lines again."""
    ORDER_ID = "order_id"
    """The loaded order's id was scanned again: nothing to do."""


@dataclass(frozen=True)
class Outcome:
    """Applied events (journal them in order) or a rejection, with a message to show."""

    events: tuple[Event, ...] = ()
    rejection: Rejected | None = None
    scan: ScanResult | None = None
    action: Action | None = None
    message: str = ""
    line_item_id: str | None = None
    """The line to flash on screen, if any."""

    @property
    def ok(self) -> bool:
        """True unless the scan or action was refused."""
        return self.rejection is None


def refused(
    reason: str,
    kind: RejectKind,
    *,
    scan: ScanResult | None = None,
    line_item_id: str | None = None,
) -> Outcome:
    """An outcome that changed nothing."""
    return Outcome(
        rejection=Rejected(reason, kind, line_item_id),
        scan=scan,
        message=reason,
        line_item_id=line_item_id,
    )
