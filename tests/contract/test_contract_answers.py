"""Every 2xx answer of the sandbox (and every request the client sends it) keeps Omnium's
contract: the station's whole conversation with the sandbox goes through a checking transport."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal

import httpx
import pytest
from contract_support import ContractTransport
from fastapi import FastAPI

from packstation.omnium.client import OmniumClient
from packstation.omnium.errors import BadRequest
from packstation.omnium.models import OmniumOrder
from packstation.omnium.search import OrderSearchRequest
from packstation.omnium.workflow import UpdateShipmentInfo, UpdateStatusPatch
from packstation.packing.decisions import Decision, SplitTarget
from packstation.packing.plan import plan_submission
from packstation.packing.rules import PackingRules
from packstation.packing.session import PackingSession
from packstation.sandbox.app import create_app
from packstation.sandbox.auth import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from packstation.station.queue import read_queue

WAREHOUSE = "WH-OSLO"


@pytest.fixture
def app() -> FastAPI:
    sandbox = create_app()
    runtime = sandbox.state.sandbox
    runtime.workflow_config = runtime.workflow_config.without_latency()
    yield sandbox
    runtime.close()


@pytest.fixture
async def checked(app: FastAPI) -> AsyncIterator[tuple[OmniumClient, ContractTransport]]:
    transport = ContractTransport(httpx.ASGITransport(app=app))
    async with OmniumClient(
        "http://sandbox.test", DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, transport=transport
    ) as client:
        yield client, transport


class Serial:
    def __init__(self) -> None:
        self.n = 0

    def __call__(self) -> str:
        self.n += 1
        return f"37012345{self.n:09d}0"


def _session(order: OmniumOrder) -> PackingSession:
    session = PackingSession(order, PackingRules(warehouse=WAREHOUSE))
    session.set_packer("P1")
    return session


def _pack(session: PackingSession, units: dict[str, int] | None = None) -> PackingSession:
    for line in session.lines():
        wanted = line.remaining if units is None else Decimal(units.get(line.line_item_id, 0))
        if wanted > 0:
            assert session.pack(line.line_item_id, wanted).ok
    for view in session.packages():
        if view.weight_kg is None:
            assert session.set_weight(Decimal("1.2"), package_no=view.package_no).ok
    return session


async def _submit(client: OmniumClient, session: PackingSession, sscc: Serial) -> None:
    plan = plan_submission(session, sscc=sscc)
    for patch in plan.requests:
        await client.order_lines_update(plan.order_id, patch)


async def test_every_answer_and_request_keeps_the_contract(
    app: FastAPI, checked: tuple[OmniumClient, ContractTransport]
) -> None:
    client, transport = checked
    sscc = Serial()
    runtime = app.state.sandbox
    for order_id in runtime.store.order_ids():
        await client.get_order(order_id)
    queue = await read_queue(client, WAREHOUSE, statuses=["InProgress"])
    assert queue.entries
    await client.search_orders(OrderSearchRequest(has_errors=True, take=10))
    await client.search_orders(OrderSearchRequest(tags=["vip"], sort_order="CreatedDescending"))
    await client.get_orders(status="InProgress", page=1, page_size=5)
    assert await client.order_types()

    # Deliver everything; a partial delivery (the rest kept); deliver + cancel; splits.
    await _submit(client, _pack(_session(await client.get_order("ORD-1001"))), sscc)
    partial = _session(await client.get_order("ORD-1008"))
    first = partial.lines()[0].line_item_id
    await _submit(client, _pack(partial, {first: 1}), sscc)
    cancel = _pack(_session(await client.get_order("ORD-1003")), {})
    lines = cancel.lines()
    assert cancel.pack(lines[0].line_item_id).ok
    cancel.set_decision(lines[1].line_item_id, Decision.CANCEL)
    await _submit(client, _pack(cancel, {}), sscc)
    split = _session(await client.get_order("ORD-1002"))
    assert split.pack(split.lines()[0].line_item_id).ok
    split.set_decision(split.lines()[0].line_item_id, Decision.SPLIT, SplitTarget("WH-BERGEN"))
    await _submit(client, _pack(split, {}), sscc)
    pickup = _session(await client.get_order("ORD-1004"))
    [line, *_] = pickup.lines()
    pickup.set_decision(line.line_item_id, Decision.SPLIT, SplitTarget(None, "SP-1"))
    for other in pickup.lines()[1:]:
        assert pickup.pack(other.line_item_id, other.remaining).ok
    await _submit(client, _pack(pickup, {}), sscc)
    # Chunked: 250 lines in one order (ORD-1009) go in one request of 250.
    await _submit(client, _pack(_session(await client.get_order("ORD-1009"))), sscc)

    # UpdateStatus with and without the workflow, order-level and shipment-level.
    await client.update_status("ORD-1024", UpdateStatusPatch(status="InProgress"))
    await client.update_status(
        "ORD-1025",
        UpdateStatusPatch(
            status="Completed",
            shipment_info=UpdateShipmentInfo(shipment_id="1"),
            skip_run_workflow=True,
        ),
    )
    created = (await client.get_order("ORD-1026")).model_copy(update={"id": "ORD-NEW-1"})
    await client.create_order(created)
    with pytest.raises(BadRequest):
        await client.update_status("ORD-1027", UpdateStatusPatch(status="NoSuchStatus"))

    assert transport.broken == [], "\n".join(str(e) for e in transport.broken)
    answered = transport.endpoints()
    assert {
        ("POST", "/api/Token"),
        ("GET", "/api/Orders/{id}"),
        ("POST", "/api/Orders/Search"),
        ("GET", "/api/Orders/GetOrders"),
        ("GET", "/api/Settings/OrderTypes"),
        ("POST", "/api/Orders"),
        ("POST", "/api/Orders/{orderId}/UpdateStatus"),
        ("POST", "/api/Orders/{orderId}/OrderLinesUpdate"),
    } <= answered


async def test_a_dry_run_answer_keeps_the_contract(
    app: FastAPI, checked: tuple[OmniumClient, ContractTransport]
) -> None:
    client, transport = checked
    order = await client.get_order("ORD-1030")
    # Carts are the sandbox's own endpoint (not Omnium's): created outside the checked path.
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://sandbox.test"
    ) as raw:
        token = await client.get_token()
        cart = order.model_copy(update={"id": "CART-1"}).to_json_dict()
        answer = await raw.post(
            "/api/Carts", json=cart, headers={"Authorization": f"Bearer {token}"}
        )
        assert answer.status_code == 201, answer.text
    result = await client.process_cart_workflow_test("CART-1", "Completed")
    assert result.order_action_execution_results
    assert transport.broken == [], "\n".join(str(e) for e in transport.broken)
