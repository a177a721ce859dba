"""Alerts for submits that ended badly while the packer was on another order.

A background submit that aborted or failed means a parcel on the bench must not go out: the
alert names the order, says what to do with the parcel, and stays until acknowledged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from packstation.omnium.workflow import WorkflowExecutionResult


@dataclass(frozen=True)
class Alert:
    """One unacknowledged alert: which order, and the sentence for the packer."""

    order_id: str
    message: str


def submit_alert(
    order_id: str,
    results: Sequence[WorkflowExecutionResult | None],
    *,
    aborted: bool,
    error: str | None,
) -> Alert:
    """The alert for a submit that aborted (naming the failing step) or failed."""
    step = None
    for result in results:
        if result is not None and result.is_aborted:
            step = result.failing_step
            break
    if aborted and step is not None:
        why = f"{step.action_type} failed"
        if step.error_reason:
            why += f" ({step.error_reason})"
    elif aborted:
        why = "the workflow aborted"
    else:
        why = f"the submit failed ({error})" if error else "the submit failed"
    return Alert(
        order_id,
        f"Set {order_id} aside: {why}. Do not ship it; it is a supervisor case.",
    )
