"""Omnium's order endpoints: read, search, create, UpdateStatus, OrderLinesUpdate, OrderTypes."""

from __future__ import annotations

import base64
import json
import re
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel, Field

from packstation.omnium.models import OmniumOrder
from packstation.omnium.order_types import OrderType
from packstation.omnium.search import OrderSearchRequest, OrderSearchResult
from packstation.omnium.wire import UNSET_DATE
from packstation.omnium.workflow import (
    UpdateLineItemStatusPatch,
    UpdateStatusPatch,
    WorkflowExecutionResult,
)
from packstation.sandbox.contract_input import contract_body
from packstation.sandbox.order_document import order_document_pdf
from packstation.sandbox.order_index import OrderFilter
from packstation.sandbox.order_json import order_to_json, utc_now_iso
from packstation.sandbox.problems import PROBLEM_JSON, ApiProblem
from packstation.sandbox.security import Reader, Runtime, Writer
from packstation.sandbox.workflow_calls import (
    plan_order_lines_update,
    plan_update_status,
    run_write,
)

router = APIRouter()

_PROBLEM = {"content": {PROBLEM_JSON: {}}, "description": "ProblemDetails"}
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: _PROBLEM for code in (400, 401, 403, 404, 409, 413, 429, 500)
}
ID_REGEX = r"^[^/\\?#\s\x00-\x1f][^/\\?#\x00-\x1f]{0,199}$"
"""An id usable in a URL path: 1-200 characters, no '/', '\\', '?', '#', control characters or
leading whitespace."""
_ID_PATTERN = re.compile(ID_REGEX)


class NewOrder(OmniumOrder):
    """An order to create: its id must be usable in a URL path (documented in the schema)."""

    id: str = Field(pattern=ID_REGEX)


OrderId = Annotated[str, Path(alias="orderId", description="The order id", examples=["ORD-1001"])]


def _json(text: str, status: int = 200) -> Response:
    return Response(text, status_code=status, media_type="application/json")


@router.get(
    "/api/Orders/GetOrders",
    responses={200: {"model": OrderSearchResult}, **ERROR_RESPONSES},
    tags=["Orders"],
)
def get_orders(
    runtime: Runtime,
    _: Reader,
    store_id: Annotated[str | None, Query(alias="storeId")] = None,
    status: str | None = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(alias="pageSize", ge=1, le=100)] = 20,
) -> Response:
    """Orders of a store and/or status, 1-based pages."""
    found = OrderFilter(
        statuses=[status] if status else None, stores=[store_id] if store_id else None
    )
    docs = runtime.store.find_orders(found, offset=(page - 1) * page_size, limit=page_size)
    return _page(docs, runtime.store.count_orders(found))


def _page(docs: list[str], total: int) -> Response:
    return _json('{"result":[' + ",".join(docs) + f'],"totalHits":{total}}}')


@router.get(
    "/api/Orders/{orderId}",
    responses={200: {"model": OmniumOrder}, **ERROR_RESPONSES},
    tags=["Orders"],
)
def get_order(order_id: OrderId, runtime: Runtime, _: Reader) -> Response:
    """One order (never blocked by a running workflow)."""
    doc = runtime.store.get_order_json(order_id)
    if doc is None:
        raise ApiProblem(404, f"Order '{order_id}' not found.")
    return _json(doc)


@router.get(
    "/api/Orders/GetAsPdf/{orderId}",
    responses={200: {"model": str}, **ERROR_RESPONSES},
    tags=["Orders"],
)
def get_as_pdf(
    order_id: OrderId,
    runtime: Runtime,
    _: Reader,
    template_file: Annotated[str | None, Query(alias="templateFile")] = None,
    shipment_id: Annotated[str | None, Query(alias="shipmentId")] = None,
) -> Response:
    """The order document (packing slip) as a base64 PDF in a JSON string (the contract's
    answer type). As in Omnium, shipmentId narrows it only together with templateFile."""
    order = runtime.store.get_order(order_id)
    if order is None:
        raise ApiProblem(404, f"Order '{order_id}' not found.")
    only = shipment_id if template_file else None
    if only is not None and order.shipment(only) is None:
        raise ApiProblem(404, f"Order '{order_id}' has no shipment '{only}'.")
    pdf = order_document_pdf(order, only)
    return _json(json.dumps(base64.b64encode(pdf).decode("ascii")))


@router.post(
    "/api/Orders",
    status_code=201,
    responses={201: {"model": OmniumOrder}, **ERROR_RESPONSES},
    tags=["Orders"],
)
def create_order(
    runtime: Runtime,
    _: Writer,
    new: Annotated[NewOrder, Depends(contract_body("OmniumOrder", NewOrder))],
) -> Response:
    """Create an order with an explicit id (a duplicate id is refused with 409)."""
    order = OmniumOrder.model_validate(new.model_dump(by_alias=True, exclude_unset=True))
    check_new_order(order, "order")
    now = utc_now_iso()
    order.status = order.status or "New"
    if order.created == UNSET_DATE:
        order.created = now
    order.modified = now
    order.version_id = uuid.uuid4().hex
    if runtime.add_orders([order]):
        raise ApiProblem(409, f"An order with id '{order.id}' already exists.")
    return _json(order_to_json(order), 201)


def check_new_order(order: OmniumOrder, what: str) -> None:
    """Refuse ids that cannot be addressed and lines that do not add up."""
    if not _ID_PATTERN.match(order.id):
        raise ApiProblem(
            400, f"id: the {what} id must be 1-200 characters without '/', '\\', '?', '#'."
        )
    line_ids = [line.line_item_id for line in order.order_form.line_items]
    duplicate = next((i for i in line_ids if line_ids.count(i) > 1), None)
    if duplicate is not None:
        raise ApiProblem(400, f"orderForm.lineItems: line item '{duplicate}' appears twice.")
    shipment_ids = [s.shipment_id for s in order.order_form.shipments]
    duplicate = next((i for i in shipment_ids if shipment_ids.count(i) > 1), None)
    if duplicate is not None:
        raise ApiProblem(400, f"orderForm.shipments: shipment '{duplicate}' appears twice.")
    for shipment in order.order_form.shipments:
        for copy in shipment.line_items:
            line = order.line(copy.line_item_id)
            if line is None:
                raise ApiProblem(
                    400,
                    f"orderForm.shipments: shipment '{shipment.shipment_id}' holds line item "
                    f"'{copy.line_item_id}', which is not an order line.",
                )


SORT_NEWEST_FIRST = ("CreatedDescending", "ModifiedDescending")
"""Documented `sortOrder` values that list the newest first (Omnium's default)."""


@router.post(
    "/api/Orders/Search",
    responses={200: {"model": OrderSearchResult}, **ERROR_RESPONSES},
    tags=["Orders"],
)
def search_orders(
    runtime: Runtime,
    _: Reader,
    request: Annotated[
        OrderSearchRequest, Depends(contract_body("OmniumOrderSearchRequest", OrderSearchRequest))
    ],
) -> Response:
    """Search orders (0-based pages of at most 100; `page` × `take` under 10,000 as Omnium)."""
    if request.page * request.take >= MAX_SEARCH_WINDOW:
        raise ApiProblem(
            400, f"page * take must stay under {MAX_SEARCH_WINDOW}; use Scroll for more."
        )
    text = (request.search_text or "").strip().lower()
    found = OrderFilter(
        statuses=request.selected_statuses or None,
        stores=request.selected_stores or None,
        order_type=request.order_type or None,
        tags=request.tags or None,
        markets=request.selected_markets or None,
        shipping_methods=request.shipping_method_names or None,
        has_errors=request.has_errors,
        text=text or None,
    )
    sort = request.sort_order or ""
    # Omnium's default is newest first; only an "...Ascending" sort order lists oldest first.
    # The indexed columns answer; only the documents of the page are read.
    docs = runtime.store.find_orders(
        found,
        by_created=sort.startswith("Created"),
        newest_first=not sort.endswith("Ascending"),
        offset=request.page * request.take,
        limit=request.take,
    )
    return _page(docs, runtime.store.count_orders(found))


MAX_SEARCH_WINDOW = 10_000


@router.post(
    "/api/Orders/{orderId}/UpdateStatus",
    responses={200: {"model": WorkflowExecutionResult}, **ERROR_RESPONSES},
    tags=["Workflow"],
)
async def update_status(
    order_id: OrderId,
    runtime: Runtime,
    _: Writer,
    patch: Annotated[
        UpdateStatusPatch, Depends(contract_body("OmniumUpdateStatusPatch", UpdateStatusPatch))
    ],
    request: Request,
) -> Response:
    """Set the status of the order or of one shipment and run its workflow."""
    statuses = (patch.status, patch.shipment_info.order_status if patch.shipment_info else None)
    return _json(
        await run_write(
            runtime,
            order_id,
            lambda o: plan_update_status(o, patch),
            statuses,
            base_url=base_url_of(request),
        )
    )


@router.post(
    "/api/Orders/{orderId}/OrderLinesUpdate",
    responses={200: {"model": WorkflowExecutionResult}, **ERROR_RESPONSES},
    tags=["Workflow"],
)
async def order_lines_update(
    order_id: OrderId,
    runtime: Runtime,
    _: Writer,
    patch: Annotated[
        UpdateLineItemStatusPatch,
        Depends(contract_body("OmniumUpdateLineItemStatusPatch", UpdateLineItemStatusPatch)),
    ],
    request: Request,
) -> Response:
    """Deliver, cancel, split lines into shipments, then set the status and run the workflow."""
    find = runtime.store.warehouse_with_stock
    statuses = (patch.status, patch.shipment_info.order_status if patch.shipment_info else None)
    return _json(
        await run_write(
            runtime,
            order_id,
            lambda o: plan_order_lines_update(o, patch, find),
            statuses,
            base_url=base_url_of(request),
        )
    )


def base_url_of(request: Request) -> str:
    """Where the caller reached this sandbox (carrier label links point there)."""
    return str(request.base_url).rstrip("/")


@router.get(
    "/api/Settings/OrderTypes",
    responses={200: {"model": list[OrderType]}, **ERROR_RESPONSES},
    tags=["Settings"],
)
def order_types(runtime: Runtime, _: Reader) -> Response:
    """The workflow configuration as Omnium's `OmniumOrderType` list (read-only)."""
    types = runtime.workflow_config.order_types_document()
    return _json("[" + ",".join(t.model_dump_json(by_alias=True) for t in types) + "]")


CONTRACT_BODIES: dict[tuple[str, str], type[BaseModel]] = {
    ("/api/Orders", "post"): NewOrder,
    ("/api/Orders/Search", "post"): OrderSearchRequest,
    ("/api/Orders/{orderId}/UpdateStatus", "post"): UpdateStatusPatch,
    ("/api/Orders/{orderId}/OrderLinesUpdate", "post"): UpdateLineItemStatusPatch,
}
"""The bodies read through `contract_body` (Omnium's contract first), for the OpenAPI document."""
