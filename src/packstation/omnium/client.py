"""The async Omnium client on httpx.

It speaks Omnium's order and workflow endpoints, keeps one bearer token cached until shortly
before it expires, renews it once when a call answers 401, and turns every failure into one of
the typed errors in `packstation.omnium.errors`. It never retries a call otherwise: whether to
resend a workflow call is the outbox's decision, and the errors say what it needs to know.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, Field, SecretStr, TypeAdapter, ValidationError

from packstation import __version__
from packstation.omnium import redact
from packstation.omnium.errors import (
    InvalidResponse,
    Unauthorized,
)
from packstation.omnium.models import OmniumOrder
from packstation.omnium.order_types import OrderType
from packstation.omnium.responses import error_for_response
from packstation.omnium.search import OrderSearchRequest, OrderSearchResult
from packstation.omnium.token import Token, parse_token_answer, renewal_margin
from packstation.omnium.transport import MAX_ANSWER_BYTES, Exchange
from packstation.omnium.wire import MAX_ENTRIES, WireModel
from packstation.omnium.workflow import (
    ActionResult,
    UpdateLineItemStatusPatch,
    UpdateStatusPatch,
    WorkflowExecutionResult,
)

log = logging.getLogger(__name__)

TOKEN_PATH = "/api/Token"
ORDERS_PATH = "/api/Orders"
ORDER_TYPES_PATH = "/api/Settings/OrderTypes"

_ORDER_TYPES = TypeAdapter(list[OrderType])

MAX_DOCUMENT_BYTES = 8 * 1024 * 1024
"""Largest document read from a link (a carrier label); a 4x6 PDF label is about 50 kB."""

_M = TypeVar("_M", bound=BaseModel)


@dataclass(frozen=True)
class LinkedDocument:
    """A document read from a link Omnium holds (a carrier's label): its bytes and type."""

    url: str
    content: bytes
    content_type: str


def _segment(value: str, what: str) -> str:
    # Order ids are free text; quote everything so "/" or "?" cannot change the endpoint.
    if not value or not value.strip():
        raise ValueError(f"{what} is empty")
    return quote(value, safe="")


class _OrderId(WireModel):
    """An order in an answer read for its id only (the rest is skipped while parsing)."""

    id: str


class _WorkflowAnswer(WireModel):
    """A WorkflowExecutionResult read without the contents of its order."""

    order: _OrderId | None = None
    is_aborted: bool = False
    order_action_execution_results: list[ActionResult] = Field(
        default_factory=list, max_length=MAX_ENTRIES
    )


def _same_order(order: OmniumOrder, order_id: str, what: str) -> None:
    """Refuse an answer about another order than the one asked for (never use it)."""
    if order.id != order_id:
        raise InvalidResponse(
            f"{what}: the answer is order {order.id!r}, not the {order_id!r} asked for; refused",
            status_code=200,
        )


class OmniumClient:
    """Async client of Omnium's order API; `async with OmniumClient(...) as client:`."""

    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: str,
        *,
        timeout: float = 30.0,
        connect_timeout: float = 5.0,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        max_answer_bytes: int = MAX_ANSWER_BYTES,
    ) -> None:
        """Prepare a client; no request is made until the first call.

        `timeout` bounds each read and write; a whole request (connect, send, the complete
        answer) must also finish within `connect_timeout + timeout` seconds, so a server
        trickling its answer cannot hold a call forever.
        """
        base = base_url.strip().rstrip("/")
        if not base.lower().startswith(("http://", "https://")):
            raise ValueError("base_url must be an http:// or https:// URL")
        if timeout <= 0 or connect_timeout <= 0:
            raise ValueError("timeouts must be positive")
        if max_answer_bytes <= 0:
            raise ValueError("max_answer_bytes must be positive")
        self._base_url = base
        self._url_password = httpx.URL(base).password
        self._client_id = client_id
        self._secret = SecretStr(client_secret)
        self._token: Token | None = None
        # Replaced tokens may still be echoed by a server or a late log line: mask them too.
        self._old_tokens: deque[str] = deque(maxlen=4)
        self._token_lock = asyncio.Lock()
        self._clock = clock
        redact.install_log_redaction()
        redact.register(self)
        self._http = httpx.AsyncClient(
            base_url=base,
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            transport=transport,
            headers={"Accept": "application/json", "User-Agent": f"packstation/{__version__}"},
            follow_redirects=False,
            # A plain-http base URL (the loopback sandbox) never does TLS, and redirects are
            # not followed: skip loading the CA bundle, about 50 ms of every start.
            verify=base.lower().startswith("https://"),
            # Proxy settings from the environment would bypass an injected (test) transport.
            trust_env=transport is None,
        )
        self._transport = Exchange(
            self._http,
            deadline=connect_timeout + timeout,
            max_answer_bytes=max_answer_bytes,
            clean=self._clean,
        )
        # Links on other hosts (a carrier's label): made on first use, never with credentials.
        self._timeout = httpx.Timeout(timeout, connect=connect_timeout)
        self._injected = transport
        self._elsewhere: Exchange | None = None
        self._elsewhere_http: httpx.AsyncClient | None = None

    # --- lifecycle ---------------------------------------------------------------------------

    async def __aenter__(self) -> OmniumClient:
        """Use the client as an async context manager."""
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the connection pool."""
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool; the client cannot be used afterwards."""
        await self._http.aclose()
        if self._elsewhere_http is not None:
            await self._elsewhere_http.aclose()

    @property
    def base_url(self) -> str:
        """The Omnium base URL, without a trailing slash (a password in it masked: for display)."""
        return redact.mask_url_password(self._base_url)

    @property
    def client_id(self) -> str:
        """The API user's client id (not secret)."""
        return self._client_id

    def __repr__(self) -> str:
        """Only what is safe to show: never the secret or the token."""
        return f"OmniumClient(base_url={self.base_url!r}, client_id={self._client_id!r})"

    def secret_values(self) -> Iterator[str]:
        """The values the log filter and error messages must mask."""
        yield self._secret.get_secret_value()
        if self._url_password:
            yield self._url_password
        if self._token is not None:
            yield self._token.value
        yield from self._old_tokens

    def _clean(self, text: str) -> str:
        return redact.redact(text, self.secret_values())

    # --- the token ---------------------------------------------------------------------------

    async def get_token(self) -> str:
        """A valid bearer token, fetched from `POST /api/Token` only when needed."""
        token = self._token
        if token is not None and self._clock() < token.renew_at:
            return token.value
        async with self._token_lock:
            # Another task may have renewed it while this one waited for the lock.
            token = self._token
            if token is not None and self._clock() < token.renew_at:
                return token.value
            if self._token is not None:
                self._old_tokens.append(self._token.value)
            self._token = await self._fetch_token()
            return self._token.value

    async def _fetch_token(self) -> Token:
        started = self._clock()
        params = {
            "clientId": self._client_id,
            "clientSecret": self._secret.get_secret_value(),
            "returnAsJson": "true",
        }
        response = await self._transport.exchange("POST", TOKEN_PATH, params=params)
        if not response.is_success:
            error = error_for_response(response, self._clean)
            if isinstance(error, Unauthorized):
                error = Unauthorized(
                    f"the token endpoint refused client id {self._client_id!r}: {error.message}",
                    status_code=error.status_code,
                )
            raise error
        value, lifetime = parse_token_answer(response, time.time())
        log.debug("token obtained for client id %r, valid %.0f s", self._client_id, lifetime)
        return Token(value, started + lifetime - renewal_margin(lifetime))

    def _drop_token(self, stale: str) -> None:
        # Only drop the token the failed call used: a concurrent call may have renewed already.
        if self._token is not None and self._token.value == stale:
            self._old_tokens.append(stale)
            self._token = None

    # --- HTTP --------------------------------------------------------------------------------

    async def _call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        body: Any = None,
    ) -> httpx.Response:
        """An authorised call: renews the token once on a 401, raises on any failure."""
        token = await self.get_token()
        response = await self._transport.exchange(
            method, path, params=params, body=body, token=token
        )
        if response.status_code == 401:
            # A 401 means the request was refused before it was processed: safe to repeat once.
            log.info("%s %s answered 401; renewing the token once", method, path)
            self._drop_token(token)
            token = await self.get_token()
            response = await self._transport.exchange(
                method, path, params=params, body=body, token=token
            )
        if not response.is_success:
            raise error_for_response(response, self._clean)
        return response

    def _parse(self, response: httpx.Response, model: type[_M], what: str) -> _M:
        try:
            # Straight from the bytes: no dict of a 5,000-line order is built on the way.
            return model.model_validate_json(response.content)
        except ValueError as exc:  # pydantic's ValidationError, also for text that is not JSON
            first = exc.errors()[0] if isinstance(exc, ValidationError) else None
            if first is None or first["type"] == "json_invalid":
                reason = "not JSON"
            else:
                loc = ".".join(str(p) for p in first["loc"]) or "(root)"
                reason = f"{loc}: {first['msg']}"
            raise InvalidResponse(
                self._clean(f"{what}: the answer is not a valid {model.__name__} ({reason})"),
                status_code=response.status_code,
            ) from None

    # --- endpoints ---------------------------------------------------------------------------

    async def get_order(self, order_id: str) -> OmniumOrder:
        """`GET /api/Orders/{orderId}`."""
        path = f"{ORDERS_PATH}/{_segment(order_id, 'order_id')}"
        order = self._parse(await self._call("GET", path), OmniumOrder, f"GET {path}")
        _same_order(order, order_id, f"GET {path}")
        return order

    async def search_orders(self, request: OrderSearchRequest) -> OrderSearchResult:
        """`POST /api/Orders/Search` (page is 0-based, take at most 100)."""
        path = f"{ORDERS_PATH}/Search"
        # Paging is always sent: the server's defaults are not ours to guess.
        body = request.model_dump(mode="json", by_alias=True, exclude_none=True)
        response = await self._call("POST", path, body=body)
        return self._parse(response, OrderSearchResult, f"POST {path}")

    async def get_orders(
        self,
        store_id: str | None = None,
        status: str | None = None,
        page: int = 1,
        page_size: int = 20,
    ) -> OrderSearchResult:
        """`GET /api/Orders/GetOrders` (page is 1-based)."""
        if page < 1 or page_size < 1:
            raise ValueError("page and page_size start at 1")
        params: dict[str, str | int] = {"page": page, "pageSize": page_size}
        if store_id is not None:
            params["storeId"] = store_id
        if status is not None:
            params["status"] = status
        path = f"{ORDERS_PATH}/GetOrders"
        response = await self._call("GET", path, params=params)
        return self._parse(response, OrderSearchResult, f"GET {path}")

    async def create_order(self, order: OmniumOrder) -> OmniumOrder:
        """`POST /api/Orders`: create an order with its own unique id."""
        response = await self._call("POST", ORDERS_PATH, body=order.to_json_dict())
        return self._parse(response, OmniumOrder, f"POST {ORDERS_PATH}")

    async def update_status(
        self, order_id: str, patch: UpdateStatusPatch
    ) -> WorkflowExecutionResult:
        """`POST /api/Orders/{orderId}/UpdateStatus` and the workflow it runs."""
        path = f"{ORDERS_PATH}/{_segment(order_id, 'order_id')}/UpdateStatus"
        response = await self._call("POST", path, body=patch.to_json_dict())
        result = self._parse(response, WorkflowExecutionResult, f"POST {path}")
        if result.order is not None:
            _same_order(result.order, order_id, f"POST {path}")
        return result

    async def order_lines_update(
        self, order_id: str, patch: UpdateLineItemStatusPatch, *, with_order: bool = True
    ) -> WorkflowExecutionResult:
        """`POST /api/Orders/{orderId}/OrderLinesUpdate` and the workflow it runs.

        `with_order=False`: the answer's order is checked for its id and left out of the result
        (`order` None). A submit of a 5,000-line order sends 20 requests; reading the whole
        order from each answer cost the station more than everything else it does.
        """
        path = f"{ORDERS_PATH}/{_segment(order_id, 'order_id')}/OrderLinesUpdate"
        response = await self._call("POST", path, body=patch.to_json_dict())
        if not with_order:
            answer = self._parse(response, _WorkflowAnswer, f"POST {path}")
            if answer.order is not None and answer.order.id != order_id:
                raise InvalidResponse(
                    f"POST {path}: the answer is order {answer.order.id!r}, not the "
                    f"{order_id!r} asked for; refused",
                    status_code=200,
                )
            return WorkflowExecutionResult(
                is_aborted=answer.is_aborted,
                order_action_execution_results=answer.order_action_execution_results,
            )
        result = self._parse(response, WorkflowExecutionResult, f"POST {path}")
        if result.order is not None:
            _same_order(result.order, order_id, f"POST {path}")
        return result

    async def process_cart_workflow_test(
        self, cart_id: str, status: str
    ) -> WorkflowExecutionResult:
        """`POST /api/Orders/{cartId}/processCartWorkflowTest/{status}`: a dry run."""
        path = (
            f"{ORDERS_PATH}/{_segment(cart_id, 'cart_id')}"
            f"/processCartWorkflowTest/{_segment(status, 'status')}"
        )
        response = await self._call("POST", path)
        return self._parse(response, WorkflowExecutionResult, f"POST {path}")

    def is_omnium_url(self, url: str) -> bool:
        """True when `url` is on Omnium's host (scheme, host and port of the base URL)."""
        try:
            link, base = httpx.URL(url), httpx.URL(self._base_url)
        except (httpx.InvalidURL, TypeError):
            return False
        return (link.scheme, link.host, link.port) == (base.scheme, base.host, base.port)

    async def download(self, url: str, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> LinkedDocument:
        """`GET` a document from a link on an order (a carrier label), bounded in size and time.

        On Omnium's host it goes with the station's token (renewed once on 401); anywhere else
        it goes without any credential, through a client that verifies TLS. Redirects are not
        followed, so the token cannot be carried to another host.
        """
        try:
            link = httpx.URL(url)
        except (httpx.InvalidURL, TypeError):
            raise InvalidResponse(f"not a usable link: {url[:200]!r}") from None
        if link.scheme not in ("http", "https") or not link.host:
            raise InvalidResponse(f"not an http(s) link: {url[:200]!r}")
        shown = self._clean(str(link.copy_with(query=None)))
        if self.is_omnium_url(url):
            token = await self.get_token()
            response = await self._transport.exchange(
                "GET", url, token=token, accept="*/*", max_bytes=max_bytes
            )
            if response.status_code == 401:
                self._drop_token(token)
                token = await self.get_token()
                response = await self._transport.exchange(
                    "GET", url, token=token, accept="*/*", max_bytes=max_bytes
                )
        else:
            response = await self._other_hosts().exchange(
                "GET", url, accept="*/*", max_bytes=max_bytes
            )
        if not response.is_success:
            raise error_for_response(response, self._clean)
        kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        return LinkedDocument(url=shown, content=response.content, content_type=kind)

    def _other_hosts(self) -> Exchange:
        """Requests to other hosts: no base URL, no credentials, TLS verified."""
        if self._elsewhere is None:
            self._elsewhere_http = httpx.AsyncClient(
                timeout=self._timeout,
                transport=self._injected,
                headers={"User-Agent": f"packstation/{__version__}"},
                follow_redirects=False,
                trust_env=self._injected is None,
            )
            self._elsewhere = Exchange(
                self._elsewhere_http,
                deadline=self._transport.deadline,
                max_answer_bytes=MAX_DOCUMENT_BYTES,
                clean=self._clean,
            )
        return self._elsewhere

    async def get_order_pdf(
        self, order_id: str, *, shipment_id: str | None = None, template_file: str | None = None
    ) -> bytes:
        """`GET /api/Orders/GetAsPdf/{orderId}`: the order document (packing slip) as PDF bytes.

        The contract documents the answer as a JSON string: a base64 PDF. A server that answers
        with the PDF itself is read as well. Anything that is not a PDF is refused."""
        path = f"{ORDERS_PATH}/GetAsPdf/{_segment(order_id, 'order_id')}"
        params: dict[str, str | int] = {}
        if template_file:
            params["templateFile"] = template_file
        if shipment_id:
            params["shipmentId"] = shipment_id
        response = await self._call("GET", path, params=params or None)
        content = response.content
        if not content.startswith(b"%PDF-"):
            try:
                content = base64.b64decode(json.loads(content), validate=True)
            except (ValueError, TypeError):
                content = b""
        if not content.startswith(b"%PDF-"):
            raise InvalidResponse(
                f"GET {path}: the answer is not a PDF (nor a base64 PDF in a JSON string)",
                status_code=response.status_code,
            )
        return content

    async def order_types(self) -> list[OrderType]:
        """`GET /api/Settings/OrderTypes`: each order type with its statuses and their steps."""
        response = await self._call("GET", ORDER_TYPES_PATH)
        try:
            return _ORDER_TYPES.validate_python(response.json())
        except ValueError:
            raise InvalidResponse(
                self._clean(f"GET {ORDER_TYPES_PATH}: the answer is not a list of order types"),
                status_code=response.status_code,
            ) from None
