"""What the sender tells the screen while a submit is under way: typed, with a message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from packstation.i18n import N_
from packstation.omnium.workflow import WorkflowExecutionResult


class SubmitPhase(StrEnum):
    """Where a submit stands."""

    SENDING = "sending"
    WAITING = "waiting"
    RECONCILING = "reconciling"
    DONE = "done"
    FAILED = "failed"


class WaitReason(StrEnum):
    """Why the sender waits before its next try."""

    LOCKED = "locked"
    RATE_LIMITED = "rate_limited"
    QUEUED = "queued"
    UNREACHABLE = "unreachable"
    SERVER_ERROR = "server_error"
    NO_ANSWER = "no_answer"
    OTHER_STATION = "other_station"
    TIMED_OUT = "timed_out"
    LOCKED_AFTER_TIMEOUT = "locked_after_timeout"


WAIT_TEXT: dict[WaitReason, str] = {
    WaitReason.LOCKED: N_("order locked by another operation"),
    WaitReason.RATE_LIMITED: N_("Omnium asks us to slow down (too many requests)"),
    WaitReason.QUEUED: N_("order is queued or read-only in Omnium"),
    WaitReason.UNREACHABLE: N_("Omnium is unreachable"),
    WaitReason.SERVER_ERROR: N_("Omnium answered with a server error"),
    WaitReason.NO_ANSWER: N_(
        "the answer was lost, letting Omnium finish before checking the order"
    ),
    WaitReason.OTHER_STATION: N_("another packstation on this data directory is sending"),
    WaitReason.TIMED_OUT: N_("no answer in time (timeout), letting Omnium finish before checking"),
    WaitReason.LOCKED_AFTER_TIMEOUT: N_(
        "our last request timed out and Omnium still holds the order (probably still running it)"
    ),
}
"""Why the sender waits, in words (English: show with `_(WAIT_TEXT[reason])`)."""


@dataclass(frozen=True)
class SubmitProgress:
    """One progress report of a submit; `message` is what the screen shows."""

    submit_id: int
    order_id: str
    phase: SubmitPhase
    request_index: int
    """1-based index of the request concerned (0 before the first)."""
    request_count: int
    message: str
    reason: WaitReason | None = None
    next_try_at: datetime | None = None
    """Local, timezone-aware time of the next try while WAITING."""
    attempt: int = 0
    """How many times this request was sent so far."""
    result: WorkflowExecutionResult | None = None
    """The request's workflow result when it just completed (None if confirmed by re-read)."""

    def __str__(self) -> str:
        return self.message

    @property
    def finished(self) -> bool:
        """True for the last report of a submit (done or failed)."""
        return self.phase in (SubmitPhase.DONE, SubmitPhase.FAILED)
