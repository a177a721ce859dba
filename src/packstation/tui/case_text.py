"""The supervisor desk's texts: a case's details, and what an action on it came to.

Everything from outside (order ids, reasons, notes, server errors) goes into `Text` as text,
never as markup.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rich.text import Text

from packstation.i18n import N_, _
from packstation.omnium.workflow import WorkflowExecutionResult
from packstation.station.supervisor_cases import SupervisorCase
from packstation.tui.flow import tracking_numbers
from packstation.tui.screens.workflow import timeline

ACTION_NAMES = {
    "rerun": N_("Last rerun by supervisor {supervisor}"),
    "set_status": N_("Last status set by supervisor {supervisor}"),
}
"""The supervisor's last action on a case, as its details say it (translated when shown)."""

ERROR_PREFIXES = (
    ("workflow aborted at ", N_("workflow aborted at {rest}")),
    ("submit failed: ", N_("submit failed: {rest}")),
)
"""The station's own words at the start of a case's error (the rest is Omnium's or the
record's, shown as it is). The error is recorded in English (the warehouse database shares it
between stations); the desk says these words in its language."""


def when(moment: Any) -> str:
    """A case's time, to the minute, in UTC (the same on every station)."""
    if moment is None:
        return "-"
    if hasattr(moment, "astimezone"):
        return str(moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"))
    return str(moment)[:16]


def error_text(error: str) -> str:
    """A case's one-line error with the station's own words in the current language."""
    if error == "workflow aborted":
        return _("workflow aborted")
    for prefix, message in ERROR_PREFIXES:
        if error.startswith(prefix):
            return _(message).format(rest=error[len(prefix) :])
    return error


def case_steps(case: SupervisorCase) -> Text:
    """A case's details: order, shipment, packer, when, every step with status and reason."""
    text = Text()
    heading = _("Order {order_id}  shipment {shipment_id}").format(
        order_id=case.order_id, shipment_id=case.shipment_id or "-"
    )
    text.append(heading + "\n", style="bold")
    text.append(
        _("Source: {source}   packed by {packer}").format(
            source=case.sources, packer=case.packer or "-"
        )
    )
    text.append("   " + _("at {time}").format(time=when(case.packed_at)) + "\n")
    if case.supervisor:
        action = ACTION_NAMES.get(
            case.supervisor_action or "", N_("Last action by supervisor {supervisor}")
        )
        text.append(_(action).format(supervisor=case.supervisor))
        text.append("   " + _("at {time}").format(time=when(case.supervised_at)) + "\n")
    if case.error:
        said = _("Error: {error}").format(error=error_text(case.error))
        text.append(said + "\n", style="bold red")
    if case.review is not None:
        station = case.extra.get("acted_on_station")
        review = case.review
        settled = (
            _("Settled by {supervisor} on station {station} at {time}: {note}")
            if station
            else _("Settled by {supervisor} at {time}: {note}")
        ).format(
            supervisor=review.supervisor,
            station=station,
            time=when(review.reviewed_at),
            note=review.note,
        )
        text.append(settled + "\n", style="bold")
    for step in case.steps or []:
        status = str(step.status)
        style = {"success": "green", "warning": "yellow", "error": "bold red"}.get(
            status.lower(), ""
        )
        text.append(f"  {step.name:<28} {status:<8} {step.reason or ''}\n", style=style)
    if case.omnium_errors:
        text.append(_("Omnium holds these errors on the order:") + "\n", style="bold")
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
    text.append(
        _("{action} by {supervisor} at {time}: ").format(
            action=what, supervisor=supervisor, time=when(at)
        ),
        style="bold",
    )
    if result.is_aborted:
        text.append(_("ABORTED again: the case stays open") + "\n", style="bold red")
    else:
        text.append(_("done, the case is closed") + "\n", style="bold green")
    if any(not step.is_invisible for step in result.order_action_execution_results):
        text.append_text(timeline([result], 1))
    else:
        text.append(_("No workflow ran.") + "\n")
    numbers = [] if result.is_aborted else tracking_numbers(result.order, shipment_id)
    if numbers:
        text.append(_("New tracking numbers") + "\n", style="bold")
        for number in numbers:
            text.append(f"  {number}\n")
    return text


def short_outcome(
    what: str, order_id: str, shipment_id: str | None, result: WorkflowExecutionResult
) -> str:
    """The banner's one line about an action's workflow."""
    if result.is_aborted:
        failing = result.failing_step
        if failing is None:
            return _("{action} (order {order_id}): aborted again. The case stays open.").format(
                action=what, order_id=order_id
            )
        return _(
            "{action} (order {order_id}): aborted again at {step}: {reason}. The case stays open."
        ).format(
            action=what, order_id=order_id, step=failing.action_type, reason=failing.error_reason
        )
    order = result.order
    shipment = order.shipment(shipment_id) if order is not None and shipment_id else None
    number = shipment.shipment_tracking_number if shipment is not None else None
    done = _("{action} (order {order_id}): done, case closed.").format(
        action=what, order_id=order_id
    )
    if number:
        done += " " + _("Tracking number {number}.").format(number=number)
    return done
