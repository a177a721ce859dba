"""Every documented error, as ProblemDetails, and that a refused request changes nothing."""

from __future__ import annotations

import asyncio
import copy
import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sandbox_support import api, app_with_config, create, reference_order, shipment_of

from packstation.sandbox.runtime import RequestGate

DELIVER = {
    "status": "Completed",
    "lineItemUpdates": [{"lineItemId": "4", "deliveredQuantity": 4}],
    "shipmentInfo": {"shipmentId": "1"},
}


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return app_with_config(tmp_path)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with api(app) as c:
        await create(c, reference_order("E-1"))
        yield c
    app.state.sandbox.close()


def assert_problem(answer: httpx.Response, status: int, *words: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = answer.json()
    assert set(body) == {"type", "title", "status", "detail", "traceId"}
    assert body["status"] == status
    assert body["traceId"]
    for word in words:
        assert word.lower() in body["detail"].lower(), body["detail"]
    assert "Traceback" not in answer.text
    return body


async def unchanged(client: httpx.AsyncClient, before: dict[str, Any], order_id: str) -> None:
    assert (await client.get(f"/api/Orders/{order_id}")).json() == before


async def test_missing_status_is_400_naming_it(client: httpx.AsyncClient) -> None:
    before = (await client.get("/api/Orders/E-1")).json()
    answer = await client.post("/api/Orders/E-1/UpdateStatus", json={"skipRunWorkflow": True})
    assert_problem(answer, 400, "status")
    body = {k: v for k, v in DELIVER.items() if k != "status"}
    answer = await client.post("/api/Orders/E-1/OrderLinesUpdate", json=body)
    assert_problem(answer, 400, "status")
    answer = await client.post("/api/Orders/E-1/UpdateStatus", json={"status": ""})
    assert_problem(answer, 400, "status")
    await unchanged(client, before, "E-1")


@pytest.mark.parametrize(
    "updates",
    [None, [], [{"lineItemId": "4", "deliveredQuantity": 0}] * 251],
    ids=["missing", "empty", "251"],
)
async def test_missing_empty_or_too_many_line_updates_are_400(
    client: httpx.AsyncClient, updates: list[Any] | None
) -> None:
    body: dict[str, Any] = {"status": "Completed"}
    if updates is not None:
        body["lineItemUpdates"] = updates
    answer = await client.post("/api/Orders/E-1/OrderLinesUpdate", json=body)
    assert_problem(answer, 400, "lineItemUpdates")


async def test_unknown_order_is_404(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get("/api/Orders/NOPE"), 404, "NOPE")
    answer = await client.post("/api/Orders/NOPE/OrderLinesUpdate", json=DELIVER)
    assert_problem(answer, 404, "NOPE")
    answer = await client.post("/api/Orders/NOPE/UpdateStatus", json={"status": "New"})
    assert_problem(answer, 404, "NOPE")


async def test_unknown_line_item_is_404_naming_it(client: httpx.AsyncClient) -> None:
    before = (await client.get("/api/Orders/E-1")).json()
    body = copy.deepcopy(DELIVER)
    body["lineItemUpdates"].append({"lineItemId": "L-404", "deliveredQuantity": 1})
    answer = await client.post("/api/Orders/E-1/OrderLinesUpdate", json=body)
    assert_problem(answer, 404, "L-404")
    await unchanged(client, before, "E-1")


async def test_unknown_shipment_in_update_status_is_404(client: httpx.AsyncClient) -> None:
    body = {"status": "Completed", "shipmentInfo": {"shipmentId": "S-9"}}
    answer = await client.post("/api/Orders/E-1/UpdateStatus", json=body)
    assert_problem(answer, 404, "S-9")


@pytest.mark.parametrize(
    ("update", "shipment"),
    [
        ({"lineItemId": "4", "deliveredQuantity": 5}, "1"),
        ({"lineItemId": "6", "deliveredQuantity": 7}, "NEW"),
        ({"lineItemId": "5", "deliveredQuantity": 3, "canceledQuantity": 3}, "1"),
        ({"lineItemId": "5", "splitQuantity": 6}, "NEW"),
    ],
    ids=["deliver-too-many", "new-shipment-too-many", "deliver-plus-cancel", "split-too-many"],
)
async def test_quantities_beyond_what_is_left_are_400_naming_the_line(
    client: httpx.AsyncClient, update: dict[str, Any], shipment: str
) -> None:
    before = (await client.get("/api/Orders/E-1")).json()
    body = {
        "status": "Completed",
        "lineItemUpdates": [update],
        "shipmentInfo": {"shipmentId": shipment},
    }
    answer = await client.post("/api/Orders/E-1/OrderLinesUpdate", json=body)
    assert_problem(answer, 400, f"'{update['lineItemId']}'")
    await unchanged(client, before, "E-1")


async def test_negative_quantity_is_400_naming_the_field(client: httpx.AsyncClient) -> None:
    body = {
        "status": "Completed",
        "lineItemUpdates": [{"lineItemId": "4", "deliveredQuantity": -1}],
    }
    answer = await client.post("/api/Orders/E-1/OrderLinesUpdate", json=body)
    assert_problem(answer, 400, "lineItemUpdates.0.deliveredQuantity")


async def test_duplicate_line_in_one_request_is_400(client: httpx.AsyncClient) -> None:
    body = copy.deepcopy(DELIVER)
    body["lineItemUpdates"].append({"lineItemId": "4", "canceledQuantity": 1})
    answer = await client.post("/api/Orders/E-1/OrderLinesUpdate", json=body)
    assert_problem(answer, 400, "'4'")


@pytest.mark.parametrize(
    "package",
    [
        {"id": "P1", "lineItemReferences": [{"lineItemId": "5"}]},
        {"id": "P1", "lineItemReferences": [{"lineItemId": "4"}, {"lineItemId": "nope"}]},
    ],
    ids=["line-not-in-shipment", "unknown-line"],
)
async def test_bad_package_references_are_400(
    client: httpx.AsyncClient, package: dict[str, Any]
) -> None:
    before = (await client.get("/api/Orders/E-1")).json()
    body = copy.deepcopy(DELIVER)
    body["shipmentInfo"] = {"shipmentId": "NEW", "packages": [package]}
    answer = await client.post("/api/Orders/E-1/OrderLinesUpdate", json=body)
    assert_problem(answer, 400, "P1")
    await unchanged(client, before, "E-1")


async def test_invalid_json_and_wrong_shapes_are_400_not_422(client: httpx.AsyncClient) -> None:
    answer = await client.post(
        "/api/Orders/E-1/OrderLinesUpdate",
        content=b"{not json",
        headers={"content-type": "application/json"},
    )
    assert_problem(answer, 400, "json")
    for body in ([], "x", 3, {"status": 5, "lineItemUpdates": "no"}):
        answer = await client.post("/api/Orders/E-1/OrderLinesUpdate", json=body)
        assert_problem(answer, 400)
    answer = await client.get("/api/Orders/GetOrders", params={"page": "abc"})
    assert_problem(answer, 400, "page")
    answer = await client.post("/api/Orders/Search", json={"take": 101})
    assert_problem(answer, 400, "take")


async def test_body_size_limit_is_413(client: httpx.AsyncClient) -> None:
    huge = {"status": "Completed", "lineItemUpdates": [{"lineItemId": "4"}], "pad": "x" * 2_100_000}
    answer = await client.post("/api/Orders/E-1/OrderLinesUpdate", json=huge)
    assert_problem(answer, 413)


async def test_unknown_route_and_method_are_problems(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get("/api/Nothing"), 404)
    assert_problem(await client.delete("/api/Orders/E-1"), 405)


async def test_duplicate_order_id_is_409(client: httpx.AsyncClient) -> None:
    answer = await client.post("/api/Orders", json=reference_order("E-1"))
    assert_problem(answer, 409, "E-1")


async def test_bad_new_orders_are_400(client: httpx.AsyncClient) -> None:
    order = reference_order("E-2")
    order["orderForm"]["lineItems"].append(copy.deepcopy(order["orderForm"]["lineItems"][0]))
    assert_problem(await client.post("/api/Orders", json=order), 400, "'4'")
    order = reference_order("E/3")
    assert_problem(await client.post("/api/Orders", json=order), 400, "id")
    order = reference_order("E-4")
    order["orderForm"]["shipments"][0]["lineItems"][0]["lineItemId"] = "ghost"
    assert_problem(await client.post("/api/Orders", json=order), 400, "ghost")


async def test_queued_order_refuses_writes_then_becomes_writable(
    client: httpx.AsyncClient,
) -> None:
    answer = await client.post(
        "/sandbox/faults", json={"kind": "queued", "orderId": "E-1", "seconds": 0.3}
    )
    assert answer.status_code == 200
    queued = (await client.get("/api/Orders/E-1")).json()
    assert queued["status"] == "Queued"
    for endpoint, body in (("OrderLinesUpdate", DELIVER), ("UpdateStatus", {"status": "New"})):
        answer = await client.post(f"/api/Orders/E-1/{endpoint}", json=body)
        assert_problem(answer, 400, "queued")
    await unchanged(client, queued, "E-1")
    await asyncio.sleep(0.35)
    assert (await client.get("/api/Orders/E-1")).json()["status"] == "InProgress"
    answer = await client.post("/api/Orders/E-1/OrderLinesUpdate", json=DELIVER)
    assert answer.status_code == 200


async def test_created_queued_order_moves_to_new_after_the_configured_delay(
    tmp_path: Path,
) -> None:
    config = tmp_path / "w.toml"
    config.write_text("[sandbox]\nqueuedSeconds = 0.2\n[orderTypes.Online.New]\nsteps = []\n")
    from packstation.sandbox.app import create_app

    app = create_app(tmp_path / "d", config_path=config)
    async with api(app) as c:
        order = reference_order("Q-1") | {"status": "Queued"}
        await create(c, order)
        answer = await c.post("/api/Orders/Q-1/UpdateStatus", json={"status": "InProgress"})
        assert_problem(answer, 400, "queued")
        await asyncio.sleep(0.25)
        assert (await c.get("/api/Orders/Q-1")).json()["status"] == "New"
        # The seeded demo order ORD-1014 is queued too, and is released the same way.
        assert (await c.get("/api/Orders/ORD-1014")).json()["status"] == "New"
    app.state.sandbox.close()


async def test_read_only_order_refuses_writes(client: httpx.AsyncClient) -> None:
    await create(client, reference_order("E-RO") | {"isReadOnly": True})
    answer = await client.post("/api/Orders/E-RO/OrderLinesUpdate", json=DELIVER)
    assert_problem(answer, 400, "read-only")
    answer = await client.post("/api/Orders/E-RO/UpdateStatus", json={"status": "New"})
    assert_problem(answer, 400, "read-only")


async def test_server_error_fault_answers_500_without_applying(
    client: httpx.AsyncClient,
) -> None:
    before = (await client.get("/api/Orders/E-1")).json()
    answer = await client.post(
        "/sandbox/faults", json={"kind": "server_error", "orderId": "E-1", "count": 2}
    )
    assert answer.status_code == 200
    for _ in range(2):
        answer = await client.post("/api/Orders/E-1/OrderLinesUpdate", json=DELIVER)
        assert_problem(answer, 500)
        await unchanged(client, before, "E-1")
    answer = await client.post("/api/Orders/E-1/OrderLinesUpdate", json=DELIVER)
    assert answer.status_code == 200
    assert shipment_of(answer.json()["order"], "1")["orderStatus"] == "Completed"


async def test_lock_fault_gives_409_to_writes_but_not_reads(client: httpx.AsyncClient) -> None:
    answer = await client.post(
        "/sandbox/faults", json={"kind": "lock", "orderId": "E-1", "seconds": 0.3}
    )
    assert answer.status_code == 200
    assert_problem(await client.post("/api/Orders/E-1/OrderLinesUpdate", json=DELIVER), 409, "lock")
    assert_problem(
        await client.post("/api/Orders/E-1/UpdateStatus", json={"status": "New"}), 409, "lock"
    )
    assert (await client.get("/api/Orders/E-1")).status_code == 200
    await asyncio.sleep(0.35)
    assert (await client.post("/api/Orders/E-1/OrderLinesUpdate", json=DELIVER)).status_code == 200


async def test_too_many_concurrent_requests_is_429_with_retry_after(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    await create(client, reference_order("E-SLOW", order_type="Slow"))
    app.state.sandbox.gate = RequestGate(1)
    slow = asyncio.create_task(client.post("/api/Orders/E-SLOW/OrderLinesUpdate", json=DELIVER))
    await asyncio.sleep(0.15)
    answer = await client.get("/api/Orders/E-1")
    body = assert_problem(answer, 429)
    assert answer.headers["retry-after"] == "1"
    assert "demo-station" in body["detail"]
    assert (await slow).status_code == 200
    assert (await client.get("/api/Orders/E-1")).status_code == 200


async def test_admin_faults_validate_their_input(client: httpx.AsyncClient) -> None:
    assert_problem(await client.post("/sandbox/faults", json={"kind": "melt"}), 400, "kind")
    assert_problem(await client.post("/sandbox/faults", json={"kind": "lock"}), 400, "orderId")
    answer = await client.post("/sandbox/faults", json={"kind": "lock", "orderId": "NOPE"})
    assert_problem(answer, 404, "NOPE")


async def test_an_order_queued_by_a_client_is_released_too(app: FastAPI) -> None:
    app.state.sandbox.options = dataclasses.replace(app.state.sandbox.options, queued_seconds=0.2)
    async with api(app) as client:
        await create(client, reference_order("E-Q"))
        body = {"status": "Queued", "skipRunWorkflow": True}
        assert (await client.post("/api/Orders/E-Q/UpdateStatus", json=body)).status_code == 200
        answer = await client.post("/api/Orders/E-Q/OrderLinesUpdate", json=DELIVER)
        assert_problem(answer, 400, "queued")
        await asyncio.sleep(0.25)
        assert (await client.get("/api/Orders/E-Q")).json()["status"] == "New"
        assert (
            await client.post("/api/Orders/E-Q/OrderLinesUpdate", json=DELIVER)
        ).status_code == 200
