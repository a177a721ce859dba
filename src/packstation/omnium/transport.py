"""One HTTP request to Omnium and its complete answer, within a deadline and a size limit."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from packstation.omnium.errors import InvalidResponse, OmniumUnavailable

# The client's logger: redact.REDACTED_LOGGERS masks secrets in its records.
log = logging.getLogger("packstation.omnium.client")

MAX_ANSWER_BYTES = 32 * 1024 * 1024
"""Largest answer body read (after decompression); a bigger one is refused while streaming.

A 250-line order is about 0.5 MB and a search page of 100 orders a few MB."""

# Failures before the request could have reached the server: nothing was sent.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


class Exchange:
    """Sends requests on an httpx client; failures become Omnium's typed errors."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        deadline: float,
        max_answer_bytes: int,
        clean: Callable[[str], str],
    ) -> None:
        self._http = http
        self.deadline = deadline
        """Seconds for a whole request: connect, send and the complete answer."""
        self.max_answer_bytes = max_answer_bytes
        self._clean = clean  # masks secrets in the text of transport errors

    async def exchange(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        body: Any = None,
        token: str | None = None,
        accept: str | None = None,
        max_bytes: int | None = None,
    ) -> httpx.Response:
        """One request and its complete answer, within the deadline and the size limit
        (`max_bytes` instead of the default limit; `accept` instead of JSON).

        Transport failures and the deadline become `OmniumUnavailable`; an answer over the
        size limit becomes `InvalidResponse` (both: the call may have been applied).
        """
        headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
        if accept is not None:
            headers["Accept"] = accept
        limit = self.max_answer_bytes if max_bytes is None else max_bytes
        try:
            async with asyncio.timeout(self.deadline):
                request = self._http.stream(
                    method, path, params=params, json=body, headers=headers or None
                )
                async with request as streamed:
                    response = await self._read_answer(streamed, method, path, limit)
        except TimeoutError:
            raise OmniumUnavailable(
                f"{method} {path}: timeout, no complete answer within {self.deadline:g} s",
                sent=True,
                timed_out=True,
            ) from None
        except httpx.RequestError as exc:
            sent = not isinstance(exc, _NOT_SENT)
            timed_out = isinstance(exc, httpx.TimeoutException)
            what = "no connection" if not sent else "no complete answer"
            if timed_out:
                what = f"timeout, {what}"
            detail = self._clean(str(exc).strip()) or "no details"
            # `from None`: the httpx error holds the request, i.e. the URL and the token.
            raise OmniumUnavailable(
                f"{method} {path}: {what} ({type(exc).__name__}: {detail})",
                sent=sent,
                timed_out=timed_out,
            ) from None
        log.debug("%s %s -> %d", method, path, response.status_code)
        return response

    async def _read_answer(
        self, streamed: httpx.Response, method: str, path: str, limit: int
    ) -> httpx.Response:
        """The streamed answer read into memory, refused as soon as it exceeds `limit`."""
        declared = streamed.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise self._too_large(
                streamed, method, path, f"{int(declared):,} bytes announced", limit
            )
        chunks: list[bytes] = []
        size = 0
        # Decoded bytes are counted, so a small compressed body cannot unpack to gigabytes.
        async for chunk in streamed.aiter_bytes():
            size += len(chunk)
            if size > limit:
                raise self._too_large(streamed, method, path, f"over {limit:,} bytes", limit)
            chunks.append(chunk)
        # The body is already decoded: the new answer must not claim an encoding.
        kept = [
            (name, value)
            for name, value in streamed.headers.multi_items()
            if name.lower() not in ("content-encoding", "content-length", "transfer-encoding")
        ]
        return httpx.Response(
            streamed.status_code,
            headers=kept,
            content=b"".join(chunks),
            request=streamed.request,
        )

    def _too_large(
        self, streamed: httpx.Response, method: str, path: str, size: str, limit: int
    ) -> InvalidResponse:
        return InvalidResponse(
            f"{method} {path}: answer refused, too large ({size}; the limit is {limit:,} bytes)",
            status_code=streamed.status_code,
        )
