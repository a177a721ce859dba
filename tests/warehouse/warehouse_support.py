"""Simulated stations for the warehouse tests: a station store that packs and submits orders
through the store's own API (outbox, results), so the triggers make the records."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from packstation.omnium.models import (
    LineItemReference,
    OmniumOrder,
    OrderForm,
    OrderLine,
    Shipment,
    ShipmentPackage,
)
from packstation.omnium.workflow import (
    ActionResult,
    LineItemUpdate,
    UpdateLineItemStatusPatch,
    UpdateShipmentInfo,
    WorkflowExecutionResult,
)
from packstation.station.store import StationStore
from packstation.warehouse import buffer

SSCC = "370123450100000012"


def station(data_dir: Path, station_id: str = "01") -> tuple[StationStore, str]:
    """A store with warehouse buffering on; (store, its station uid)."""
    store = StationStore.open(data_dir)
    return store, buffer.enable(store, station_id)


def small_order(order_id: str) -> OmniumOrder:
    """An order of one line in one shipment."""
    line = OrderLine(line_item_id="1", code="SKU-A", quantity=Decimal(3))
    return OmniumOrder(
        id=order_id,
        status="InProgress",
        order_form=OrderForm(
            line_items=[line.model_copy()],
            shipments=[Shipment(shipment_id="1", order_status="InProgress", line_items=[line])],
        ),
    )


def workflow_result(aborted: bool, step: str = "BookShipment") -> WorkflowExecutionResult:
    """A workflow result; aborted at `step` when asked."""
    return WorkflowExecutionResult(
        is_aborted=aborted,
        order_action_execution_results=[
            ActionResult(
                action_type=step,
                action_status="Error" if aborted else "Success",
                error_reason="carrier down" if aborted else None,
                cancel_workflow=aborted,
            )
        ],
    )


def patch(packer: str, units: int = 3, packages: int = 1) -> UpdateLineItemStatusPatch:
    """A delivery of `units` of line 1 in `packages` packages."""
    return UpdateLineItemStatusPatch(
        status="PackedAndReady",
        user_id=packer,
        line_item_updates=[LineItemUpdate(line_item_id="1", delivered_quantity=Decimal(units))],
        shipment_info=UpdateShipmentInfo(
            shipment_id="1",
            packages=[
                ShipmentPackage(
                    id=SSCC,
                    line_item_references=[
                        LineItemReference(line_item_id="1", quantity=Decimal(units))
                    ],
                )
                for _ in range(packages)
            ],
        ),
    )


def pack_order(
    store: StationStore,
    order_id: str,
    packer: str = "P7",
    *,
    outcome: str = "done",
    units: int = 3,
    packages: int = 1,
) -> int:
    """Submit an order and end it: 'done', 'aborted' (workflow aborted) or 'failed'."""
    submit_id = store.outbox.enqueue(
        order_id, [patch(packer, units, packages)], packer=packer, source_shipment_id="1"
    )
    submit = store.outbox.get(submit_id)
    if outcome == "failed":
        store.outbox.fail(submit_id, 1, "400 Bad Request: line 1 is not open")
    else:
        store.outbox.complete_request(
            submit,
            submit.requests[0],
            workflow_result(aborted=outcome == "aborted"),
            reconciled=False,
        )
    return submit_id
