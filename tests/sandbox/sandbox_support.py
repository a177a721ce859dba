"""Helpers of the sandbox tests: apps with chosen workflows, authenticated clients, orders."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from packstation.sandbox.app import create_app
from packstation.sandbox.auth import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_READER_ID

BASE = "http://sandbox.test"

# Online orders run no steps at all (the line-update semantics alone decide the result), but
# have the statuses the tests set (a status the order type lacks is refused with 400);
# `Slow` orders spend 0.5 s in one step when they are completed (for the locking tests).
STATUSES = (
    "New",
    "Queued",
    "InProgress",
    "PackedAndReady",
    "ReadyForPickup",
    "PartiallyShipped",
    "Completed",
)
NO_STEPS_TOML = (
    """
[settings]
defaultOrderType = "Online"
latencyScale = 1.0
"""
    + "".join(f"\n[orderTypes.Online.{status}]\nsteps = []\n" for status in STATUSES)
    + """
[orderTypes.Slow.Completed]
steps = [{ name = "Notification", latency = 0.5 }]
"""
)

VOLATILE = {"created", "modified", "versionId", "occurred"}


def app_with_config(tmp_path: Path, toml: str = NO_STEPS_TOML) -> FastAPI:
    """A fresh sandbox whose workflows come from `toml`."""
    config = tmp_path / "workflows.toml"
    config.write_text(toml)
    return create_app(tmp_path / "data", config_path=config)


async def token_for(client: httpx.AsyncClient, client_id: str = DEMO_CLIENT_ID) -> str:
    """A bearer token for a demo user."""
    answer = await client.post(
        "/api/Token", params={"clientId": client_id, "clientSecret": DEMO_CLIENT_SECRET}
    )
    assert answer.status_code == 200, answer.text
    return answer.text


@asynccontextmanager
async def api(app: FastAPI, client_id: str = DEMO_CLIENT_ID) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client on `app` carrying a token of `client_id`."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as c:
        c.headers["Authorization"] = f"Bearer {await token_for(c, client_id)}"
        yield c


READER = DEMO_READER_ID


def line(line_item_id: str, quantity: int, price: int = 100, **extra: Any) -> dict[str, Any]:
    """An order line as a client would send it."""
    return {
        "lineItemId": line_item_id,
        "code": f"SKU-{line_item_id}",
        "displayName": f"Item {line_item_id}",
        "quantity": quantity,
        "placedPrice": price,
        **extra,
    }


def reference_order(order_id: str, order_type: str = "Online") -> dict[str, Any]:
    """An order shaped for the reference examples: lines 4, 5 and 6 (4, 5 and 6 units) in
    shipment 1, sent from WH-OSLO with PostNord, shipping cost 99."""
    lines = [line("4", 4), line("5", 5), line("6", 6)]
    return {
        "id": order_id,
        "orderNumber": f"NO-{order_id}",
        "status": "InProgress",
        "orderType": order_type,
        "storeId": "store-oslo",
        "marketId": "NOR",
        "customerName": "Kari Nordmann",
        "customerEmail": "kari@example.com",
        "billingCurrency": "NOK",
        "orderForm": {
            "lineItems": copy.deepcopy(lines),
            "shipments": [
                {
                    "shipmentId": "1",
                    "status": "Released",
                    "orderStatus": "InProgress",
                    "warehouseCode": "WH-OSLO",
                    "shippingMethodName": "PostNord",
                    "address": {"name": "Kari Nordmann", "line1": "Storgata 1", "city": "Oslo"},
                    "shippingTotal": 99,
                    "lineItems": copy.deepcopy(lines),
                }
            ],
            "payments": [
                {
                    "id": "auth-1",
                    "paymentMethodName": "Klarna",
                    "amount": 10000,
                    "transactionType": "Authorization",
                    "status": "Processed",
                }
            ],
        },
    }


async def create(client: httpx.AsyncClient, order: dict[str, Any]) -> dict[str, Any]:
    """Create an order through POST /api/Orders and return it as stored."""
    answer = await client.post("/api/Orders", json=order)
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    return created


def strip(doc: Any) -> Any:
    """The JSON without the fields that change on every write (dates, version)."""
    if isinstance(doc, dict):
        return {k: strip(v) for k, v in doc.items() if k not in VOLATILE}
    if isinstance(doc, list):
        return [strip(v) for v in doc]
    return doc


def shipment_of(order: dict[str, Any], shipment_id: str) -> dict[str, Any]:
    """The shipment with this id in an order's JSON."""
    found: dict[str, Any] = next(
        s for s in order["orderForm"]["shipments"] if s["shipmentId"] == shipment_id
    )
    return found


def line_of(holder: dict[str, Any], line_item_id: str) -> dict[str, Any]:
    """The line with this id in a shipment's (or orderForm's) JSON."""
    found: dict[str, Any] = next(x for x in holder["lineItems"] if x["lineItemId"] == line_item_id)
    return found
