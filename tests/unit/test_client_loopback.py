"""The Omnium client over real HTTP on loopback: httpcore's own logging, real timeouts."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from loopback_http import read_request

from packstation.omnium.client import OmniumClient
from packstation.omnium.errors import OmniumUnavailable

SECRET = "loopback-secret-77"
TOKEN = "loopback-token-0123456789"
ORDER = {"id": "ORD-1", "status": "New"}

Serve = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


async def answer_requests(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """A minimal keep-alive HTTP/1.1 server: a token for /api/Token, else the order."""
    try:
        while True:
            if "/api/Token" in await read_request(reader):
                body = json.dumps({"accessToken": TOKEN, "expiresIn": 3600})
            else:
                body = json.dumps(ORDER)
            writer.write(
                (
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(body)}\r\n\r\n{body}"
                ).encode()
            )
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def never_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Reads the request and then says nothing."""
    await asyncio.sleep(5)
    writer.close()


async def start(serve: Serve) -> AsyncIterator[str]:
    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()


@pytest.fixture
async def omnium_url() -> AsyncIterator[str]:
    async for url in start(answer_requests):
        yield url


@pytest.fixture
async def silent_url() -> AsyncIterator[str]:
    async for url in start(never_answer):
        yield url


async def test_no_secret_in_any_log_record_over_real_http(
    omnium_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with OmniumClient(omnium_url, "station", SECRET) as client:
        order = await client.get_order("ORD-1")
    assert order.id == "ORD-1"
    names = {r.name for r in caplog.records}
    assert "httpx" in names and any(n.startswith("httpcore") for n in names)
    for record in caplog.records:
        message = record.getMessage()
        assert SECRET not in message
        assert TOKEN not in message


async def test_connection_refused_means_not_sent() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # Nothing listens on the port any more.
    async with OmniumClient(f"http://127.0.0.1:{port}", "station", SECRET) as client:
        with pytest.raises(OmniumUnavailable) as exc:
            await client.get_order("ORD-1")
    assert exc.value.sent is False
    assert not exc.value.outcome_unknown


async def test_read_timeout_means_sent(silent_url: str) -> None:
    client = OmniumClient(silent_url, "station", SECRET, timeout=0.2, connect_timeout=1.0)
    async with client:
        with pytest.raises(OmniumUnavailable) as exc:
            await client.get_token()
    assert exc.value.sent is True and exc.value.timed_out
    # The read timeout, or on a loaded machine the whole request's deadline, whichever is first.
    assert "timeout" in str(exc.value)
    assert SECRET not in str(exc.value)


async def test_a_password_in_the_url_is_never_shown(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    password = "url-pass-5150"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://station:{password}@127.0.0.1:{port}"
    async with OmniumClient(url, "station", SECRET) as client:
        assert client.base_url == f"http://station:***@127.0.0.1:{port}"
        with pytest.raises(OmniumUnavailable) as exc:
            await client.get_order("ORD-1")
        texts = [client.base_url, repr(client), str(exc.value)]
    texts += [r.getMessage() for r in caplog.records]
    for text in texts:
        assert password not in text
