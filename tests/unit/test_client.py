"""The Omnium client against httpx.MockTransport: tokens, calls, error mapping, secrecy."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest

from packstation.omnium.client import OmniumClient
from packstation.omnium.errors import (
    BadRequest,
    Forbidden,
    InvalidResponse,
    OmniumError,
    OmniumUnavailable,
    OrderLocked,
    OrderNotFound,
    RateLimited,
    ServerError,
    Unauthorized,
)
from packstation.omnium.models import OmniumOrder
from packstation.omnium.search import OrderSearchRequest
from packstation.omnium.workflow import (
    LineItemUpdate,
    UpdateLineItemStatusPatch,
    UpdateShipmentInfo,
    UpdateStatusPatch,
)

BASE = "https://omnium.test"
CLIENT_ID = "station-7"
SECRET = "s3cr3t-Xq9!z&w"  # '&' and '!' must survive query encoding
ORDER = {"id": "ORD-1", "status": "New", "orderForm": {"lineItems": [], "shipments": []}}
RESULT = {"order": ORDER, "isAborted": False, "orderActionExecutionResults": []}

Handler = Callable[[httpx.Request], httpx.Response]


class FakeOmnium:
    """A tiny Omnium: issues tokens, checks them, and answers routes set by the test."""

    def __init__(self, *, lifetime: int | None = 3600, token_format: str = "json") -> None:
        self.lifetime = lifetime
        self.token_format = token_format
        self.issued: list[str] = []
        self.valid: set[str] = set()
        self.requests: list[httpx.Request] = []
        self.routes: dict[tuple[str, str], Handler] = {}
        self.token_status = 200

    @property
    def token_calls(self) -> int:
        return sum(1 for r in self.requests if r.url.path == "/api/Token")

    def calls_to(self, path: str) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.path == path]

    def route(self, method: str, path: str, answer: Handler | httpx.Response) -> None:
        self.routes[(method, path)] = answer if callable(answer) else (lambda _r: answer)

    def expire_tokens(self) -> None:
        self.valid.clear()

    def _token(self, request: httpx.Request) -> httpx.Response:
        params = request.url.params
        if self.token_status != 200:
            return httpx.Response(self.token_status, text=f"bad client {SECRET}")
        if params.get("clientId") != CLIENT_ID or params.get("clientSecret") != SECRET:
            return httpx.Response(401, json={"title": "Unauthorized", "status": 401})
        token = f"tok-{len(self.issued) + 1}-{'a' * 24}"
        self.issued.append(token)
        self.valid.add(token)
        if self.token_format == "text":
            return httpx.Response(200, text=token)
        body: dict[str, Any] = {"accessToken": token, "tokenType": "Bearer"}
        if self.lifetime is not None:
            body["expiresIn"] = self.lifetime
        return httpx.Response(200, json=body)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == "/api/Token":
            return self._token(request)
        auth = request.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or auth.removeprefix("Bearer ") not in self.valid:
            return httpx.Response(401, headers={"WWW-Authenticate": "Bearer"})
        handler = self.routes.get((request.method, request.url.raw_path.decode().split("?")[0]))
        if handler is None:
            return httpx.Response(404, json={"title": "Not Found", "detail": "no such route"})
        return handler(request)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def fake() -> FakeOmnium:
    return FakeOmnium()


@pytest.fixture
def clock() -> Clock:
    return Clock()


def make_client(fake: Handler, clock: Callable[[], float] = time.monotonic) -> OmniumClient:
    return OmniumClient(BASE, CLIENT_ID, SECRET, transport=httpx.MockTransport(fake), clock=clock)


def problem(status: int, detail: str, **extra: Any) -> httpx.Response:
    body = {"type": "about:blank", "title": "Error", "status": status, "detail": detail, **extra}
    return httpx.Response(status, json=body, headers={"Content-Type": "application/problem+json"})


def lines_patch() -> UpdateLineItemStatusPatch:
    return UpdateLineItemStatusPatch(
        status="Completed",
        line_item_updates=[LineItemUpdate(line_item_id="4", delivered_quantity=4)],
        shipment_info=UpdateShipmentInfo(shipment_id="2"),
    )


# --- the token -------------------------------------------------------------------------------


async def test_token_request_follows_omniums_contract(fake: FakeOmnium) -> None:
    async with make_client(fake) as client:
        token = await client.get_token()
    assert token == fake.issued[0]
    (request,) = fake.requests
    assert request.method == "POST"
    assert request.url.path == "/api/Token"
    assert dict(request.url.params) == {
        "clientId": CLIENT_ID,
        "clientSecret": SECRET,
        "returnAsJson": "true",
    }
    assert request.content == b""


async def test_calls_send_the_bearer_token(fake: FakeOmnium) -> None:
    fake.route("GET", "/api/Orders/ORD-1", httpx.Response(200, json=ORDER))
    async with make_client(fake) as client:
        order = await client.get_order("ORD-1")
    assert order.id == "ORD-1"
    assert fake.calls_to("/api/Orders/ORD-1")[0].headers["Authorization"] == (
        f"Bearer {fake.issued[0]}"
    )


async def test_bare_jwt_text_answer_is_understood() -> None:
    fake = FakeOmnium(token_format="text")
    async with make_client(fake) as client:
        assert await client.get_token() == fake.issued[0]


async def test_json_quoted_string_answer_is_understood() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text='"abc.def.ghi"')

    async with make_client(handler) as client:
        assert await client.get_token() == "abc.def.ghi"


async def test_pascal_case_token_answer_and_its_lifetime(clock: Clock) -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200, json={"AccessToken": "pascal-token", "ExpiresIn": 600})

    start = clock.now
    async with make_client(handler, clock) as client:
        assert await client.get_token() == "pascal-token"
        clock.now = start + 539  # 600 s minus the 60 s margin
        await client.get_token()
        assert len(calls) == 1
        clock.now = start + 541
        await client.get_token()
    assert len(calls) == 2


async def test_empty_token_answer_is_an_invalid_response() -> None:
    async with make_client(lambda r: httpx.Response(200, text="  ")) as client:
        with pytest.raises(InvalidResponse):
            await client.get_token()


async def test_token_is_cached_for_many_requests(fake: FakeOmnium) -> None:
    fake.route("GET", "/api/Orders/ORD-1", httpx.Response(200, json=ORDER))
    async with make_client(fake) as client:
        for _ in range(5):
            await client.get_order("ORD-1")
        await asyncio.gather(*(client.get_order("ORD-1") for _ in range(10)))
    assert fake.token_calls == 1
    assert len(fake.calls_to("/api/Orders/ORD-1")) == 15


async def test_concurrent_first_calls_share_one_token_request(fake: FakeOmnium) -> None:
    fake.route("GET", "/api/Orders/ORD-1", httpx.Response(200, json=ORDER))
    async with make_client(fake) as client:
        await asyncio.gather(*(client.get_order("ORD-1") for _ in range(8)))
    assert fake.token_calls == 1


@pytest.mark.parametrize(
    ("lifetime", "still_valid_at", "renewed_at"),
    [
        (3600, 3600 - 61, 3600 - 59),  # 60 s margin
        (100, 89, 91),  # 10 % of a short lifetime
    ],
)
async def test_token_is_renewed_shortly_before_expiry(
    clock: Clock, lifetime: int, still_valid_at: float, renewed_at: float
) -> None:
    fake = FakeOmnium(lifetime=lifetime)
    start = clock.now
    async with make_client(fake, clock) as client:
        first = await client.get_token()
        clock.now = start + still_valid_at
        assert await client.get_token() == first
        clock.now = start + renewed_at
        second = await client.get_token()
    assert second != first
    assert fake.token_calls == 2


async def test_bare_jwt_expiry_comes_from_its_exp_claim(clock: Clock) -> None:
    exp = int(time.time()) + 1000
    payload = base64.urlsafe_b64encode(json.dumps({"exp": exp}).encode()).rstrip(b"=").decode()
    jwt = f"eyJhbGciOiJIUzI1NiJ9.{payload}.c2lnbmF0dXJl"
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(200, text=jwt)

    start = clock.now
    async with make_client(handler, clock) as client:
        await client.get_token()
        clock.now = start + 900  # well inside 1000 s minus the 60 s margin
        await client.get_token()
        assert calls == 1
        clock.now = start + 950  # inside the margin
        await client.get_token()
    assert calls == 2


async def test_a_401_renews_the_token_once_and_repeats_the_call(fake: FakeOmnium) -> None:
    fake.route("GET", "/api/Orders/ORD-1", httpx.Response(200, json=ORDER))
    async with make_client(fake) as client:
        await client.get_order("ORD-1")
        fake.expire_tokens()
        order = await client.get_order("ORD-1")
    assert order.id == "ORD-1"
    assert fake.token_calls == 2
    calls = fake.calls_to("/api/Orders/ORD-1")
    assert [c.headers["Authorization"] for c in calls] == [
        f"Bearer {fake.issued[0]}",
        f"Bearer {fake.issued[0]}",
        f"Bearer {fake.issued[1]}",
    ]


async def test_a_second_401_raises_unauthorized(fake: FakeOmnium) -> None:
    fake.route("POST", "/api/Orders/ORD-1/OrderLinesUpdate", httpx.Response(401))
    async with make_client(fake) as client:
        with pytest.raises(Unauthorized) as exc:
            await client.order_lines_update("ORD-1", lines_patch())
    assert exc.value.status_code == 401
    assert fake.token_calls == 2
    assert len(fake.calls_to("/api/Orders/ORD-1/OrderLinesUpdate")) == 2


async def test_wrong_credentials_raise_unauthorized_without_the_secret() -> None:
    fake = FakeOmnium()
    client = OmniumClient(BASE, CLIENT_ID, "wrong-secret-123", transport=httpx.MockTransport(fake))
    async with client:
        with pytest.raises(Unauthorized) as exc:
            await client.get_order("ORD-1")
    assert CLIENT_ID in str(exc.value)
    assert "wrong-secret-123" not in str(exc.value)
    assert fake.token_calls == 1  # a refused token request is not repeated


# --- the endpoints ---------------------------------------------------------------------------


async def test_order_lines_update_sends_the_patch(fake: FakeOmnium) -> None:
    fake.route("POST", "/api/Orders/ORD-1/OrderLinesUpdate", httpx.Response(200, json=RESULT))
    async with make_client(fake) as client:
        result = await client.order_lines_update("ORD-1", lines_patch())
    assert result.order is not None and result.order.id == "ORD-1"
    (request,) = fake.calls_to("/api/Orders/ORD-1/OrderLinesUpdate")
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content) == {
        "status": "Completed",
        "lineItemUpdates": [{"lineItemId": "4", "deliveredQuantity": 4.0}],
        "shipmentInfo": {"shipmentId": "2"},
    }


async def test_update_status_sends_the_patch(fake: FakeOmnium) -> None:
    fake.route("POST", "/api/Orders/ORD-1/UpdateStatus", httpx.Response(200, json=RESULT))
    async with make_client(fake) as client:
        await client.update_status("ORD-1", UpdateStatusPatch(status="InProgress"))
    (request,) = fake.calls_to("/api/Orders/ORD-1/UpdateStatus")
    assert json.loads(request.content) == {"status": "InProgress"}


async def test_order_ids_are_quoted_into_one_path_segment(fake: FakeOmnium) -> None:
    fake.route("GET", "/api/Orders/A%2FB%201%3F", httpx.Response(200, json={"id": "A/B 1?"}))
    async with make_client(fake) as client:
        await client.get_order("A/B 1?")
    assert fake.requests[-1].url.raw_path == b"/api/Orders/A%2FB%201%3F"


async def test_empty_order_id_is_refused_before_any_request(fake: FakeOmnium) -> None:
    async with make_client(fake) as client:
        with pytest.raises(ValueError, match="order_id"):
            await client.get_order(" ")
    assert fake.requests == []


async def test_search_orders_sends_paging(fake: FakeOmnium) -> None:
    fake.route(
        "POST",
        "/api/Orders/Search",
        httpx.Response(200, json={"result": [ORDER], "totalHits": 1}),
    )
    async with make_client(fake) as client:
        found = await client.search_orders(OrderSearchRequest(selected_statuses=["New"], take=50))
    assert [o.id for o in found.result] == ["ORD-1"] and found.total_hits == 1
    body = json.loads(fake.calls_to("/api/Orders/Search")[0].content)
    assert body == {"selectedStatuses": ["New"], "take": 50, "page": 0}


async def test_get_orders_sends_its_query(fake: FakeOmnium) -> None:
    fake.route("GET", "/api/Orders/GetOrders", httpx.Response(200, json={"result": []}))
    async with make_client(fake) as client:
        await client.get_orders(store_id="oslo", status="New", page=2, page_size=5)
        await client.get_orders()
    first, second = fake.calls_to("/api/Orders/GetOrders")
    assert dict(first.url.params) == {
        "storeId": "oslo",
        "status": "New",
        "page": "2",
        "pageSize": "5",
    }
    assert dict(second.url.params) == {"page": "1", "pageSize": "20"}


async def test_create_order_accepts_201(fake: FakeOmnium) -> None:
    fake.route("POST", "/api/Orders", lambda r: httpx.Response(201, content=r.content))
    order = OmniumOrder.model_validate({"id": "NEW-1", "status": "New", "customField": 3})
    async with make_client(fake) as client:
        created = await client.create_order(order)
    assert created == order
    assert json.loads(fake.calls_to("/api/Orders")[0].content) == {
        "id": "NEW-1",
        "status": "New",
        "customField": 3,
    }


async def test_workflow_test_dry_run_path(fake: FakeOmnium) -> None:
    fake.route(
        "POST",
        "/api/Orders/cart-9/processCartWorkflowTest/InProgress",
        httpx.Response(200, json=RESULT),
    )
    async with make_client(fake) as client:
        result = await client.process_cart_workflow_test("cart-9", "InProgress")
    assert not result.is_aborted


async def test_a_success_with_an_unreadable_body_is_an_invalid_response(fake: FakeOmnium) -> None:
    fake.route("POST", "/api/Orders/ORD-1/UpdateStatus", httpx.Response(200, text="<html>"))
    async with make_client(fake) as client:
        with pytest.raises(InvalidResponse) as exc:
            await client.update_status("ORD-1", UpdateStatusPatch(status="Completed"))
    assert exc.value.outcome_unknown
    assert "WorkflowExecutionResult" in str(exc.value)


async def test_a_success_with_a_wrong_shape_names_the_field(fake: FakeOmnium) -> None:
    wrong = {"id": "ORD-1", "orderForm": {"lineItems": "none"}}
    fake.route("GET", "/api/Orders/ORD-1", httpx.Response(200, json=wrong))
    async with make_client(fake) as client:
        with pytest.raises(InvalidResponse, match="lineItems"):
            await client.get_order("ORD-1")


# --- error mapping ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "error", "outcome_unknown"),
    [
        (400, BadRequest, False),
        (403, Forbidden, False),
        (404, OrderNotFound, False),
        (409, OrderLocked, False),
        (422, BadRequest, False),
        (429, RateLimited, False),
        (500, ServerError, True),
        (502, ServerError, True),
        (503, ServerError, True),
    ],
)
async def test_status_codes_map_to_their_exceptions(
    fake: FakeOmnium, status: int, error: type[OmniumError], outcome_unknown: bool
) -> None:
    fake.route("POST", "/api/Orders/ORD-1/OrderLinesUpdate", problem(status, f"went {status}"))
    async with make_client(fake) as client:
        with pytest.raises(error) as exc:
            await client.order_lines_update("ORD-1", lines_patch())
    assert type(exc.value) is error
    assert exc.value.status_code == status
    assert exc.value.message == f"went {status}"
    assert str(exc.value) == f"HTTP {status}: went {status}"
    assert exc.value.outcome_unknown is outcome_unknown
    # Never retried by the client: one request, whatever the answer.
    assert len(fake.calls_to("/api/Orders/ORD-1/OrderLinesUpdate")) == 1


@pytest.mark.parametrize(
    ("message", "queued"),
    [
        ("Order ORD-1 is Queued and cannot be updated", True),
        ("Order is read-only", True),
        ("Order is ReadOnly", True),
        ("order is READ ONLY", True),
        ("lineItemUpdates must not be empty", False),
    ],
)
async def test_bad_request_says_when_the_order_is_queued(
    fake: FakeOmnium, message: str, queued: bool
) -> None:
    fake.route("POST", "/api/Orders/ORD-1/OrderLinesUpdate", httpx.Response(400, text=message))
    async with make_client(fake) as client:
        with pytest.raises(BadRequest) as exc:
            await client.order_lines_update("ORD-1", lines_patch())
    assert exc.value.queued is queued
    assert exc.value.message == message


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (problem(404, "Order ORD-1 not found"), "Order ORD-1 not found"),
        (
            httpx.Response(404, json={"title": "Not Found", "status": 404, "traceId": "x"}),
            "Not Found",
        ),
        (
            httpx.Response(
                404,
                json={
                    "title": "One or more validation errors occurred.",
                    "errors": {"lineItemId": ["Line 9 does not exist."], "": ["Check input."]},
                },
            ),
            "One or more validation errors occurred. "
            "(lineItemId: Line 9 does not exist.; Check input.)",
        ),
        (httpx.Response(404, json={"Detail": "PascalCase detail"}), "PascalCase detail"),
        (httpx.Response(404, text="  Order not found\n "), "Order not found"),
        (httpx.Response(404, text='"Order not found"'), "Order not found"),
        (httpx.Response(404, text="line one\r\nline two"), "line one line two"),
        (httpx.Response(404), "Not Found"),
        (httpx.Response(404, text="<html><body>nginx</body></html>"), "Not Found"),
        (httpx.Response(404, json=[1, 2]), "[1,2]"),
    ],
    ids=[
        "problem-detail",
        "problem-title",
        "problem-errors",
        "pascal-problem",
        "plain-text",
        "json-string",
        "multi-line",
        "empty-body",
        "html-page",
        "other-json",
    ],
)
async def test_error_messages_from_problem_details_and_plain_bodies(
    fake: FakeOmnium, answer: httpx.Response, message: str
) -> None:
    fake.route("GET", "/api/Orders/ORD-1", answer)
    async with make_client(fake) as client:
        with pytest.raises(OrderNotFound) as exc:
            await client.get_order("ORD-1")
    assert exc.value.message == message


async def test_long_plain_bodies_are_bounded(fake: FakeOmnium) -> None:
    fake.route("GET", "/api/Orders/ORD-1", httpx.Response(500, text="x" * 10_000))
    async with make_client(fake) as client:
        with pytest.raises(ServerError) as exc:
            await client.get_order("ORD-1")
    assert 100 < len(exc.value.message) <= 500


def http_date(delta: timedelta) -> str:
    return format_datetime(datetime.now(UTC) + delta, usegmt=True)


@pytest.mark.parametrize(
    ("header", "low", "high"),
    [
        ("7", 7.0, 7.0),
        ("0", 0.0, 0.0),
        (http_date(timedelta(seconds=120)), 100.0, 121.0),
        (http_date(timedelta(seconds=-30)), 0.0, 0.0),
    ],
    ids=["seconds", "zero", "http-date", "date-in-the-past"],
)
async def test_rate_limited_carries_retry_after(
    fake: FakeOmnium, header: str, low: float, high: float
) -> None:
    answer = problem(429, "slow down")
    answer.headers["Retry-After"] = header
    fake.route("GET", "/api/Orders/ORD-1", answer)
    async with make_client(fake) as client:
        with pytest.raises(RateLimited) as exc:
            await client.get_order("ORD-1")
    assert exc.value.retry_after is not None
    assert low <= exc.value.retry_after <= high


@pytest.mark.parametrize("header", [None, "soon"])
async def test_rate_limited_without_a_usable_retry_after(
    fake: FakeOmnium, header: str | None
) -> None:
    answer = httpx.Response(429, headers={"Retry-After": header} if header else {})
    fake.route("GET", "/api/Orders/ORD-1", answer)
    async with make_client(fake) as client:
        with pytest.raises(RateLimited) as exc:
            await client.get_order("ORD-1")
    assert exc.value.retry_after is None


@pytest.mark.parametrize(
    ("failure", "sent"),
    [
        (httpx.ConnectError("Connection refused"), False),
        (httpx.ConnectTimeout("connect timed out"), False),
        (httpx.PoolTimeout("pool timed out"), False),
        (httpx.ReadTimeout("read timed out"), True),
        (httpx.WriteTimeout("write timed out"), True),
        (httpx.ReadError("connection reset"), True),
        (httpx.RemoteProtocolError("server disconnected"), True),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, Exception) else str(v),
)
async def test_transport_failures_are_unavailable_with_sent(
    fake: FakeOmnium, failure: httpx.RequestError, sent: bool
) -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise failure

    fake.route("POST", "/api/Orders/ORD-1/OrderLinesUpdate", fail)
    async with make_client(fake) as client:
        with pytest.raises(OmniumUnavailable) as exc:
            await client.order_lines_update("ORD-1", lines_patch())
    assert exc.value.sent is sent
    assert exc.value.outcome_unknown is sent
    assert exc.value.status_code is None
    assert type(failure).__name__ in str(exc.value)
    assert exc.value.__cause__ is None  # the httpx error holds the request and its token
    assert len(fake.calls_to("/api/Orders/ORD-1/OrderLinesUpdate")) == 1


async def test_token_endpoint_unreachable_is_unavailable() -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"cannot reach {request.url}")

    async with make_client(fail) as client:
        with pytest.raises(OmniumUnavailable) as exc:
            await client.get_token()
    assert exc.value.sent is False
    assert SECRET not in str(exc.value)
    assert "clientSecret=***" in str(exc.value)


async def test_timeouts_are_configurable() -> None:
    seen: dict[str, Any] = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen.update(request.extensions["timeout"])
        return httpx.Response(200, json={"accessToken": "tok-abcdef", "expiresIn": 60})

    client = OmniumClient(
        BASE,
        CLIENT_ID,
        SECRET,
        timeout=12.5,
        connect_timeout=2.0,
        transport=httpx.MockTransport(handler),
    )
    async with client:
        await client.get_token()
    assert seen == {"connect": 2.0, "read": 12.5, "write": 12.5, "pool": 12.5}


def test_bad_construction_is_refused() -> None:
    with pytest.raises(ValueError):
        OmniumClient(" ", CLIENT_ID, SECRET)
    with pytest.raises(ValueError, match="http"):
        OmniumClient("api.omnium.no", CLIENT_ID, SECRET)
    with pytest.raises(ValueError):
        OmniumClient(BASE, CLIENT_ID, SECRET, timeout=0)


# --- secrecy ---------------------------------------------------------------------------------


def test_repr_shows_base_url_and_client_id_only() -> None:
    client = OmniumClient(BASE + "/", CLIENT_ID, SECRET)
    assert repr(client) == f"OmniumClient(base_url='{BASE}', client_id='{CLIENT_ID}')"
    assert str(client) == repr(client)
    assert client.base_url == BASE and client.client_id == CLIENT_ID


async def test_repr_never_shows_the_token(fake: FakeOmnium) -> None:
    async with make_client(fake) as client:
        token = await client.get_token()
        assert token not in repr(client) and SECRET not in repr(client)


async def test_secrets_never_reach_logs_or_messages(
    fake: FakeOmnium, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)

    def echo(request: httpx.Request) -> httpx.Response:
        # A careless server that echoes the credentials back in its error.
        token = request.headers["Authorization"]
        issued = ",".join(fake.issued)  # after a renewal this includes the replaced token
        return problem(409, f"locked; you sent {token} and secret {SECRET}; known: {issued}")

    fake.route("POST", "/api/Orders/ORD-1/OrderLinesUpdate", echo)
    fake.route("GET", "/api/Orders/ORD-1", httpx.Response(500, text=f"oops {SECRET}"))
    errors: list[BaseException] = []
    client = make_client(fake)
    async with client:
        for call in (
            client.order_lines_update("ORD-1", lines_patch()),
            client.get_order("ORD-1"),
        ):
            with pytest.raises(OmniumError) as exc:
                await call
            errors.append(exc.value)
        fake.expire_tokens()
        with pytest.raises(OrderLocked) as exc:
            await client.order_lines_update("ORD-1", lines_patch())
        errors.append(exc.value)
    tokens = fake.issued
    assert len(tokens) == 2
    texts = [str(e) for e in errors] + [repr(e) for e in errors] + [repr(client)]
    texts += [r.getMessage() for r in caplog.records]
    for text in texts:
        assert SECRET not in text
        assert "s3cr3t" not in text
        for token in tokens:
            assert token not in text
    assert "locked; you sent Bearer *** and secret ***; known: ***" in str(errors[0])
    assert str(errors[2]).endswith("known: ***,***")
    # httpx did log the token request, with the secret masked.
    token_logs = [
        r.getMessage()
        for r in caplog.records
        if r.name == "httpx" and "/api/Token" in r.getMessage()
    ]
    assert len(token_logs) == 2 and all("clientSecret=***" in m for m in token_logs)


async def test_secret_is_masked_in_logs_even_url_encoded(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="httpx")
    fake = FakeOmnium()
    async with make_client(fake) as client:
        await client.get_token()
    # '&' and '!' are percent-encoded in the URL; the query pattern masks that form too.
    messages = [r.getMessage() for r in caplog.records]
    assert messages
    encoded = httpx.QueryParams({"s": SECRET}).__str__().removeprefix("s=")
    for message in messages:
        assert encoded not in message and SECRET not in message
