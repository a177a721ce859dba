"""The write path shared by UpdateStatus and OrderLinesUpdate: lock, change, run, follow, save."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NoReturn

from packstation.omnium.models import OmniumOrder
from packstation.omnium.workflow import (
    ActionResult,
    UpdateLineItemStatusPatch,
    UpdateStatusPatch,
    WorkflowExecutionResult,
)
from packstation.sandbox import background, engine
from packstation.sandbox.background import BackgroundRun
from packstation.sandbox.line_copies import LineUpdateError
from packstation.sandbox.line_updates import apply_line_updates, ensure_writable
from packstation.sandbox.order_json import utc_now_iso
from packstation.sandbox.order_status import apply_status, transfer_shipping_cost
from packstation.sandbox.problems import ApiProblem
from packstation.sandbox.reallocation import FindWarehouse, apply_reallocations
from packstation.sandbox.run_state import RunState
from packstation.sandbox.runtime import SandboxRuntime
from packstation.sandbox.shipment_info import apply_shipment_info
from packstation.sandbox.workflow_config import WorkflowConfig


@dataclass
class WorkflowPlan:
    """What to run after the request's changes were applied to the order."""

    status: str
    shipment_id: str | None
    skip_workflow: bool = False
    before: list[ActionResult] = field(default_factory=list)
    """Results of work done before the workflow (reallocation), listed first."""


def plan_update_status(order: OmniumOrder, patch: UpdateStatusPatch) -> WorkflowPlan:
    """Apply an UpdateStatus body to `order`; returns what to run."""
    info = patch.shipment_info
    shipment_id = (info.shipment_id or "").strip() if info else ""
    if shipment_id:
        shipment = order.shipment(shipment_id)
        if shipment is None:
            raise LineUpdateError(404, f"Shipment '{shipment_id}' not found on order '{order.id}'.")
        assert info is not None
        apply_shipment_info(shipment, info)
        apply_status(
            order, patch.status, shipment_id=shipment_id, shipment_order_status=info.order_status
        )
        return WorkflowPlan(patch.status, shipment_id, patch.skip_run_workflow)
    if info is not None and order.order_form.shipments:
        # "If omitted, the first shipment is used" for the shipment data.
        apply_shipment_info(order.order_form.shipments[0], info)
    apply_status(order, patch.status, shipment_id=None)
    return WorkflowPlan(patch.status, None, patch.skip_run_workflow)


def plan_order_lines_update(
    order: OmniumOrder, patch: UpdateLineItemStatusPatch, find_warehouse: FindWarehouse
) -> WorkflowPlan:
    """Apply an OrderLinesUpdate body to `order`; returns what to run."""
    outcome = apply_line_updates(order, patch)
    reallocated = apply_reallocations(
        order, patch, outcome.target_shipment_id, find_warehouse, occurred=utc_now_iso()
    )
    info = patch.shipment_info
    if outcome.shipment_level:
        apply_status(
            order,
            patch.status,
            shipment_id=outcome.target_shipment_id,
            shipment_order_status=info.order_status if info else None,
        )
    else:
        apply_status(order, patch.status, shipment_id=None)
    transfer_shipping_cost(
        order, outcome, kept_for_existing=patch.is_shipping_cost_kept_for_existing_shipment
    )
    return WorkflowPlan(
        patch.status,
        outcome.target_shipment_id if outcome.shipment_level else None,
        before=reallocated,
    )


def check_statuses(
    config: WorkflowConfig, order: OmniumOrder, statuses: Iterable[str | None]
) -> None:
    """Refuse a status the order's type does not have (400 naming it and the type's statuses)."""
    known = config.status_names(order.order_type)
    for status in statuses:
        if status is not None and status not in known:
            order_type = config.order_type_name(order.order_type)
            raise LineUpdateError(
                400,
                f"Status '{status}' is not a status of order type '{order_type}' "
                f"(its statuses: {', '.join(known)}).",
            )


async def run_write(
    runtime: SandboxRuntime,
    order_id: str,
    plan: Callable[[OmniumOrder], WorkflowPlan],
    statuses: Iterable[str | None] = (),
    *,
    base_url: str = "",
) -> str:
    """Apply a workflow request to an order under its lock, persist the outcome and answer
    the `WorkflowExecutionResult` JSON. Every status in `statuses` must be one of the order
    type's.

    The work on the order (thousands of lines on a large one) runs in worker threads, so that
    the event loop keeps answering other stations meanwhile. Steps marked
    `runAfterOrderIsSaved` start after the answer (`sandbox.background`).
    """
    with runtime.locks.held(order_id) as acquired:
        if not acquired:
            # Refused without taking the order: taking it parses it (seconds of CPU on a large
            # order) and took it from whoever holds the lock, who then parsed it again.
            await _refuse_locked(runtime, order_id)
        order = await asyncio.to_thread(runtime.store.take_order, order_id)
        if order is None:
            raise ApiProblem(404, f"Order '{order_id}' not found.")
        _fail_if_injected(runtime, order_id)
        todo = await asyncio.to_thread(_plan, order, plan, runtime.workflow_config, statuses)
        state = RunState(runtime.store)
        later = BackgroundRun(order_id, todo.status, todo.shipment_id, base_url)
        if todo.skip_workflow:
            result = WorkflowExecutionResult(order=order)
        else:
            result = await engine.run_workflow(
                order,
                todo.status,
                shipment_id=todo.shipment_id,
                state=state,
                config=runtime.workflow_config,
                in_place=True,
                base_url=base_url,
            )
        if todo.before:
            result.order_action_execution_results[:0] = todo.before
        final = result.order or order
        answer = await asyncio.to_thread(_save, runtime, final, state, result)
        if final.status == "Queued":
            # A client queued the order itself: it is released like a new queued order.
            runtime.queue(order_id, runtime.options.queued_seconds, "New")
        runs_later = not todo.skip_workflow and not result.is_aborted
        if runs_later and background.has_background_steps(runtime, final, later):
            # Starts once this call released the lock (the task waits for it).
            background.start(runtime, later)
        return answer


async def _refuse_locked(runtime: SandboxRuntime, order_id: str) -> NoReturn:
    """The answer to a write on an order someone else holds: 404, an injected 500, else 409."""
    if not await asyncio.to_thread(runtime.store.has_order, order_id):
        raise ApiProblem(404, f"Order '{order_id}' not found.")
    _fail_if_injected(runtime, order_id)
    raise ApiProblem(409, f"Order '{order_id}' is locked by another operation.")


def _fail_if_injected(runtime: SandboxRuntime, order_id: str) -> None:
    if runtime.faults.take_server_error(order_id):
        raise ApiProblem(500, f"Injected server error for order '{order_id}' (nothing applied).")


def _plan(
    order: OmniumOrder,
    plan: Callable[[OmniumOrder], WorkflowPlan],
    config: WorkflowConfig,
    statuses: Iterable[str | None],
) -> WorkflowPlan:
    try:
        ensure_writable(order)
        check_statuses(config, order, statuses)
        return plan(order)
    except LineUpdateError as err:
        raise ApiProblem(err.status, err.detail) from None


def _save(
    runtime: SandboxRuntime, final: OmniumOrder, state: RunState, result: WorkflowExecutionResult
) -> str:
    """Follow the shipments, stamp, persist; the answer reuses the stored JSON of the order."""
    doc = background.save_order(runtime, final, state)
    rest = result.model_dump_json(by_alias=True, exclude={"order"})
    return '{"order":' + doc + ("," + rest[1:] if rest != "{}" else "}")
