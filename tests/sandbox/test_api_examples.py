"""Every request example of omnium-workflow-api.txt, replayed over HTTP against an order created
through POST /api/Orders, asserting the whole resulting order (and that GET returns the same).

The workflows here run no steps, so the result is what the line-update semantics and the house
rules alone decide; test_api_workflows.py covers the steps.
"""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sandbox_support import (
    api,
    app_with_config,
    create,
    line_of,
    reference_order,
    shipment_of,
    strip,
)

# The request bodies, verbatim from the reference.
UPDATE_ORDER_STATUS = {"status": "InProgress"}
UPDATE_SHIPMENT_STATUS = {
    "status": "Completed",
    "shipmentInfo": {"shipmentId": "1", "trackingUrl": "https://tracking.bring.com/12345"},
}
SKIP_WORKFLOW = {"status": "Completed", "skipRunWorkflow": True}
DELIVER_EXISTING = {
    "status": "Completed",
    "lineItemUpdates": [
        {"lineItemId": "4", "deliveredQuantity": 4},
        {"lineItemId": "6", "deliveredQuantity": 6},
    ],
    "shipmentInfo": {"shipmentId": "1"},
}
PARTIAL_NEW_SHIPMENT = {
    "status": "Completed",
    "lineItemUpdates": [
        {"lineItemId": "4", "deliveredQuantity": 4},
        {"lineItemId": "6", "deliveredQuantity": 6},
    ],
    "shipmentInfo": {"shipmentId": "2", "shipmentMethodName": "Bring"},
}
PICKUP_POINT = {
    "servicePointId": "12345",
    "name": "Pickup Point Name",
    "address": {
        "street": "Main Street 1",
        "postalCode": "12345",
        "city": "City Name",
        "country": "Norway",
        "countryCode": "NO",
    },
}
SPLIT_WITHOUT_DELIVERING = {
    "status": "InProgress",
    "lineItemUpdates": [
        {"lineItemId": "4", "splitQuantity": 2},
        {"lineItemId": "6", "splitQuantity": 1},
    ],
    "shipmentInfo": {
        "shipmentId": "2",
        "shipmentMethodName": "Bring",
        "warehouseCode": "warehouse4",
        "servicePointId": "12345",
        "pickUpPointInformation": PICKUP_POINT,
    },
}
DELIVER_AND_CANCEL = {
    "status": "Completed",
    "lineItemUpdates": [
        {"lineItemId": "4", "deliveredQuantity": 4},
        {"lineItemId": "5", "deliveredQuantity": 2, "canceledQuantity": 3},
        {"lineItemId": "6", "canceledQuantity": 6},
    ],
    "shipmentInfo": {"shipmentId": "1"},
}
SPLIT_SINGLE_LINE = {
    "status": "Completed",
    "lineItemUpdates": [{"lineItemId": "4", "splitQuantity": 1}],
    "shipmentInfo": {"orderStatus": "Completed"},
}

EMPTY_NEW_LINE = {"deliveredQuantity": 0.0, "canceledQuantity": 0.0, "readyForPickupQuantity": 0.0}


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = app_with_config(tmp_path)
    async with api(app) as c:
        yield c
    app.state.sandbox.close()


async def post(client: httpx.AsyncClient, order_id: str, endpoint: str, body: Any) -> Any:
    answer = await client.post(f"/api/Orders/{order_id}/{endpoint}", json=body)
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["isAborted"] is False
    assert result["orderActionExecutionResults"] == []
    stored = (await client.get(f"/api/Orders/{order_id}")).json()
    assert stored == result["order"], "GET must return what the workflow call answered"
    return result["order"]


def moved(source_line: dict[str, Any], quantity: float, **state: float) -> dict[str, Any]:
    """The copy of a line in a new shipment."""
    return {**source_line, **EMPTY_NEW_LINE, "quantity": float(quantity), **state}


async def replay(
    client: httpx.AsyncClient,
    order: dict[str, Any],
    body: Any,
    endpoint: str = "OrderLinesUpdate",
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Create `order`, post `body` to its `endpoint`: the order as created, and as answered."""
    before = await create(client, order)
    return before, await post(client, order["id"], endpoint, body)


def set_status(
    expected: dict[str, Any], status: str, lines: dict[str, dict[str, float]] | None = None
) -> None:
    """Set the order and shipment 1 to `status`, and `lines`' quantities in both line lists."""
    expected["status"] = status
    ship = shipment_of(expected, "1")
    ship["orderStatus"] = status
    # A line's quantities stand twice: in its shipment and in the order form.
    for holder in (ship, expected["orderForm"]):
        for line_item_id, quantities in (lines or {}).items():
            line_of(holder, line_item_id).update(quantities)


def split_off(
    expected: dict[str, Any], units: dict[str, float], delivered: bool = False, **fields: Any
) -> dict[str, Any]:
    """Append a copy of shipment 1 with `fields` holding `units` of its lines; return shipment 1."""
    source = shipment_of(expected, "1")
    new = copy.deepcopy(source) | fields
    new["lineItems"] = []
    for line_item_id, quantity in units.items():
        state = {"deliveredQuantity": float(quantity)} if delivered else {}
        new["lineItems"].append(moved(line_of(source, line_item_id), quantity, **state))
    expected["orderForm"]["shipments"].append(new)
    return source


async def test_update_order_status(client: httpx.AsyncClient) -> None:
    order = reference_order("EX-STATUS")
    order["status"] = "New"
    order["orderForm"]["shipments"][0]["orderStatus"] = "New"
    expected, after = await replay(client, order, UPDATE_ORDER_STATUS, "UpdateStatus")
    set_status(expected, "InProgress")
    assert strip(after) == strip(expected)


async def test_update_shipment_status_moves_order_once_all_shipments_agree(
    client: httpx.AsyncClient,
) -> None:
    order = reference_order("EX-SHIP")
    first = order["orderForm"]["shipments"][0]
    first["lineItems"] = [x for x in first["lineItems"] if x["lineItemId"] != "6"]
    second = copy.deepcopy(first) | {"shipmentId": "2", "lineItems": [line_of(first, "4")]}
    second["lineItems"] = [copy.deepcopy(line_of(order["orderForm"], "6"))]
    order["orderForm"]["shipments"].append(second)
    expected, after = await replay(client, order, UPDATE_SHIPMENT_STATUS, "UpdateStatus")
    shipment_of(expected, "1")["orderStatus"] = "Completed"
    shipment_of(expected, "1")["shipmentTrackingLink"] = "https://tracking.bring.com/12345"
    expected["status"] = "PartiallyShipped"  # shipment 2 is still InProgress
    assert strip(after) == strip(expected)

    body = {"status": "Completed", "shipmentInfo": {"shipmentId": "2"}}
    after = await post(client, "EX-SHIP", "UpdateStatus", body)
    shipment_of(expected, "2")["orderStatus"] = "Completed"
    expected["status"] = "Completed"  # now every shipment agrees
    assert strip(after) == strip(expected)


async def test_update_status_without_running_workflow(client: httpx.AsyncClient) -> None:
    expected, after = await replay(
        client, reference_order("EX-SKIP"), SKIP_WORKFLOW, "UpdateStatus"
    )
    set_status(expected, "Completed")
    assert strip(after) == strip(expected)


async def test_deliver_items_from_existing_shipment(client: httpx.AsyncClient) -> None:
    expected, after = await replay(client, reference_order("EX-DELIVER"), DELIVER_EXISTING)
    set_status(
        expected, "Completed", {"4": {"deliveredQuantity": 4.0}, "6": {"deliveredQuantity": 6.0}}
    )
    assert strip(after) == strip(expected)


async def test_partial_delivery_creates_shipment_copying_the_original(
    client: httpx.AsyncClient,
) -> None:
    expected, after = await replay(client, reference_order("EX-PARTIAL"), PARTIAL_NEW_SHIPMENT)
    source = split_off(
        expected,
        {"4": 4, "6": 6},
        delivered=True,
        shipmentId="2",
        orderStatus="Completed",
        shippingMethodName="Bring",  # overridden; the rest is copied from shipment 1
        shippingTotal=99.0,  # the cost follows the completed shipment (flag false)
    )
    source["lineItems"] = [line_of(source, "5")]  # units not moved stay
    source["shippingTotal"] = 0.0
    line_of(expected["orderForm"], "4")["deliveredQuantity"] = 4.0
    line_of(expected["orderForm"], "6")["deliveredQuantity"] = 6.0
    expected["status"] = "PartiallyShipped"
    assert strip(after) == strip(expected)


async def test_partial_delivery_keeping_shipping_cost_on_original(
    client: httpx.AsyncClient,
) -> None:
    body = PARTIAL_NEW_SHIPMENT | {"isShippingCostKeptForExistingShipment": True}
    _, after = await replay(client, reference_order("EX-KEEP"), body)
    assert shipment_of(after, "1")["shippingTotal"] == 99.0
    assert shipment_of(after, "2")["shippingTotal"] == 0.0


async def test_shipping_cost_stays_when_new_shipment_is_not_completed(
    client: httpx.AsyncClient,
) -> None:
    body = PARTIAL_NEW_SHIPMENT | {"status": "PackedAndReady"}
    _, after = await replay(client, reference_order("EX-NOTDONE"), body)
    assert shipment_of(after, "1")["shippingTotal"] == 99.0
    assert shipment_of(after, "2")["shippingTotal"] == 0.0


async def test_split_shipment_without_delivering(client: httpx.AsyncClient) -> None:
    expected, after = await replay(client, reference_order("EX-SPLIT"), SPLIT_WITHOUT_DELIVERING)
    source = split_off(
        expected,
        {"4": 2, "6": 1},
        shipmentId="2",
        orderStatus="InProgress",
        shippingMethodName="Bring",
        warehouseCode="warehouse4",
        servicePointId="12345",
        pickUpPointInformation={**PICKUP_POINT, "openingHours": None}
        | {
            "address": PICKUP_POINT["address"] | {"streetName": None, "streetNumber": None},
        },
        shippingTotal=0.0,
    )
    line_of(source, "4")["quantity"] = 2.0
    line_of(source, "6")["quantity"] = 5.0
    assert strip(after) == strip(expected)


async def test_deliver_and_cancel_items(client: httpx.AsyncClient) -> None:
    expected, after = await replay(client, reference_order("EX-CANCEL"), DELIVER_AND_CANCEL)
    lines = {
        "4": {"deliveredQuantity": 4.0},
        "5": {"deliveredQuantity": 2.0, "canceledQuantity": 3.0},
        "6": {"canceledQuantity": 6.0},
    }
    set_status(expected, "Completed", lines)
    assert strip(after) == strip(expected)


async def test_split_a_single_order_line(client: httpx.AsyncClient) -> None:
    expected, after = await replay(client, reference_order("EX-SINGLE"), SPLIT_SINGLE_LINE)
    source = split_off(
        expected,
        {"4": 1},
        shipmentId="2",  # the next free numeric id (house rule 10)
        orderStatus="Completed",
        shippingTotal=99.0,
    )
    line_of(source, "4")["quantity"] = 3.0
    source["shippingTotal"] = 0.0
    expected["status"] = "PartiallyShipped"
    assert strip(after) == strip(expected)


async def test_split_quantity_is_ignored_beside_delivered_quantity(
    client: httpx.AsyncClient,
) -> None:
    body = {
        "status": "Completed",
        "lineItemUpdates": [{"lineItemId": "4", "deliveredQuantity": 4, "splitQuantity": 2}],
        "shipmentInfo": {"shipmentId": "1"},
    }
    expected, after = await replay(client, reference_order("EX-IGNORE"), body)
    set_status(expected, "Completed", {"4": {"deliveredQuantity": 4.0}})
    assert strip(after) == strip(expected)


@pytest.mark.parametrize(
    "body",
    [DELIVER_EXISTING, PARTIAL_NEW_SHIPMENT, SPLIT_WITHOUT_DELIVERING, DELIVER_AND_CANCEL],
    ids=["deliver", "partial", "split", "deliver-and-cancel"],
)
async def test_the_same_request_twice_changes_nothing_the_second_time(
    client: httpx.AsyncClient, body: dict[str, Any]
) -> None:
    _, first = await replay(client, reference_order("EX-TWICE"), body)
    second = await post(client, "EX-TWICE", "OrderLinesUpdate", body)
    assert strip(second) == strip(first)


async def test_packages_are_stored_with_references_and_merged_by_id(
    client: httpx.AsyncClient,
) -> None:
    await create(client, reference_order("EX-PACK"))
    p1 = {
        "id": "00370123450000000017",
        "barcode": "00370123450000000017",
        "weightInKg": 2.5,
        "volume": 12.0,
        "dimensions": {"lengthInCm": 30, "widthInCm": 20, "heightInCm": 20},
        "goodsDescription": "Clothes",
        "lineItemReferences": [{"lineItemId": "4"}],
    }
    p2 = p1 | {
        "id": "00370123450000000024",
        "barcode": "00370123450000000024",
        "lineItemReferences": [{"lineItemId": "6"}],
    }
    body = copy.deepcopy(PARTIAL_NEW_SHIPMENT)
    body["shipmentInfo"]["packages"] = [p1, p2]
    after = await post(client, "EX-PACK", "OrderLinesUpdate", body)
    stored = shipment_of(after, "2")["packages"]
    expected_p1 = p1 | {
        "dimensions": {"heightInCm": 20, "widthInCm": 20, "lengthInCm": 30},
        "shipmentTracking": None,
    }
    assert stored == [
        expected_p1,
        expected_p1
        | {k: p2[k] for k in ("id", "barcode")}
        | {"lineItemReferences": p2["lineItemReferences"]},
    ]
    assert shipment_of(after, "1")["packages"] == []

    # Same id replaces, a new id appends; the first package is kept as it was.
    heavier = p2 | {"weightInKg": 4.0, "goodsDescription": "5 × SKU-6"}
    p3 = p1 | {
        "id": "P3",
        "barcode": "P3",
        "lineItemReferences": [{"lineItemId": "6"}],
    }
    body["shipmentInfo"]["packages"] = [heavier, p3]
    after = await post(client, "EX-PACK", "OrderLinesUpdate", body)
    stored = shipment_of(after, "2")["packages"]
    assert [p["id"] for p in stored] == [p1["id"], p2["id"], "P3"]
    assert [p["weightInKg"] for p in stored] == [2.5, 4.0, 2.5]
    assert stored[1]["lineItemReferences"] == [{"lineItemId": "6"}]
    assert stored[1]["goodsDescription"] == "5 × SKU-6"


async def test_ready_for_pickup_quantity_is_absolute_on_the_target(
    client: httpx.AsyncClient,
) -> None:
    body = {
        "status": "ReadyForPickup",
        "lineItemUpdates": [{"lineItemId": "5", "readyForPickupQuantity": 5}],
        "shipmentInfo": {"shipmentId": "1"},
    }
    order = reference_order("EX-RFP", order_type="ClickAndCollect")
    expected, after = await replay(client, order, body)
    set_status(expected, "ReadyForPickup", {"5": {"readyForPickupQuantity": 5.0}})
    assert strip(after) == strip(expected)


async def test_units_move_between_existing_shipments(client: httpx.AsyncClient) -> None:
    await replay(client, reference_order("EX-MOVE"), SPLIT_WITHOUT_DELIVERING)
    # Deliver all 4 units of line 4 from shipment 2, which holds 2: it takes 2 more from 1.
    body = {
        "status": "Completed",
        "lineItemUpdates": [{"lineItemId": "4", "deliveredQuantity": 4}],
        "shipmentInfo": {"shipmentId": "2"},
    }
    after = await post(client, "EX-MOVE", "OrderLinesUpdate", body)
    assert [x["lineItemId"] for x in shipment_of(after, "1")["lineItems"]] == ["5", "6"]
    four = line_of(shipment_of(after, "2"), "4")
    assert (four["quantity"], four["deliveredQuantity"]) == (4.0, 4.0)
    assert line_of(after["orderForm"], "4")["deliveredQuantity"] == 4.0


async def test_split_naming_the_holding_shipment_creates_a_numbered_one(
    client: httpx.AsyncClient,
) -> None:
    body = {
        "status": "InProgress",
        "lineItemUpdates": [{"lineItemId": "5", "splitQuantity": 2}],
        "shipmentInfo": {"shipmentId": "1"},
    }
    _, after = await replay(client, reference_order("EX-R10"), body)
    assert [s["shipmentId"] for s in after["orderForm"]["shipments"]] == ["1", "2"]
    assert line_of(shipment_of(after, "1"), "5")["quantity"] == 3.0
    assert line_of(shipment_of(after, "2"), "5")["quantity"] == 2.0


async def test_moving_every_unit_leaves_no_empty_source_shipment(
    client: httpx.AsyncClient,
) -> None:
    body = {
        "status": "Completed",
        "lineItemUpdates": [
            {"lineItemId": i, "deliveredQuantity": q} for i, q in (("4", 4), ("5", 5), ("6", 6))
        ],
        "shipmentInfo": {"shipmentId": "OSLO-1"},
    }
    _, after = await replay(client, reference_order("EX-ALL"), body)
    assert [s["shipmentId"] for s in after["orderForm"]["shipments"]] == ["OSLO-1"]
    assert shipment_of(after, "OSLO-1")["shippingTotal"] == 99.0
    assert after["status"] == "Completed"


def pascal(value: Any) -> Any:
    """The same JSON with PascalCase property names."""
    if isinstance(value, dict):
        return {k[:1].upper() + k[1:]: pascal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [pascal(v) for v in value]
    return value


async def test_pascal_case_input_gives_the_same_camel_case_result(
    client: httpx.AsyncClient,
) -> None:
    _, camel = await replay(client, reference_order("EX-CAMEL"), PARTIAL_NEW_SHIPMENT)
    order = pascal(reference_order("EX-PASCAL"))
    # A field of the contract the models do not name is kept as it came.
    order["OrderForm"]["Shipments"][0]["GoodsDescription"] = "kept"
    answer = await client.post("/api/Orders", json=order)
    assert answer.status_code == 201, answer.text
    assert shipment_of(answer.json(), "1")["goodsDescription"] == "kept"
    result = await post(client, "EX-PASCAL", "OrderLinesUpdate", pascal(PARTIAL_NEW_SHIPMENT))
    for doc in (camel, result):
        doc.pop("id"), doc.pop("orderNumber")
        for shipment in doc["orderForm"]["shipments"]:
            shipment.pop("goodsDescription", None)
    assert strip(result) == strip(camel)


REALLOCATE = {
    "status": "InProgress",
    "lineItemUpdates": [{"lineItemId": "4", "reallocateQuantity": 2}],
    "shipmentInfo": {"shipmentId": "1"},
}


async def test_reallocate_moves_units_to_a_warehouse_that_has_them(
    client: httpx.AsyncClient,
) -> None:
    before = await create(client, reference_order("EX-REALLOC"))
    for warehouse, units in (("WH-OSLO", 50), ("WH-AAA", 1), ("WH-BERGEN", 10)):
        body = {"warehouse": warehouse, "sku": "SKU-4", "quantity": units}
        assert (await client.put("/sandbox/stock", json=body)).status_code == 200
    answer = await client.post("/api/Orders/EX-REALLOC/OrderLinesUpdate", json=REALLOCATE)
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert [
        (r["actionType"], r["actionStatus"]) for r in result["orderActionExecutionResults"]
    ] == [("Reallocate", "Success")]
    after = result["order"]
    expected = copy.deepcopy(before)
    source = split_off(
        expected,
        {"4": 2},
        shipmentId="2",
        warehouseCode="WH-BERGEN",  # WH-AAA has too few, WH-OSLO is where they are now
        shippingTotal=0.0,
    )
    line_of(source, "4")["quantity"] = 2.0
    assert strip(after) == strip(expected)
    assert (await client.get("/api/Orders/EX-REALLOC")).json() == after


async def test_reallocate_without_stock_elsewhere_is_a_warning_and_moves_nothing(
    client: httpx.AsyncClient,
) -> None:
    before = await create(client, reference_order("EX-NOSTOCK"))
    answer = await client.post("/api/Orders/EX-NOSTOCK/OrderLinesUpdate", json=REALLOCATE)
    assert answer.status_code == 200, answer.text
    result = answer.json()
    [action] = result["orderActionExecutionResults"]
    assert (action["actionType"], action["actionStatus"]) == ("Reallocate", "Warning")
    assert "SKU-4" in action["errorReason"]
    after = result["order"]
    assert [(e["key"], e["severity"]) for e in after["errors"]] == [("Reallocate", "Warning")]
    after["errors"] = []
    assert strip(after) == strip(before)


async def test_reallocating_more_than_is_open_is_400(client: httpx.AsyncClient) -> None:
    await create(client, reference_order("EX-REALLOC-MAX"))
    body = copy.deepcopy(REALLOCATE)
    body["lineItemUpdates"][0]["reallocateQuantity"] = 5
    answer = await client.post("/api/Orders/EX-REALLOC-MAX/OrderLinesUpdate", json=body)
    assert answer.status_code == 400
    assert "'4'" in answer.json()["detail"]
