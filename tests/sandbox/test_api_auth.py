"""POST /api/Token, bearer authentication (401) and roles (403)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from sandbox_support import BASE, api, token_for

from packstation.omnium.client import OmniumClient
from packstation.omnium.errors import Forbidden, Unauthorized
from packstation.omnium.search import OrderSearchRequest
from packstation.omnium.workflow import UpdateStatusPatch
from packstation.sandbox.auth import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_READER_ID

READS = [
    ("GET", "/api/Orders/ORD-1001", None),
    ("POST", "/api/Orders/Search", {"take": 5}),
    ("GET", "/api/Orders/GetOrders", None),
    ("GET", "/api/Settings/OrderTypes", None),
]
WRITES = [
    ("POST", "/api/Orders/ORD-1001/UpdateStatus", {"status": "InProgress"}),
    (
        "POST",
        "/api/Orders/ORD-1001/OrderLinesUpdate",
        {"status": "InProgress", "lineItemUpdates": [{"lineItemId": "1", "splitQuantity": 0}]},
    ),
    ("POST", "/api/Orders", {"id": "NEW-1"}),
    ("POST", "/api/Carts", {"id": "CART-1"}),
    ("POST", "/api/Orders/CART-1/processCartWorkflowTest/New", None),
]
# The sandbox's own admin endpoints: all of them need OrderAdmin, reads included.
ADMIN = [
    ("GET", "/sandbox/notifications", None),
    ("GET", "/sandbox/stock?warehouse=WH-OSLO&sku=NH-1002", None),
    ("PUT", "/sandbox/stock", {"warehouse": "WH-OSLO", "sku": "NH-1002", "quantity": 0}),
    ("POST", "/sandbox/faults", {"kind": "lock", "orderId": "ORD-1001", "seconds": 600}),
    ("POST", "/sandbox/faults", {"kind": "server_error", "orderId": "ORD-1001"}),
    ("POST", "/sandbox/faults", {"kind": "queued", "orderId": "ORD-1001", "seconds": 600}),
    ("POST", "/sandbox/faults", {"kind": "expire_tokens"}),
]


@pytest.fixture
async def anonymous(sandbox_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=sandbox_app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as c:
        yield c


async def test_token_is_bare_text_by_default(anonymous: httpx.AsyncClient) -> None:
    answer = await anonymous.post(
        "/api/Token", params={"clientId": DEMO_CLIENT_ID, "clientSecret": DEMO_CLIENT_SECRET}
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    assert answer.text.count(".") == 2 and not answer.text.startswith('"')


async def test_token_as_json(anonymous: httpx.AsyncClient) -> None:
    answer = await anonymous.post(
        "/api/Token",
        params={
            "clientId": DEMO_CLIENT_ID,
            "clientSecret": DEMO_CLIENT_SECRET,
            "returnAsJson": "true",
        },
    )
    body = answer.json()
    assert set(body) == {"accessToken", "tokenType", "expiresIn"}
    assert (body["tokenType"], body["expiresIn"]) == ("Bearer", 864000)
    ok = await anonymous.get(
        "/api/Orders/ORD-1001", headers={"Authorization": f"Bearer {body['accessToken']}"}
    )
    assert ok.status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"clientId": DEMO_CLIENT_ID, "clientSecret": "wrong"},
        {"clientId": "nobody", "clientSecret": DEMO_CLIENT_SECRET},
        {},
    ],
    ids=["wrong-secret", "unknown-user", "no-credentials"],
)
async def test_bad_credentials_are_401(
    anonymous: httpx.AsyncClient, params: dict[str, str]
) -> None:
    answer = await anonymous.post("/api/Token", params=params)
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"
    assert answer.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(("method", "path", "body"), READS + WRITES + ADMIN)
@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer not.a.token", "Basic ZGVtbzpkZW1v", "Bearer a.b.c"],
    ids=["none", "empty", "garbage", "basic", "unsigned"],
)
async def test_every_endpoint_but_token_needs_a_valid_token(
    anonymous: httpx.AsyncClient,
    method: str,
    path: str,
    body: object,
    authorization: str | None,
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    answer = await anonymous.request(method, path, json=body, headers=headers)
    assert answer.status_code == 401, answer.text
    assert answer.headers["www-authenticate"] == "Bearer"


async def test_tampered_token_is_401(anonymous: httpx.AsyncClient) -> None:
    token = await token_for(anonymous)
    header, payload, signature = token.split(".")
    forged = f"{header}.{payload}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"
    answer = await anonymous.get(
        "/api/Orders/ORD-1001", headers={"Authorization": f"Bearer {forged}"}
    )
    assert answer.status_code == 401


async def test_reader_reads_but_may_not_write(sandbox_app: FastAPI) -> None:
    async with api(sandbox_app, DEMO_READER_ID) as reader:
        for method, path, body in READS:
            answer = await reader.request(method, path, json=body)
            assert answer.status_code == 200, (path, answer.text)
        for method, path, body in WRITES:
            answer = await reader.request(method, path, json=body)
            assert answer.status_code == 403, (path, answer.text)
            assert "OrderAdmin" in answer.json()["detail"]
        # Nothing was written.
        assert (await reader.get("/api/Orders/NEW-1")).status_code == 404


async def test_a_reader_gets_403_on_every_sandbox_admin_endpoint(sandbox_app: FastAPI) -> None:
    async with api(sandbox_app, DEMO_READER_ID) as reader, api(sandbox_app) as admin:
        stock_before = (await admin.get(ADMIN[1][1])).json()
        for method, path, body in ADMIN:
            answer = await reader.request(method, path, json=body)
            assert answer.status_code == 403, (method, path, answer.text)
            assert "OrderAdmin" in answer.json()["detail"]
        # Nothing happened: no lock, no queue, no failing writes, tokens alive, stock as it was.
        assert (await reader.get("/api/Orders/ORD-1001")).status_code == 200
        assert (await admin.get(ADMIN[1][1])).json() == stock_before
        write = await admin.post("/api/Orders/ORD-1001/UpdateStatus", json={"status": "New"})
        assert write.status_code == 200, write.text
        for method, path, body in ADMIN:  # the admin may (the queue fault meets the lock: 409)
            answer = await admin.request(method, path, json=body)
            assert answer.status_code in (200, 409), (method, path, answer.text)


async def test_expired_tokens_are_401_until_a_new_token_is_fetched(
    sandbox_app: FastAPI,
) -> None:
    async with api(sandbox_app) as admin:
        reader_token = await token_for(admin, DEMO_READER_ID)
        answer = await admin.post("/sandbox/faults", json={"kind": "expire_tokens"})
        assert answer.status_code == 200 and answer.json()["revoked"] >= 2
        assert (await admin.get("/api/Orders/ORD-1001")).status_code == 401
        answer = await admin.get(
            "/api/Orders/ORD-1001", headers={"Authorization": f"Bearer {reader_token}"}
        )
        assert answer.status_code == 401
        admin.headers["Authorization"] = f"Bearer {await token_for(admin)}"
        assert (await admin.get("/api/Orders/ORD-1001")).status_code == 200


async def test_omnium_client_renews_its_token_after_expire_tokens(
    omnium_client: OmniumClient, sandbox_app: FastAPI
) -> None:
    first = await omnium_client.get_token()
    async with api(sandbox_app) as admin:
        await admin.post("/sandbox/faults", json={"kind": "expire_tokens"})
    order = await omnium_client.get_order("ORD-1001")  # 401, renew once, repeat
    assert order.id == "ORD-1001"
    assert await omnium_client.get_token() != first


async def test_omnium_client_sees_403_for_the_reader(sandbox_app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=sandbox_app)
    async with OmniumClient(
        BASE, DEMO_READER_ID, DEMO_CLIENT_SECRET, transport=transport
    ) as client:
        result = await client.search_orders(OrderSearchRequest(take=3))
        assert len(result.result) == 3
        with pytest.raises(Forbidden):
            await client.update_status("ORD-1001", UpdateStatusPatch(status="InProgress"))
    async with OmniumClient(BASE, DEMO_CLIENT_ID, "bad", transport=transport) as client:
        with pytest.raises(Unauthorized):
            await client.get_order("ORD-1001")
