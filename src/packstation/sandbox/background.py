"""Steps that run after the answer (Omnium's `runAfterOrderIsSaved`), as Omnium runs them.

After a workflow call saved the order and answered, the status's background steps run in a
task of the sandbox: they wait for the order's lock (a write meanwhile goes first), run with
their own latency and failure injection, and save the order again. A failing step is
recorded in `order.errors` (the engine does that); nobody gets an answer from it.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from dataclasses import dataclass

from packstation.omnium.models import OmniumOrder
from packstation.sandbox import engine
from packstation.sandbox.order_json import utc_now_iso
from packstation.sandbox.order_status import follow_shipments
from packstation.sandbox.run_state import RunState
from packstation.sandbox.runtime import SandboxRuntime

log = logging.getLogger(__name__)

LOCK_RETRY_SECONDS = 0.05
"""How often a background run tries again for the order's lock."""

LOCK_PATIENCE_SECONDS = 120.0
"""A background run gives up (and logs) when the order stays locked this long."""


@dataclass(frozen=True)
class BackgroundRun:
    """The background steps of one workflow call, to run once it has answered."""

    order_id: str
    status: str
    shipment_id: str | None
    base_url: str


def save_order(runtime: SandboxRuntime, order: OmniumOrder, state: RunState) -> str:
    """Follow the shipments, stamp, persist; the stored JSON of the order."""
    follow_shipments(order)
    order.modified = utc_now_iso()
    order.version_id = uuid.uuid4().hex
    return runtime.store.save_order(order, state)


def has_background_steps(runtime: SandboxRuntime, order: OmniumOrder, run: BackgroundRun) -> bool:
    """True when the status has steps to run after the answer for the run's shipments."""
    shipments = (
        list(order.order_form.shipments)
        if run.shipment_id is None
        else [s for s in order.order_form.shipments if s.shipment_id == run.shipment_id]
    )
    steps = engine.steps_to_run(
        runtime.workflow_config, order, run.status, shipments, after_save=True
    )
    return bool(steps)


def start(runtime: SandboxRuntime, run: BackgroundRun) -> None:
    """Run the background steps in a task of the running loop (kept until it ends)."""
    task = asyncio.get_running_loop().create_task(_run(runtime, run))
    runtime.background_tasks.add(task)
    task.add_done_callback(runtime.background_tasks.discard)


async def _run(runtime: SandboxRuntime, run: BackgroundRun) -> None:
    give_up = time.monotonic() + LOCK_PATIENCE_SECONDS
    while not runtime.locks.try_acquire(run.order_id):
        if time.monotonic() > give_up:
            log.error("background steps of %s/%s: order stayed locked", run.order_id, run.status)
            return
        await asyncio.sleep(LOCK_RETRY_SECONDS)
    try:
        order = await asyncio.to_thread(runtime.store.take_order, run.order_id)
        if order is None:
            return
        state = RunState(runtime.store)
        await engine.run_workflow(
            order,
            run.status,
            shipment_id=run.shipment_id,
            state=state,
            config=runtime.workflow_config,
            in_place=True,
            after_save=True,
            base_url=run.base_url,
        )
        await asyncio.to_thread(save_order, runtime, order, state)
    except Exception:  # a task's failure would otherwise vanish silently
        log.exception("background steps of %s/%s failed", run.order_id, run.status)
    finally:
        runtime.locks.release(run.order_id)
