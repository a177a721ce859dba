"""The sandbox refuses what Omnium's contract does not have, unless it runs lenient; statuses
must be the order type's; OrderTypes answers in Omnium's shape; house rule 6."""

from __future__ import annotations

import copy
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sandbox_support import BASE, api, create, reference_order, shipment_of

from packstation.omnium.client import OmniumClient
from packstation.omnium.contract import check_response
from packstation.sandbox.app import create_app
from packstation.sandbox.auth import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from packstation.sandbox.process import _child_args

PACKED = {
    "status": "Completed",
    "lineItemUpdates": [{"lineItemId": "4", "deliveredQuantity": 4}],
    "shipmentInfo": {
        "shipmentId": "2",
        "packages": [
            {
                "id": "P1",
                "weightInKg": 2,
                "goodsDescription": "4 × SKU-4",
                "lineItemReferences": [{"lineItemId": "4", "quantity": 4}],
            }
        ],
    },
}


@pytest.fixture
def strict(tmp_path: Path) -> FastAPI:
    app = create_app(tmp_path / "strict")
    app.state.sandbox.workflow_config = app.state.sandbox.workflow_config.without_latency()
    yield app
    app.state.sandbox.close()


@pytest.fixture
def lenient(tmp_path: Path) -> FastAPI:
    app = create_app(tmp_path / "lenient", lenient=True)
    app.state.sandbox.workflow_config = app.state.sandbox.workflow_config.without_latency()
    yield app
    app.state.sandbox.close()


async def test_a_field_omnium_lacks_is_400_naming_it(strict: FastAPI) -> None:
    async with api(strict) as client:
        await create(client, reference_order("C-1"))
        answer = await client.post("/api/Orders/C-1/OrderLinesUpdate", json=PACKED)
        assert answer.status_code == 400
        detail = answer.json()["detail"]
        assert "shipmentInfo.packages[0].lineItemReferences[0].quantity" in detail
        assert "not a field of Omnium's contract" in detail
        # Nothing was applied.
        order = (await client.get("/api/Orders/C-1")).json()
        assert [s["shipmentId"] for s in order["orderForm"]["shipments"]] == ["1"]
        search = await client.post("/api/Orders/Search", json={"selectedWarehouses": ["WH"]})
        assert search.status_code == 400 and "selectedWarehouses" in search.json()["detail"]
        status = await client.post(
            "/api/Orders/C-1/UpdateStatus", json={"status": "InProgress", "force": True}
        )
        assert status.status_code == 400 and "force" in status.json()["detail"]


async def test_null_where_the_contract_allows_none_is_400(strict: FastAPI) -> None:
    async with api(strict) as client:
        await create(client, reference_order("C-2"))
        body = {
            "status": "Completed",
            "lineItemUpdates": [{"lineItemId": "4", "deliveredQuantity": None}],
        }
        answer = await client.post("/api/Orders/C-2/OrderLinesUpdate", json=body)
        assert answer.status_code == 400
        assert (
            "lineItemUpdates[0].deliveredQuantity: null is not allowed" in answer.json()["detail"]
        )


async def test_lenient_ignores_unknown_fields_and_stores_none_of_them(lenient: FastAPI) -> None:
    async with api(lenient) as client:
        await create(client, reference_order("C-3") | {"legacyField": 1})
        answer = await client.post("/api/Orders/C-3/OrderLinesUpdate", json=PACKED)
        assert answer.status_code == 200, answer.text
        result = answer.json()
        [package] = shipment_of(result["order"], "2")["packages"]
        assert package["lineItemReferences"] == [{"lineItemId": "4"}]
        assert "legacyField" not in result["order"]
        path = "/api/Orders/{orderId}/OrderLinesUpdate"
        assert check_response("POST", path, 200, result) == []
        # Everything else is still held to the contract.
        wrong = copy.deepcopy(PACKED)
        wrong["lineItemUpdates"][0]["deliveredQuantity"] = "four"
        assert (
            await client.post("/api/Orders/C-3/OrderLinesUpdate", json=wrong)
        ).status_code == 400


@pytest.mark.parametrize(
    ("endpoint", "body"),
    [
        ("UpdateStatus", {"status": "Shipped"}),
        (
            "OrderLinesUpdate",
            {"status": "Shipped", "lineItemUpdates": [{"lineItemId": "4", "deliveredQuantity": 4}]},
        ),
        (
            "OrderLinesUpdate",
            {
                "status": "Completed",
                "lineItemUpdates": [{"lineItemId": "4", "deliveredQuantity": 4}],
                "shipmentInfo": {"shipmentId": "1", "orderStatus": "Shipped"},
            },
        ),
    ],
    ids=["update-status", "lines-update", "shipment-order-status"],
)
async def test_a_status_the_order_type_lacks_is_400_naming_the_types_statuses(
    strict: FastAPI, endpoint: str, body: dict[str, object]
) -> None:
    async with api(strict) as client:
        await create(client, reference_order("C-4"))
        answer = await client.post(f"/api/Orders/C-4/{endpoint}", json=body)
        assert answer.status_code == 400
        detail = answer.json()["detail"]
        assert "'Shipped'" in detail and "'Online'" in detail
        assert "InProgress" in detail and "Completed" in detail
        assert (await client.get("/api/Orders/C-4")).json()["status"] == "InProgress"


async def test_order_types_in_omniums_shape_through_the_client(strict: FastAPI) -> None:
    async with OmniumClient(
        BASE, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, transport=httpx.ASGITransport(app=strict)
    ) as client:
        types = {t.name: t for t in await client.order_types()}
    online = types["Online"]
    assert online.default_order_type and online.derive_order_status_from_shipments
    assert {"New", "InProgress", "Completed", "PartiallyShipped"} <= set(online.status_names)
    assert {"PackedAndReady", "Ship"} <= set(online.status_names)
    ship = online.status("Ship")
    assert ship is not None and ship.shipment_status_update == "Shipped"
    packed = online.status("PackedAndReady")
    assert packed is not None
    steps = [(s.name, s.stop_on_error, s.active) for s in packed.workflow_steps]
    assert ("PrintShippingLabel", True, True) in steps
    pickup = types["ClickAndCollect"].status("ReadyForPickup")
    assert pickup is not None
    notification = next(s for s in pickup.workflow_steps if s.name == "Notification")
    assert notification.property_value("channel") == "sms"


async def test_a_shipment_without_its_own_order_status_is_in_the_orders(strict: FastAPI) -> None:
    order = reference_order("C-6")
    del order["orderForm"]["shipments"][0]["orderStatus"]
    async with api(strict) as client:
        created = await create(client, order)
        assert shipment_of(created, "1")["orderStatus"] is None
        body = {
            "status": "Completed",
            "lineItemUpdates": [{"lineItemId": "4", "deliveredQuantity": 4}],
            "shipmentInfo": {"shipmentId": "2"},
        }
        answer = await client.post("/api/Orders/C-6/OrderLinesUpdate", json=body)
        assert answer.status_code == 200, answer.text
        result = answer.json()["order"]
        assert shipment_of(result, "2")["orderStatus"] == "Completed"
        assert result["status"] == "PartiallyShipped"


def test_the_embedded_sandbox_passes_lenient_to_its_child() -> None:
    import socket

    with socket.socket() as sock:
        assert _child_args(sock, Path("/d"), True)[-1] == "--lenient"
        assert "--lenient" not in _child_args(sock, Path("/d"), False)
