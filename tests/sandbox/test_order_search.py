"""The order search answers from indexed columns exactly what reading every order found."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sandbox_support import api, reference_order

from packstation.omnium.models import EntityError, OmniumOrder
from packstation.sandbox.app import create_app
from packstation.sandbox.demo_data import demo_orders
from packstation.sandbox.order_index import INDEX_VERSION, OrderFilter, created_key
from packstation.sandbox.order_json import order_to_json
from packstation.sandbox.store import SandboxStore
from packstation.sandbox.store_schema import DB_NAME, SCHEMA

TEXT_FIELDS = ("id", "orderNumber", "customerName", "customerEmail", "customerPhone")


def matches(doc: dict[str, Any], found: OrderFilter) -> bool:
    """What the search did before the index: read the order and look (the oracle)."""
    if found.statuses and doc.get("status") not in found.statuses:
        return False
    if found.stores and doc.get("storeId") not in found.stores:
        return False
    if found.order_type and doc.get("orderType") != found.order_type:
        return False
    if found.has_errors is not None and bool(doc.get("errors")) != found.has_errors:
        return False
    if found.tags and not set(found.tags) & set(doc.get("tags") or []):
        return False
    if found.markets and doc.get("marketId") not in found.markets:
        return False
    if found.shipping_methods:
        shipments = (doc.get("orderForm") or {}).get("shipments") or []
        if not {s.get("shippingMethodName") for s in shipments} & set(found.shipping_methods):
            return False
    if found.text:
        words = [str(doc.get(f) or "") for f in TEXT_FIELDS]
        for shipment in (doc.get("orderForm") or {}).get("shipments") or []:
            for package in shipment.get("packages") or []:
                words.extend(str(package.get(k) or "") for k in ("id", "barcode"))
        haystack = " ".join(words).lower()
        if found.text not in haystack:
            return False
    return True


def extra_orders() -> list[OmniumOrder]:
    """Orders with what the demo data lacks: markets, errors, non-ASCII names, shipping methods,
    several tags, creation times out of insertion order and in other time zones."""
    made = []
    for n, (created, market, name, method, tags) in enumerate(
        [
            ("2026-12-01T10:00:00+01:00", "NO", "Øystein Ærø", "Bring", ["vip", "gift"]),
            ("2025-01-01T00:00:00Z", "SE", "Åsa Öberg", "PostNord", ["gift"]),
            ("2026-12-01T08:59:59.5Z", None, "Kari Nordmann", None, []),
            ("0001-01-01T00:00:00", "NO", None, "Bring", ["vip", "vip"]),
        ]
    ):
        doc = reference_order(f"X-{n}")
        doc.update(created=created, marketId=market, customerName=name, tags=tags)
        doc["orderForm"]["shipments"][0]["shippingMethodName"] = method
        order = OmniumOrder.model_validate(doc)
        if n % 2:
            order.errors = [EntityError(key="PrintShippingLabel", message="down")]
        made.append(order)
    return made


def filled(path: Path) -> SandboxStore:
    store = SandboxStore.open(path)
    store.insert_orders([*demo_orders(), *extra_orders()])
    return store


def oracle(store: SandboxStore, found: OrderFilter, *, by_created: bool, newest: bool) -> list[str]:
    docs = [json.loads(d) for d in store.find_orders()]  # insertion order
    hits = [d for d in docs if matches(d, found)]
    if by_created:
        hits.sort(key=lambda d: created_key(d["created"]))  # stable: insertion order in ties
    if newest:
        hits.reverse()
    return [d["id"] for d in hits]


STATUSES = ["InProgress", "PartiallyShipped", "Queued", "New", "Completed"]
filters = st.builds(
    OrderFilter,
    statuses=st.none() | st.lists(st.sampled_from(STATUSES), min_size=1, max_size=3),
    stores=st.none() | st.lists(st.sampled_from(["S1", "OSLO", "store-1"]), min_size=1),
    tags=st.none() | st.lists(st.sampled_from(["vip", "gift", "fail:Notification"]), min_size=1),
    markets=st.none() | st.lists(st.sampled_from(["NO", "SE", "DK"]), min_size=1),
    shipping_methods=st.none() | st.lists(st.sampled_from(["Bring", "PostNord"]), min_size=1),
    has_errors=st.none() | st.booleans(),
    text=st.none() | st.sampled_from(["ord-10", "øy", "åsa öb", "1001 ", "x-2", "nordmann"]),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(found=filters, by_created=st.booleans(), newest=st.booleans(), take=st.integers(1, 7))
def test_indexed_search_finds_what_reading_every_order_found(
    tmp_path: Path, found: OrderFilter, by_created: bool, newest: bool, take: int
) -> None:
    path = tmp_path / "store"
    if not (path / DB_NAME).exists():
        filled(path).close()
    store = SandboxStore.open(path)
    try:
        expected = oracle(store, found, by_created=by_created, newest=newest)
        assert store.count_orders(found) == len(expected)
        pages = []
        for offset in range(0, len(expected) + take, take):
            page = store.find_orders(
                found, by_created=by_created, newest_first=newest, offset=offset, limit=take
            )
            pages.extend(json.loads(d)["id"] for d in page)
        assert pages == expected
    finally:
        store.close()


def test_the_index_follows_each_write(tmp_path: Path) -> None:
    store = filled(tmp_path)
    order = store.get_order("X-0")
    assert order is not None
    order.tags = ["rush"]
    order.status = "Completed"
    order.customer_name = "Ny Kunde"
    store.save_order(order)
    assert store.count_orders(OrderFilter(tags=["vip"])) == 1  # X-3 only
    assert [json.loads(d)["id"] for d in store.find_orders(OrderFilter(tags=["rush"]))] == ["X-0"]
    assert store.count_orders(OrderFilter(text="øystein")) == 0
    assert store.count_orders(OrderFilter(text="ny kunde", statuses=["Completed"])) == 1


def test_an_existing_store_gets_the_index_when_opened(tmp_path: Path) -> None:
    # A store written before the index: schema version 1, orders without the columns.
    conn = sqlite3.connect(tmp_path / DB_NAME)
    conn.executescript(SCHEMA)
    conn.execute("INSERT INTO meta(key, value) VALUES ('schema_version', '1')")
    conn.executemany(
        "INSERT INTO orders(id, status, store_id, order_type, doc) VALUES (?, ?, ?, ?, ?)",
        [(o.id, o.status, o.store_id, o.order_type, order_to_json(o)) for o in extra_orders()],
    )
    conn.commit()
    conn.close()
    store = SandboxStore.open(tmp_path)
    try:
        assert store.get_meta("schema_version") == str(INDEX_VERSION)
        oldest = store.find_orders(OrderFilter(tags=["vip"]), by_created=True)
        assert [json.loads(d)["id"] for d in oldest] == ["X-3", "X-0"]
        assert store.count_orders(OrderFilter(has_errors=True, markets=["SE"])) == 1
    finally:
        store.close()


async def test_search_and_get_orders_page_through_the_index(tmp_path: Path) -> None:
    async with api(create_app(tmp_path)) as client:
        body = {"selectedStatuses": ["InProgress"], "sortOrder": "CreatedAscending", "take": 7}
        seen: list[str] = []
        total = None
        for page in range(10):
            answer = (await client.post("/api/Orders/Search", json={**body, "page": page})).json()
            total = answer["totalHits"]
            seen.extend(o["id"] for o in answer["result"])
        demo = [o for o in demo_orders() if o.status == "InProgress"]
        assert total == len(demo) and seen == [o.id for o in demo]
        tagged = await client.post("/api/Orders/Search", json={"tags": ["fail:Notification"]})
        assert [o["id"] for o in tagged.json()["result"]] == [
            o.id for o in demo_orders() if "fail:Notification" in o.tags
        ]
        listed = await client.get("/api/Orders/GetOrders", params={"page": 2, "pageSize": 5})
        assert listed.json()["totalHits"] == len(demo_orders())
        assert [o["id"] for o in listed.json()["result"]] == [o.id for o in demo_orders()][5:10]
