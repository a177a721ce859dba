"""Test and admin endpoints under /sandbox/ (not Omnium's): notifications, faults, stock.

Every one needs the OrderAdmin role: an OrderRead user gets 403 here as on writes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import Field

from packstation.omnium.wire import NonNegativeQuantity, WireModel
from packstation.sandbox.orders_api import ERROR_RESPONSES
from packstation.sandbox.problems import ApiProblem
from packstation.sandbox.security import Runtime, Writer

router = APIRouter(prefix="/sandbox", tags=["Sandbox"])


class Fault(WireModel):
    """Body of `POST /sandbox/faults`."""

    kind: Literal["lock", "expire_tokens", "server_error", "queued"]
    order_id: str | None = Field(default=None, min_length=1, max_length=200)
    seconds: float = Field(default=30.0, gt=0, le=86400, allow_inf_nan=False)
    count: int = Field(default=1, ge=1, le=10000)


class StockLevel(WireModel):
    """One stock row."""

    warehouse: str = Field(min_length=1, max_length=200)
    sku: str = Field(min_length=1, max_length=200)
    quantity: NonNegativeQuantity | None = None


@router.get("/notifications", responses=ERROR_RESPONSES)
def notifications(
    runtime: Runtime,
    _: Writer,
    order_id: Annotated[str | None, Query(alias="orderId")] = None,
) -> list[dict[str, str]]:
    """Messages the Notification step recorded, oldest first."""
    return [n.to_json() for n in runtime.store.notifications(order_id)]


@router.post("/faults", responses=ERROR_RESPONSES)
def inject_fault(fault: Fault, runtime: Runtime, _: Writer) -> dict[str, Any]:
    """Inject a fault: hold a lock, revoke tokens, fail writes with 500, queue an order."""
    if fault.kind == "expire_tokens":
        return {"kind": fault.kind, "revoked": runtime.store.revoke_all_tokens()}
    if fault.order_id is None:
        raise ApiProblem(400, f"orderId: required for the '{fault.kind}' fault.")
    order = runtime.store.get_order(fault.order_id)
    if order is None:
        raise ApiProblem(404, f"Order '{fault.order_id}' not found.")
    if fault.kind == "lock":
        runtime.locks.hold_for(fault.order_id, fault.seconds)
        return {"kind": fault.kind, "orderId": fault.order_id, "seconds": fault.seconds}
    if fault.kind == "server_error":
        runtime.faults.fail_next_writes(fault.order_id, fault.count)
        return {"kind": fault.kind, "orderId": fault.order_id, "count": fault.count}
    with runtime.locks.held(fault.order_id) as acquired:
        if not acquired:
            raise ApiProblem(409, f"Order '{fault.order_id}' is locked by another operation.")
        previous = order.status if order.status and order.status != "Queued" else "New"
        order.status = "Queued"
        runtime.store.save_order(order)
        runtime.queue(fault.order_id, fault.seconds, previous)
    return {"kind": fault.kind, "orderId": fault.order_id, "seconds": fault.seconds}


@router.get("/stock", responses=ERROR_RESPONSES)
def get_stock(
    runtime: Runtime,
    _: Writer,
    warehouse: Annotated[str, Query(min_length=1)],
    sku: Annotated[str, Query(min_length=1)],
) -> dict[str, Any]:
    """Units of a SKU in stock at a warehouse (null when the warehouse does not stock it)."""
    quantity = runtime.store.get_stock(warehouse, sku)
    return {
        "warehouse": warehouse,
        "sku": sku,
        "quantity": None if quantity is None else float(quantity),
    }


@router.put("/stock", responses=ERROR_RESPONSES)
def put_stock(level: StockLevel, runtime: Runtime, _: Writer) -> dict[str, Any]:
    """Set the units of a SKU in stock at a warehouse."""
    quantity = level.quantity if level.quantity is not None else Decimal(0)
    runtime.store.set_stock(level.warehouse, level.sku, quantity)
    return {"warehouse": level.warehouse, "sku": level.sku, "quantity": float(quantity)}
