"""One HTTP/1.1 request read off a loopback socket, for the tests' hand-written servers."""

from __future__ import annotations

import asyncio


async def read_request(reader: asyncio.StreamReader) -> str:
    """The request line of the next request; its headers and body are read and dropped."""
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
    length = 0
    for line in head.split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "content-length":
            length = int(value)
    if length:
        await reader.readexactly(length)
    return head.split("\r\n")[0]
