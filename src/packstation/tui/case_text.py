"""The supervisor desk's texts: a case's details, and what an action on it came to.

Everything from outside (order ids, reasons, notes, server errors) goes into `Text` as text,
never as markup.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rich.text import Text

from packstation.omnium.workflow import WorkflowExecutionResult
from packstation.station.supervisor_cases import SupervisorCase
from packstation.tui.flow import tracking_numbers
from packstation.tui.screens.workflow import timeline

ACTION_NAMES = {"rerun": "rerun", "set_status": "status set"}


def when(moment: Any) -> str:
    """A case's time, to the minute, in UTC (the same on every station)."""
    if moment is None:
        return "-"
    if hasattr(moment, "astimezone"):
        return str(moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"))
    return str(moment)[:16]


def case_steps(case: SupervisorCase) -> Text:
    """A case's details: order, shipment, packer, when, every step with status and reason."""
    text = Text()
    text.append(f"Order {case.order_id}  shipment {case.shipment_id or '-'}\n", style="bold")
    text.append(f"Source: {case.sources}   packed by {case.packer or '-'}")
    text.append(f"   at {when(case.packed_at)}\n")
    if case.supervisor:
        action = ACTION_NAMES.get(case.supervisor_action or "", "action")
        text.append(f"Last {action} by supervisor {case.supervisor}")
        text.append(f"   at {when(case.supervised_at)}\n")
    if case.error:
        text.append(f"Error: {case.error}\n", style="bold red")
    if case.review is not None:
        station = case.extra.get("acted_on_station")
        where = f" on station {station}" if station else ""
        text.append(
            f"Settled by {case.review.supervisor}{where} at {when(case.review.reviewed_at)}:"
            f" {case.review.note}\n",
            style="bold",
        )
    for step in case.steps or []:
        status = str(step.status)
        style = {"success": "green", "warning": "yellow", "error": "bold red"}.get(
            status.lower(), ""
        )
        text.append(f"  {step.name:<28} {status:<8} {step.reason or ''}\n", style=style)
    if case.omnium_errors:
        text.append("Omnium holds these errors on the order:\n", style="bold")
        for error in case.omnium_errors:
            text.append(f"  {error.name:<28} {error.status:<8} {error.reason or ''}\n")
    return text


def action_outcome(
    what: str,
    result: WorkflowExecutionResult,
    supervisor: str,
    at: datetime,
    shipment_id: str | None,
) -> Text:
    """What an action's workflow came to, under its case: closed or still open, the steps,
    and (when it did not abort) the shipment's tracking numbers."""
    text = Text()
    text.append(f"{what} by {supervisor} at {when(at)}: ", style="bold")
    if result.is_aborted:
        text.append("ABORTED again: the case stays open\n", style="bold red")
    else:
        text.append("done, the case is closed\n", style="bold green")
    if any(not step.is_invisible for step in result.order_action_execution_results):
        text.append_text(timeline([result], 1))
    else:
        text.append("No workflow ran.\n")
    numbers = [] if result.is_aborted else tracking_numbers(result.order, shipment_id)
    if numbers:
        text.append("New tracking numbers\n", style="bold")
        for number in numbers:
            text.append(f"  {number}\n")
    return text


def short_outcome(
    what: str, order_id: str, shipment_id: str | None, result: WorkflowExecutionResult
) -> str:
    """The banner's one line about an action's workflow."""
    if result.is_aborted:
        failing = result.failing_step
        where = f" at {failing.action_type}: {failing.error_reason}" if failing else ""
        return f"{what} (order {order_id}): aborted again{where}. The case stays open."
    order = result.order
    shipment = order.shipment(shipment_id) if order is not None and shipment_id else None
    number = shipment.shipment_tracking_number if shipment is not None else None
    tracking = f" Tracking number {number}." if number else ""
    return f"{what} (order {order_id}): done, case closed.{tracking}"
