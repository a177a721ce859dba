"""Alerts for submits that ended badly while the packer was on another order.

A background submit that aborted or failed means a parcel on the bench must not go out: the
alert names the order, says what to do with the parcel, and stays until acknowledged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from packstation.i18n import _
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
        # Omnium's step name and error reason, as Omnium sends them.
        if step.error_reason:
            why = _("{step} failed ({reason})").format(
                step=step.action_type, reason=step.error_reason
            )
        else:
            why = _("{step} failed").format(step=step.action_type)
    elif aborted:
        why = _("the workflow aborted")
    elif error:
        why = _("the submit failed ({reason})").format(reason=error)
    else:
        why = _("the submit failed")
    return Alert(
        order_id,
        _("Set {order_id} aside: {why}. Do not ship it; it is a supervisor case.").format(
            order_id=order_id, why=why
        ),
    )
