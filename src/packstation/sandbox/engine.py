"""The sandbox's workflow engine: run a status's steps on an order and report each outcome.

The caller (the server) has already applied the line updates and the new status, holds the
order's lock and persists `result.order` afterwards, also when the workflow aborted (house
rule 9: effects of the steps before the failing one stay).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from packstation.omnium.models import EntityError, OmniumOrder, Shipment
from packstation.omnium.workflow import ActionResult, WorkflowExecutionResult
from packstation.packing.workflow_preview import StepScope, scope_of, step_runs
from packstation.sandbox.failures import injected_failure
from packstation.sandbox.memory_state import OverlayState
from packstation.sandbox.state import SandboxState
from packstation.sandbox.step_context import ERROR, SUCCESS, StepContext, StepOutcome
from packstation.sandbox.steps import STEPS
from packstation.sandbox.workflow_config import (
    StepConfig,
    WorkflowConfig,
    WorkflowConfigError,
    load_workflow_config,
    parse_workflow_config,
)

__all__ = [
    "WorkflowConfig",
    "WorkflowConfigError",
    "load_workflow_config",
    "parse_workflow_config",
    "run_workflow",
]

log = logging.getLogger(__name__)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def steps_to_run(
    config: WorkflowConfig,
    order: OmniumOrder,
    status: str,
    targets: list[Shipment],
    *,
    after_save: bool,
) -> list[StepConfig]:
    """The steps that run for these shipments entering `status`: in the answer, or
    (`after_save`) after it, as Omnium's `runAfterOrderIsSaved` says."""
    # Omnium skips a step that is not active or not enabled where the shipment is (the same
    # rule the station's review shows). A whole-order run has no one warehouse or method.
    scope = (
        scope_of(order, targets[0])
        if len(targets) == 1
        else StepScope(store=order.store_id, market=order.market_id)
    )
    return [
        step
        for step in config.steps_for(order.order_type, status)
        if step.run_after_order_is_saved == after_save and step_runs(step.omnium_step(), scope)
    ]


async def run_workflow(
    order: OmniumOrder,
    status: str,
    *,
    shipment_id: str | None,
    state: SandboxState,
    config: WorkflowConfig,
    dry_run: bool = False,
    in_place: bool = False,
    now: Callable[[], datetime] | None = None,
    after_save: bool = False,
    base_url: str = "",
) -> WorkflowExecutionResult:
    """Run the steps for (order type, status) on one shipment or the whole order.

    `order` itself is never changed (`result.order` is the changed copy) unless `in_place`: a
    caller that owns the order saves the copy, which costs as much as the run on a large order.
    With `dry_run` the state is only read: writes land in a throw-away overlay. Each step runs
    in a worker thread, so that a step over thousands of lines leaves the event loop (and every
    other request) free. Steps marked `runAfterOrderIsSaved` run only with `after_save` (the
    background run after the answer, `sandbox.background`), the others only without it.
    `base_url` is where the sandbox is reached (carrier label links point there).
    """
    work = order if in_place else order.model_copy(deep=True)
    if shipment_id is None:
        targets = list(work.order_form.shipments)
    else:
        target = work.shipment(shipment_id)
        if target is None:
            raise ValueError(f"order {order.id} has no shipment {shipment_id!r}")
        targets = [target]
    step_state: SandboxState = OverlayState(state) if dry_run else state
    clock = now or _utc_now
    results: list[ActionResult] = []
    aborted = False
    for step in steps_to_run(config, work, status, targets, after_save=after_save):
        delay = step.latency * config.latency_scale
        if delay > 0:
            await asyncio.sleep(delay)
        context = StepContext(
            order=work,
            status=status,
            shipments=targets,
            state=step_state,
            config=config,
            step=step,
            now=clock(),
            base_url=base_url,
        )
        outcome = await asyncio.to_thread(_run_step, context)
        cancel = outcome.status == ERROR and step.stop_on_error
        fields: dict[str, Any] = {
            "action_type": step.name,
            "action_status": outcome.status,
            "cancel_workflow": cancel,
        }
        if outcome.reason is not None:
            fields["error_reason"] = outcome.reason
        results.append(ActionResult(**fields))
        if outcome.status != SUCCESS:
            _add_error(work, context, outcome, aborted=cancel)
        if cancel:
            aborted = True
            break
    return WorkflowExecutionResult(
        order=work, is_aborted=aborted, order_action_execution_results=results
    )


def _run_step(context: StepContext) -> StepOutcome:
    name = context.step.name
    reason = injected_failure(
        name, context.order, context.shipments, context.status, context.config
    )
    if reason is not None:
        return StepOutcome.error(reason)
    try:
        return STEPS[name](context)
    except Exception as exc:  # a bug in a step must not become a 500 for the client
        log.exception("workflow step %s failed on order %s", name, context.order.id)
        return StepOutcome.error(f"Internal error in {name}: {type(exc).__name__}")


def _add_error(
    work: OmniumOrder, context: StepContext, outcome: StepOutcome, *, aborted: bool
) -> None:
    order_type = work.order_type or context.config.default_order_type
    target = ", ".join(s.shipment_id for s in context.shipments) or "-"
    details = f"Workflow {order_type}/{context.status}, shipment {target}"
    entry = EntityError(
        key=context.step.name,
        message=outcome.reason,
        details=details + (", workflow aborted" if aborted else ""),
        severity=outcome.status,
        occurred=context.timestamp,
        status=context.status,
    )
    work.errors = [*work.errors, entry]
