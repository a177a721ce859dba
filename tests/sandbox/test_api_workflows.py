"""Workflow calls with the default workflows: step effects persisted, aborted workflows kept
(house rule 9), the dry run changing nothing, and the demo data served."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sandbox_support import api, create, line_of, reference_order, shipment_of, strip

from packstation.omnium.client import OmniumClient
from packstation.omnium.errors import OrderLocked, OrderNotFound
from packstation.omnium.models import OmniumOrder
from packstation.omnium.search import OrderSearchRequest
from packstation.omnium.workflow import (
    LineItemUpdate,
    UpdateLineItemStatusPatch,
    UpdateShipmentInfo,
)

PACKED_STEPS = [
    "PrintShippingLabel",
    "CompleteShipment",
    "ValidateTrackingNumber",
    "UpdateShipmentStatus",
]
SHIP_STEPS = [
    "SplitShipmentCost",
    "CapturePayments",
    "ReduceInventory",
    "UpdateShipmentStatus",
    "Notification",
    "ExportOrder",
]


@pytest.fixture
async def client(sandbox_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with api(sandbox_app) as c:
        yield c


async def stock(client: httpx.AsyncClient, sku: str, warehouse: str = "WH-OSLO") -> Any:
    answer = await client.get("/sandbox/stock", params={"warehouse": warehouse, "sku": sku})
    assert answer.status_code == 200
    return answer.json()["quantity"]


async def set_stock(client: httpx.AsyncClient, sku: str, units: float) -> None:
    body = {"warehouse": "WH-OSLO", "sku": sku, "quantity": units}
    assert (await client.put("/sandbox/stock", json=body)).status_code == 200


def steps(result: dict[str, Any]) -> list[tuple[str, str]]:
    return [(r["actionType"], r["actionStatus"]) for r in result["orderActionExecutionResults"]]


async def test_a_partial_delivery_walks_packed_and_ready_then_ship_persisting_their_effects(
    client: httpx.AsyncClient,
) -> None:
    await create(client, reference_order("W-1"))
    for sku in ("SKU-4", "SKU-6"):
        await set_stock(client, sku, 10)
    body = {
        "status": "PackedAndReady",
        "lineItemUpdates": [
            {"lineItemId": "4", "deliveredQuantity": 4},
            {"lineItemId": "6", "deliveredQuantity": 6},
        ],
        "shipmentInfo": {
            "shipmentId": "2",
            "shipmentMethodName": "Bring",
            "packages": [
                {"id": "PK-1", "weightInKg": 3, "lineItemReferences": [{"lineItemId": "4"}]}
            ],
        },
    }
    answer = await client.post("/api/Orders/W-1/OrderLinesUpdate", json=body)
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["isAborted"] is False
    assert steps(result) == [(name, "Success") for name in PACKED_STEPS]
    order = result["order"]
    assert (await client.get("/api/Orders/W-1")).json() == order
    new = shipment_of(order, "2")
    assert new["status"] == "Packed"
    assert new["shipmentTrackingNumber"]
    assert new["shipmentTrackingLink"].endswith(new["shipmentTrackingNumber"])
    assert new["packages"][0]["shipmentTracking"]["shipmentTrackingNumber"]
    # Packed, not shipped: no money, no stock, no message yet.
    assert [p["transactionType"] for p in order["orderForm"]["payments"]] == ["Authorization"]
    assert (await stock(client, "SKU-4"), await stock(client, "SKU-6")) == (10.0, 10.0)

    ship = {"status": "Ship", "shipmentInfo": {"shipmentId": "2"}}
    answer = await client.post("/api/Orders/W-1/UpdateStatus", json=ship)
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert steps(result) == [(name, "Success") for name in SHIP_STEPS]
    order = result["order"]
    new = shipment_of(order, "2")
    assert new["status"] == "Shipped"
    captures = [p for p in order["orderForm"]["payments"] if p["transactionType"] == "Capture"]
    # The shipping cost stayed on shipment 1 (it moves only to a new Completed shipment).
    assert [(p["shipmentId"], p["amount"]) for p in captures] == [("2", 1000.0)]
    assert (await stock(client, "SKU-4"), await stock(client, "SKU-6")) == (6.0, 4.0)
    notes = (await client.get("/sandbox/notifications", params={"orderId": "W-1"})).json()
    assert len(notes) == 1 and notes[0]["recipient"] == "kari@example.com"
    assert order["status"] == "PartiallyShipped"
    assert shipment_of(order, "1")["status"] == "Released"

    # The same request again: stock is not reduced twice (a Warning), nothing captured twice.
    again = (await client.post("/api/Orders/W-1/UpdateStatus", json=ship)).json()
    assert ("ReduceInventory", "Warning") in steps(again)
    assert (await stock(client, "SKU-4"), await stock(client, "SKU-6")) == (6.0, 4.0)
    captures = [
        p for p in again["order"]["orderForm"]["payments"] if p["transactionType"] == "Capture"
    ]
    assert len(captures) == 1


async def test_aborted_workflow_keeps_changes_and_records_the_error(
    client: httpx.AsyncClient,
) -> None:
    # ORD-1019 wants two units of a SKU WH-OSLO holds one of: ReduceInventory fails at Ship,
    # after CapturePayments succeeded.
    before = (await client.get("/api/Orders/ORD-1019")).json()
    sku = line_of(before["orderForm"], "1")["code"]
    units_before = await stock(client, sku)
    body = {
        "status": "PackedAndReady",
        "lineItemUpdates": [{"lineItemId": "1", "deliveredQuantity": 2}],
        "shipmentInfo": {"shipmentId": "1"},
    }
    answer = await client.post("/api/Orders/ORD-1019/OrderLinesUpdate", json=body)
    assert answer.status_code == 200
    assert answer.json()["isAborted"] is False
    answer = await client.post(
        "/api/Orders/ORD-1019/UpdateStatus",
        json={"status": "Ship", "shipmentInfo": {"shipmentId": "1"}},
    )
    assert answer.status_code == 200
    result = answer.json()
    assert result["isAborted"] is True
    assert steps(result) == [
        ("SplitShipmentCost", "Success"),
        ("CapturePayments", "Success"),
        ("ReduceInventory", "Error"),
    ]
    failing = result["orderActionExecutionResults"][-1]
    assert failing["cancelWorkflow"] is True and failing["errorReason"]

    stored = (await client.get("/api/Orders/ORD-1019")).json()
    assert stored == result["order"]
    # Line and status changes kept, steps before the failure kept, an errors entry added.
    assert line_of(shipment_of(stored, "1"), "1")["deliveredQuantity"] == 2.0
    assert line_of(stored["orderForm"], "1")["deliveredQuantity"] == 2.0
    assert shipment_of(stored, "1")["orderStatus"] == "Ship"
    assert [p["transactionType"] for p in stored["orderForm"]["payments"]] == [
        "Authorization",
        "Capture",
    ]
    assert await stock(client, sku) == units_before
    assert [(e["key"], e["severity"], e["message"]) for e in stored["errors"]] == [
        ("ReduceInventory", "Error", failing["errorReason"])
    ]
    assert shipment_of(stored, "1")["shipmentTrackingNumber"]  # booked at PackedAndReady


async def test_dry_run_changes_nothing(client: httpx.AsyncClient, sandbox_app: FastAPI) -> None:
    cart = reference_order("CART-1")
    cart["orderForm"]["lineItems"] = cart["orderForm"]["shipments"][0]["lineItems"]
    for item in cart["orderForm"]["lineItems"]:
        item["deliveredQuantity"] = item["quantity"]
    for item in cart["orderForm"]["shipments"][0]["lineItems"]:
        item["deliveredQuantity"] = item["quantity"]
    for sku in ("SKU-4", "SKU-5", "SKU-6"):
        await set_stock(client, sku, 10)
    created = await client.post("/api/Carts", json=cart)
    assert created.status_code == 201
    assert (await client.post("/api/Carts", json=cart)).status_code == 409
    stored_cart = (await client.get("/api/Carts/CART-1")).json()
    orders_before = (await client.get("/api/Orders/GetOrders", params={"pageSize": 100})).json()
    tracking_before = sandbox_app.state.sandbox.store.peek_counter("tracking")

    answer = await client.post("/api/Orders/CART-1/processCartWorkflowTest/Ship")
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert steps(result) == [(name, "Success") for name in SHIP_STEPS]
    assert result["order"]["orderForm"]["payments"][-1]["transactionType"] == "Capture"

    assert (await client.get("/api/Carts/CART-1")).json() == stored_cart
    assert (await client.get("/api/Orders/CART-1")).status_code == 404
    for sku in ("SKU-4", "SKU-5", "SKU-6"):
        assert await stock(client, sku) == 10.0
    assert (await client.get("/sandbox/notifications", params={"orderId": "CART-1"})).json() == []
    orders_after = (await client.get("/api/Orders/GetOrders", params={"pageSize": 100})).json()
    assert strip(orders_after) == strip(orders_before)
    assert sandbox_app.state.sandbox.store.peek_counter("tracking") == tracking_before

    missing = await client.post("/api/Orders/NO-CART/processCartWorkflowTest/Completed")
    assert missing.status_code == 404


async def test_demo_data_is_seeded_and_searchable(client: httpx.AsyncClient) -> None:
    everything = (await client.get("/api/Orders/GetOrders", params={"pageSize": 100})).json()
    assert everything["totalHits"] >= 30
    page2 = (await client.get("/api/Orders/GetOrders", params={"page": 2, "pageSize": 10})).json()
    assert [o["id"] for o in page2["result"]] == [o["id"] for o in everything["result"][10:20]]
    # Omnium's search has no warehouse filter: the field is refused, naming it.
    refused = await client.post("/api/Orders/Search", json={"selectedWarehouses": ["WH-BERGEN"]})
    assert refused.status_code == 400 and "selectedWarehouses" in refused.json()["detail"]
    search = {"selectedStatuses": ["InProgress"], "take": 100, "sortOrder": "CreatedAscending"}
    waiting = (await client.post("/api/Orders/Search", json=search)).json()
    assert waiting["totalHits"] >= 20
    assert {o["status"] for o in waiting["result"]} == {"InProgress"}
    created = [o["created"] for o in waiting["result"]]
    assert created == sorted(created)
    pascal = {"SelectedStatuses": ["Queued"], "Take": 10, "Page": 0}
    queued = (await client.post("/api/Orders/Search", json=pascal)).json()
    assert [o["id"] for o in queued["result"]] == ["ORD-1014"]
    text = (await client.post("/api/Orders/Search", json={"searchText": "ord-1009"})).json()
    assert [o["id"] for o in text["result"]] == ["ORD-1009"]
    assert len(text["result"][0]["orderForm"]["lineItems"]) == 250
    types = (await client.get("/api/Settings/OrderTypes")).json()
    assert {t["name"] for t in types} >= {"Online", "ClickAndCollect"}


async def test_omnium_client_packs_and_completes_a_demo_order(
    omnium_client: OmniumClient,
) -> None:
    order = await omnium_client.get_order("ORD-1002")
    line = order.order_form.line_items[0]
    patch = UpdateLineItemStatusPatch(
        status="Completed",
        line_item_updates=[
            LineItemUpdate(line_item_id=line.line_item_id, delivered_quantity=line.quantity)
        ],
        shipment_info=UpdateShipmentInfo(shipment_id="1"),
    )
    result = await omnium_client.order_lines_update("ORD-1002", patch)
    assert not result.is_aborted
    assert result.order is not None and result.order.status == "Completed"
    assert (await omnium_client.get_order("ORD-1002")) == result.order
    found = await omnium_client.search_orders(OrderSearchRequest(selected_statuses=["Completed"]))
    assert "ORD-1002" in {o.id for o in found.result}


async def test_omnium_client_creates_reads_and_dry_runs(
    omnium_client: OmniumClient, client: httpx.AsyncClient
) -> None:
    created = await omnium_client.create_order(OmniumOrder.model_validate(reference_order("C-1")))
    assert created.id == "C-1" and created.status == "InProgress"
    assert await omnium_client.get_order("C-1") == created
    with pytest.raises(OrderLocked):  # a duplicate id is a 409
        await omnium_client.create_order(created)
    await client.post("/api/Carts", json=reference_order("CART-C"))
    preview = await omnium_client.process_cart_workflow_test("CART-C", "InProgress")
    assert [r.action_type for r in preview.order_action_execution_results] == [
        "UpdateShipmentStatus",
        "Notification",
    ]
    with pytest.raises(OrderNotFound):
        await omnium_client.get_order("C-404")
