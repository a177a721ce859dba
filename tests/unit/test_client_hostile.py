"""The Omnium client against a hostile back end on loopback: trickling, flooding, lying."""

from __future__ import annotations

import asyncio
import gzip
import json
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from loopback_http import read_request

from packstation.omnium.client import OmniumClient
from packstation.omnium.errors import InvalidResponse, OmniumUnavailable
from packstation.omnium.workflow import UpdateStatusPatch

TOKEN = json.dumps({"accessToken": "hostile-token", "expiresIn": 3600}).encode()
Answer = Callable[[str, asyncio.StreamWriter], Awaitable[None]]
MB = 1024 * 1024


class Server:
    """A keep-alive HTTP/1.1 server: a token for /api/Token, anything else by `answer`."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.sent = 0
        """Body bytes written for non-token requests (what the client made us send)."""

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                target = (await read_request(reader)).split(" ")[1]
                if target.startswith("/api/Token"):
                    writer.write(ok_head(len(TOKEN)) + TOKEN)
                    await writer.drain()
                    continue
                await self.answer(target, writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    def write(self, writer: asyncio.StreamWriter, data: bytes) -> None:
        self.sent += len(data)
        writer.write(data)


def ok_head(length: int | None, extra: str = "") -> bytes:
    size = f"Content-Length: {length}\r\n" if length is not None else ""
    return f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{size}{extra}\r\n".encode()


async def running(server: Server) -> AsyncIterator[str]:
    listener = await asyncio.start_server(server.serve, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        listener.close()


@pytest.fixture
async def serve() -> AsyncIterator[Callable[[Answer], Awaitable[tuple[str, Server]]]]:
    started: list[AsyncIterator[str]] = []

    async def start(answer: Answer) -> tuple[str, Server]:
        server = Server(answer)
        gen = running(server)
        started.append(gen)
        return await gen.__anext__(), server

    yield start
    for gen in started:
        await gen.aclose()


def client(url: str, **kwargs: object) -> OmniumClient:
    options: dict[str, object] = {"timeout": 1.0, "connect_timeout": 0.5, **kwargs}
    return OmniumClient(url, "station", "hostile-secret-42", **options)  # type: ignore[arg-type]


async def test_a_trickling_answer_times_out_as_a_whole(serve: Callable[..., object]) -> None:
    async def trickle(_target: str, writer: asyncio.StreamWriter) -> None:
        # One byte every 0.1 s never trips the 1 s read timeout: only a total deadline helps.
        writer.write(ok_head(10_000))
        for _ in range(10_000):
            writer.write(b" ")
            await writer.drain()
            await asyncio.sleep(0.1)

    url, _server = await serve(trickle)  # type: ignore[operator]
    async with client(url) as omnium:
        with pytest.raises(OmniumUnavailable) as caught:
            await asyncio.wait_for(omnium.get_order("ORD-1"), 60)
    assert caught.value.sent is True and caught.value.outcome_unknown
    assert "timeout" in str(caught.value) and "1.5 s" in str(caught.value)


@pytest.mark.parametrize("announced", [True, False], ids=["content-length", "chunked"])
async def test_a_flood_is_refused_without_reading_it_all(
    serve: Callable[..., object], announced: bool
) -> None:
    async def flood(_target: str, writer: asyncio.StreamWriter) -> None:
        # 200 MB, written as fast as the client reads it.
        if announced:
            server.write(writer, ok_head(200 * MB))
        else:
            server.write(writer, ok_head(None, "Transfer-Encoding: chunked\r\n"))
        block = b"x" * MB
        for _ in range(200):
            server.write(writer, b"%x\r\n%s\r\n" % (len(block), block) if not announced else block)
            await writer.drain()
        writer.write(b"0\r\n\r\n" if not announced else b"")
        await writer.drain()

    url, server = await serve(flood)  # type: ignore[operator]
    async with client(url, timeout=30.0, max_answer_bytes=2 * MB) as omnium:
        with pytest.raises(InvalidResponse, match="too large") as caught:
            await omnium.get_order("ORD-1")
    assert caught.value.outcome_unknown
    # Refused after about the limit (plus what the sockets buffer), not after 200 MB.
    assert server.sent < 40 * MB


async def test_a_compressed_bomb_is_refused(serve: Callable[..., object]) -> None:
    bomb = gzip.compress(b" " * (64 * MB))  # about 64 kB on the wire

    async def answer(_target: str, writer: asyncio.StreamWriter) -> None:
        writer.write(ok_head(len(bomb), "Content-Encoding: gzip\r\n") + bomb)
        await writer.drain()

    url, _server = await serve(answer)  # type: ignore[operator]
    async with client(url, timeout=60.0, max_answer_bytes=2 * MB) as omnium:
        with pytest.raises(InvalidResponse, match="too large"):
            await omnium.get_order("ORD-1")


async def test_a_compressed_answer_within_the_limit_is_read(serve: Callable[..., object]) -> None:
    body = gzip.compress(json.dumps({"id": "ORD-1", "status": "New"}).encode())

    async def answer(_target: str, writer: asyncio.StreamWriter) -> None:
        writer.write(ok_head(len(body), "Content-Encoding: gzip\r\n") + body)
        await writer.drain()

    url, _server = await serve(answer)  # type: ignore[operator]
    # A generous deadline: this test is about the content, not about time (CI may be loaded).
    async with client(url, timeout=30.0) as omnium:
        order = await omnium.get_order("ORD-1")
    assert order.id == "ORD-1" and order.status == "New"


async def test_an_answer_about_another_order_is_refused(serve: Callable[..., object]) -> None:
    other = json.dumps({"id": "ORD-2", "status": "New"}).encode()
    result = json.dumps({"order": {"id": "ORD-2"}, "isAborted": False}).encode()

    async def answer(target: str, writer: asyncio.StreamWriter) -> None:
        body = result if target.endswith("/UpdateStatus") else other
        writer.write(ok_head(len(body)) + body)
        await writer.drain()

    url, _server = await serve(answer)  # type: ignore[operator]
    async with client(url, timeout=30.0) as omnium:
        with pytest.raises(InvalidResponse, match="'ORD-2', not the 'ORD-1'"):
            await omnium.get_order("ORD-1")
        with pytest.raises(InvalidResponse, match="'ORD-2', not the 'ORD-1'") as caught:
            await omnium.update_status("ORD-1", UpdateStatusPatch(status="Completed"))
    # A workflow answer that cannot be trusted: the outbox re-reads the order before resending.
    assert caught.value.outcome_unknown
