"""The queue: Omnium's own search, paged through, kept to this warehouse's open shipments."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from packstation.omnium.client import OmniumClient
from packstation.omnium.contract import check_request
from packstation.omnium.search import OrderSearchRequest, OrderSearchResult
from packstation.sandbox.app import create_app
from packstation.sandbox.auth import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from packstation.sandbox.demo_data import tenant_orders
from packstation.station.queue import queue_request, read_queue

STATUSES = ["InProgress", "PartiallyShipped"]


class Counting(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.searches: list[bytes] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/Orders/Search":
            self.searches.append(request.content)
        return await self.inner.handle_async_request(request)


@pytest.fixture
def busy() -> FastAPI:
    app = create_app()
    app.state.sandbox.add_orders(tenant_orders(1250, 250))
    yield app
    app.state.sandbox.close()


@pytest.fixture
async def counted(busy: FastAPI) -> AsyncIterator[tuple[OmniumClient, Counting]]:
    transport = Counting(httpx.ASGITransport(app=busy))
    async with OmniumClient(
        "http://sandbox.test", DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, transport=transport
    ) as client:
        yield client, transport


async def test_every_waiting_order_of_a_busy_tenant_is_listed_oldest_first(
    counted: tuple[OmniumClient, Counting],
) -> None:
    client, transport = counted
    queue = await read_queue(client, "WH-OSLO", statuses=STATUSES)
    tenant = [e.order.id for e in queue.entries if e.order.id.startswith("T-")]
    assert tenant == [f"T-{n:06d}" for n in range(1, 500, 2)]  # the 250 at WH-OSLO, in order
    assert all(e.order.order_form.shipments for e in queue.entries)
    assert not queue.truncated
    # 500 tenant orders and the demo's are InProgress or PartiallyShipped: pages of 100.
    found = await client.search_orders(OrderSearchRequest(selected_statuses=STATUSES, take=1))
    # (the count above was one more search)
    assert len(transport.searches) - 1 == -(-found.total_hits // 100)
    assert queue.searched == found.total_hits


async def test_the_queue_searches_with_omniums_fields_only() -> None:
    for page in (0, 1, 7):
        request = queue_request(["InProgress"], ["STORE-1"], page)
        body = request.model_dump(mode="json", by_alias=True, exclude_none=True)
        assert check_request("POST", "/api/Orders/Search", body) == []
        assert body == {
            "selectedStatuses": ["InProgress"],
            "selectedStores": ["STORE-1"],
            "sortOrder": "CreatedAscending",
            "take": 100,
            "page": page,
        }


class Endless:
    """A search answering full pages of nothing packable, claiming 50,000 hits."""

    def __init__(self) -> None:
        self.pages: list[int] = []

    async def search_orders(self, request: OrderSearchRequest) -> OrderSearchResult:
        self.pages.append(request.page)
        result = [{"id": f"X-{request.page}-{i}", "status": "InProgress"} for i in range(100)]
        return OrderSearchResult.model_validate({"result": result, "totalHits": 50_000})


async def test_paging_stops_at_omniums_search_window() -> None:
    search = Endless()
    queue = await read_queue(search, "WH-OSLO", statuses=["InProgress"])
    assert search.pages == list(range(100))  # page x take stays under 10,000
    assert queue.truncated and queue.searched == 10_000 and queue.entries == []
