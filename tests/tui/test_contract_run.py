"""The real app against Omnium's contract: a recorded run where every request and answer is
checked, Omnium's documented order (with nulls) served by a stand-in, and a queue that
refreshes by itself when a submit lands."""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal
from pathlib import Path

import httpx
from contract_support import ContractTransport
from fastapi import FastAPI
from textual.widgets import DataTable
from tui_support import SIZE, burst, make_app, open_order, scans, settle, started, wait_for

from packstation.labels.label import labels_for_submission
from packstation.labels.sscc import SsccAllocator
from packstation.omnium.client import OmniumClient
from packstation.omnium.contract import with_nulls
from packstation.packing.plan import plan_submission
from packstation.sandbox.auth import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from packstation.tui.screens.order import OrderScreen
from packstation.tui.screens.pack import PackScreen
from packstation.tui.screens.review import ReviewScreen
from packstation.tui.screens.workflow import WorkflowScreen

# ORD-1003 at WH-OSLO: line 1 NH-1002 x2, line 2 NH-1006 x1, line 3 NH-1014 x1, line 4 NH-1020 x1
EAN_1 = "7042113000020"
EAN_2 = "084213000064"
EAN_3 = "084213000149"
EAN_4 = "7042113000204"
FETCHED = Path(__file__).parents[1] / "unit" / "data" / "omnium_fetched_order.json"


def queue_ids(screen: OrderScreen) -> list[str]:
    table = screen.query_one("#queue", DataTable)
    return [str(key.value) for key in table.rows]


async def test_a_recorded_run_sends_and_gets_only_what_the_contract_allows(
    sandbox_app: FastAPI, tmp_path: Path
) -> None:
    transport = ContractTransport(httpx.ASGITransport(app=sandbox_app))
    async with OmniumClient(
        "http://sandbox.test", DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, transport=transport
    ) as client:
        app = make_app(client, tmp_path / "station")
        async with app.run_test(size=SIZE) as pilot:
            await started(pilot, app)
            orders = app.screen
            assert isinstance(orders, OrderScreen)
            await wait_for(pilot, lambda: "ORD-1003" in queue_ids(orders))
            await open_order(app, pilot, "ORD-1003", packer="anna")
            # Two packages; one unit of line 1 kept for later, line 3 cancelled, line 4 split.
            burst(app, scans(EAN_1, "BOX-M", "3103001200", "CMD-NEW-PACKAGE"))
            burst(app, scans(EAN_2, "3103000800", "CMD-CANCEL-LINE", EAN_3))
            burst(app, scans("CMD-SPLIT-LINE", EAN_4, "CMD-SUBMIT"))
            await settle(pilot, app)
            assert isinstance(app.screen, ReviewScreen)
            burst(app, scans("CMD-SUBMIT"))
            await settle(pilot, app)
            screen = app.screen
            assert isinstance(screen, WorkflowScreen)
            await wait_for(pilot, lambda: screen.tracker.finished)
            assert screen.tracker.outcome is not None
            assert screen.tracker.outcome.state == "done"
    assert transport.broken == [], "\n".join(str(e) for e in transport.broken)
    kinds = [(e.method, e.template) for e in transport.exchanges]
    assert ("POST", "/api/Orders/Search") in kinds
    assert ("GET", "/api/Orders/{id}") in kinds
    writes = [e for e in transport.exchanges if e.template and "OrderLinesUpdate" in e.template]
    assert len(writes) == 2 and all(e.status == 200 for e in writes)  # the split, the delivery
    # Each package's carrier label was read from the link Omnium holds for it.
    assert len(transport.links) == 2
    assert all("/labels/ORD-1003/" in link for link in transport.links)


def stand_in(order: dict[str, object]) -> httpx.MockTransport:
    """Omnium as a stand-in: a token, the order, a search finding it, the order types; 404 for
    the rest."""

    def answer(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/api/Token":
            return httpx.Response(200, json={"accessToken": "t", "tokenType": "Bearer"})
        if path == f"/api/Orders/{order['id']}":
            return httpx.Response(200, json=order)
        if path == "/api/Orders/Search":
            return httpx.Response(200, json={"result": [order], "totalHits": 1})
        if path == "/api/Settings/OrderTypes":
            statuses = [{"name": name} for name in ("InProgress", "PackedAndReady")]
            types = [{"name": "Online", "defaultOrderType": True, "orderStatuses": statuses}]
            return httpx.Response(200, json=types)
        return httpx.Response(404, json="Not found")  # Omnium's plain-string error body

    return httpx.MockTransport(answer)


async def test_omniums_documented_order_with_nulls_opens_and_labels_its_postal_code(
    tmp_path: Path,
) -> None:
    order = with_nulls("OmniumOrder", json.loads(FETCHED.read_text()))
    assert order["tags"] is None and order["orderForm"]["payments"] is None
    async with OmniumClient("http://omnium.test", "id", "secret", transport=stand_in(order)) as c:
        app = make_app(c, tmp_path / "station")
        async with app.run_test(size=SIZE) as pilot:
            pack = await open_order(app, pilot, "ORD-2024-000001", packer="anna")
            assert isinstance(pack, PackScreen)
            session = pack.session
            assert session.pack("1", Decimal(2)).ok and session.pack("2").ok
            assert session.set_weight(Decimal("1.4")).ok
            plan = plan_submission(session, sscc=SsccAllocator("7012345", "01", lambda: 7))
            [label] = labels_for_submission(session.order, "1", plan.packages)
    assert label.ship_to_postal_code == "0154"
    assert "0154 Oslo, NO" in label.text_lines()


class Gate(httpx.AsyncBaseTransport):
    """Holds every OrderLinesUpdate until opened."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.open = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/OrderLinesUpdate"):
            await self.open.wait()
        return await self.inner.handle_async_request(request)


async def test_the_queue_refreshes_by_itself_when_a_submit_lands(
    sandbox_app: FastAPI, tmp_path: Path
) -> None:
    gate = Gate(httpx.ASGITransport(app=sandbox_app))
    async with OmniumClient(
        "http://sandbox.test", DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, transport=gate
    ) as client:
        app = make_app(client, tmp_path / "station")
        async with app.run_test(size=SIZE) as pilot:
            await open_order(app, pilot, "ORD-1001", packer="anna")
            pack = app.screen
            assert isinstance(pack, PackScreen)
            [line] = pack.session.lines()
            assert pack.session.pack(line.line_item_id).ok
            burst(app, scans("3103001000", "CMD-SUBMIT", "CMD-SUBMIT"))
            await settle(pilot, app)
            assert isinstance(app.screen, WorkflowScreen)
            await pilot.press("f9")  # go on while it is sent
            await settle(pilot, app)
            orders = app.screen
            assert isinstance(orders, OrderScreen)
            await pilot.press("f5")  # the queue while the submit is still on its way
            await wait_for(pilot, lambda: "ORD-1001" in queue_ids(orders))
            gate.open.set()  # the submit lands; nobody presses F5
            await wait_for(pilot, lambda: "ORD-1001" not in queue_ids(orders))
            assert "ORD-1002" in queue_ids(orders)


async def test_back_on_the_order_screen_after_a_submit_the_queue_is_current(
    sandbox_app: FastAPI, tmp_path: Path
) -> None:
    async with OmniumClient(
        "http://sandbox.test",
        DEMO_CLIENT_ID,
        DEMO_CLIENT_SECRET,
        transport=httpx.ASGITransport(app=sandbox_app),
    ) as client:
        app = make_app(client, tmp_path / "station")
        async with app.run_test(size=SIZE) as pilot:
            await open_order(app, pilot, "ORD-1001", packer="anna")
            pack = app.screen
            assert isinstance(pack, PackScreen)
            [line] = pack.session.lines()
            assert pack.session.pack(line.line_item_id).ok
            burst(app, scans("3103001000", "CMD-SUBMIT", "CMD-SUBMIT"))
            await settle(pilot, app)
            screen = app.screen
            assert isinstance(screen, WorkflowScreen)
            await wait_for(pilot, lambda: screen.tracker.finished)
            await pilot.press("f10")  # next order: back to the queue
            await settle(pilot, app)
            orders = app.screen
            assert isinstance(orders, OrderScreen)
            await wait_for(pilot, lambda: "ORD-1002" in queue_ids(orders))
            assert "ORD-1001" not in queue_ids(orders)
