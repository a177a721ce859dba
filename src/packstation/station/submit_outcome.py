"""How a submit ended, and the words (and outbox attempt outcomes) for its requests' ends."""

from __future__ import annotations

from dataclasses import dataclass, field

from packstation.i18n import _
from packstation.omnium.errors import (
    BadRequest,
    Forbidden,
    OmniumError,
    OmniumUnavailable,
    OrderNotFound,
    Unauthorized,
)
from packstation.omnium.workflow import WorkflowExecutionResult
from packstation.station import outbox as ob


@dataclass(frozen=True)
class SubmitOutcome:
    """How a submit ended."""

    submit_id: int
    order_id: str
    state: str
    """'done' or 'failed'."""
    results: list[WorkflowExecutionResult | None] = field(default_factory=list)
    """One per request sent in this run; None where the request was confirmed by re-reading."""
    reconciled: bool = False
    aborted: bool = False
    """True if a workflow run of this submit aborted (the case goes to the supervisor)."""
    error: str | None = None


def send_outcome(err: OmniumError) -> str:
    """The outbox attempt outcome a failed send records (unknown, not sent, refused)."""
    if err.outcome_unknown:
        return ob.OUTCOME_UNKNOWN
    if isinstance(err, OmniumUnavailable):
        return ob.OUTCOME_NOT_SENT
    return ob.OUTCOME_REFUSED


def refusal_text(err: OmniumError, order_id: str) -> str:
    """Why a submit stopped on a refusal, in words for the packer and the supervisor."""
    if isinstance(err, Forbidden):
        return _(
            "Omnium refused: this station's API user may not change order {order_id} ({error})"
        ).format(order_id=order_id, error=err)
    if isinstance(err, OrderNotFound):
        return _("Omnium does not know order {order_id} or one of its lines ({error})").format(
            order_id=order_id, error=err
        )
    if isinstance(err, Unauthorized):
        return _(
            "Omnium rejected the station's credentials even after renewing the token ({error})"
        ).format(error=err)
    if isinstance(err, BadRequest):
        return _("Omnium refused the request as invalid ({error})").format(error=err)
    return _("Omnium refused the request ({error})").format(error=err)


def result_text(result: WorkflowExecutionResult) -> str:
    """How one request's workflow run ended, in words."""
    failing = result.failing_step
    if result.is_aborted:
        if failing is not None and failing.error_reason:
            return _("workflow aborted at {step}: {reason}").format(
                step=failing.action_type, reason=failing.error_reason
            )
        if failing is not None:
            return _("workflow aborted at {step}").format(step=failing.action_type)
        return _("workflow aborted")
    return _("workflow ran")


def done_text(results: list[WorkflowExecutionResult | None]) -> str:
    """How a finished submit ended, in words (an aborted run goes to the supervisor)."""
    aborted = [r for r in results if r is not None and r.is_aborted]
    if aborted:
        return _("done, but {result} (sent to the supervisor)").format(
            result=result_text(aborted[0])
        )
    return _("done")
