"""Minimal cart storage and the workflow dry run (`processCartWorkflowTest`).

Omnium's cart API is not modelled: a cart is stored with the shape of an order
(`POST /api/Carts`, `id` required) so that a workflow can be previewed against it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from packstation.omnium.models import OmniumOrder, Shipment
from packstation.omnium.wire import UNSET_DATE
from packstation.omnium.workflow import WorkflowExecutionResult
from packstation.sandbox import engine
from packstation.sandbox.order_json import order_to_json, utc_now_iso
from packstation.sandbox.orders_api import ERROR_RESPONSES, NewOrder, check_new_order
from packstation.sandbox.problems import ApiProblem
from packstation.sandbox.run_state import RunState
from packstation.sandbox.security import Reader, Runtime, Writer

router = APIRouter()

CartId = Annotated[str, Path(alias="cartId", description="The cart id")]


def cart_as_order(cart: OmniumOrder, status: str) -> OmniumOrder:
    """The order a cart would become, in `status`; one shipment holds every line if none."""
    order = cart.model_copy(deep=True)
    if not order.order_form.shipments and order.order_form.line_items:
        order.order_form.shipments = [
            Shipment(
                shipment_id="1",
                line_items=[line.model_copy(deep=True) for line in order.order_form.line_items],
            )
        ]
    order.status = status
    for shipment in order.order_form.shipments:
        shipment.order_status = status
    return order


@router.post(
    "/api/Carts",
    status_code=201,
    responses={201: {"model": OmniumOrder}, **ERROR_RESPONSES},
    tags=["Carts"],
)
def create_cart(new: NewOrder, runtime: Runtime, _: Writer) -> Response:
    """Store a cart (sandbox only) so that workflows can be dry-run against it."""
    cart = OmniumOrder.model_validate(new.model_dump(by_alias=True, exclude_unset=True))
    check_new_order(cart, "cart")
    if cart.created == UNSET_DATE:
        cart.created = utc_now_iso()
    doc = order_to_json(cart)
    if not runtime.store.insert_cart(cart.id, doc):
        raise ApiProblem(409, f"A cart with id '{cart.id}' already exists.")
    return Response(doc, status_code=201, media_type="application/json")


@router.get(
    "/api/Carts/{cartId}",
    responses={200: {"model": OmniumOrder}, **ERROR_RESPONSES},
    tags=["Carts"],
)
def get_cart(cart_id: CartId, runtime: Runtime, _: Reader) -> Response:
    """A stored cart."""
    doc = runtime.store.get_cart_json(cart_id)
    if doc is None:
        raise ApiProblem(404, f"Cart '{cart_id}' not found.")
    return Response(doc, media_type="application/json")


@router.post(
    "/api/Orders/{cartId}/processCartWorkflowTest/{status}",
    responses={200: {"model": WorkflowExecutionResult}, **ERROR_RESPONSES},
    tags=["Workflow"],
)
async def process_cart_workflow_test(
    cart_id: CartId, status: str, runtime: Runtime, _: Writer
) -> Response:
    """Run the workflow for `status` against a cart in test mode: nothing is persisted."""
    doc = runtime.store.get_cart_json(cart_id)
    if doc is None:
        raise ApiProblem(404, f"Cart '{cart_id}' not found.")
    if not status.strip():
        raise ApiProblem(400, "status: a status is required.")
    order = cart_as_order(OmniumOrder.model_validate_json(doc), status)
    # A dry-run state is never committed; the engine also only reads through it.
    state = RunState(runtime.store, dry_run=True)
    result: WorkflowExecutionResult = await engine.run_workflow(
        order,
        status,
        shipment_id=None,
        state=state,
        config=runtime.workflow_config,
        dry_run=True,
    )
    return Response(result.model_dump_json(by_alias=True), media_type="application/json")
