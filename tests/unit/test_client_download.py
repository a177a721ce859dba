"""Documents read from links on an order: the token goes to Omnium's host only, answers are
bounded, redirects are not followed."""

from __future__ import annotations

import httpx
import pytest

from packstation.omnium.client import OmniumClient
from packstation.omnium.errors import InvalidResponse, OmniumError, OrderNotFound

PDF = b"%PDF-1.4 label"


def omnium_and_carrier(seen: list[httpx.Request]) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/api/Token":
            return httpx.Response(200, json={"accessToken": "tok-123", "expiresIn": 3600})
        if request.url.path == "/redirect.pdf":
            return httpx.Response(302, headers={"Location": "https://evil.test/steal"})
        if request.url.path == "/huge.pdf":
            return httpx.Response(200, content=b"%PDF-" + b"x" * 5000)
        if request.url.path == "/missing.pdf":
            return httpx.Response(404, json={"title": "not found"})
        return httpx.Response(200, content=PDF, headers={"Content-Type": "application/pdf"})

    return httpx.MockTransport(answer)


async def test_the_token_goes_to_omniums_host_and_nowhere_else() -> None:
    seen: list[httpx.Request] = []
    async with OmniumClient(
        "https://omnium.test", "id", "secret", transport=omnium_and_carrier(seen)
    ) as client:
        on_omnium = await client.download("https://omnium.test/labels/1/2/AB1.pdf")
        elsewhere = await client.download("https://carrier.test/labels/AB1.pdf")
        other_port = await client.download("https://omnium.test:8443/labels/AB1.pdf")
    assert on_omnium.content == PDF and on_omnium.content_type == "application/pdf"
    assert elsewhere.content == PDF and other_port.content == PDF
    by_host = {(r.url.host, r.url.port): r for r in seen if r.url.path != "/api/Token"}
    assert by_host[("omnium.test", None)].headers["Authorization"] == "Bearer tok-123"
    assert "Authorization" not in by_host[("carrier.test", None)].headers
    assert "Authorization" not in by_host[("omnium.test", 8443)].headers


async def test_redirects_are_not_followed_sizes_are_bounded_and_errors_typed() -> None:
    seen: list[httpx.Request] = []
    async with OmniumClient(
        "https://omnium.test", "id", "secret", transport=omnium_and_carrier(seen)
    ) as client:
        with pytest.raises(OmniumError) as redirected:
            await client.download("https://omnium.test/redirect.pdf")
        with pytest.raises(InvalidResponse, match="too large"):
            await client.download("https://carrier.test/huge.pdf", max_bytes=1000)
        with pytest.raises(OrderNotFound):
            await client.download("https://omnium.test/missing.pdf")
        with pytest.raises(InvalidResponse, match="not an http"):
            await client.download("file:///etc/passwd")
    assert "302" in str(redirected.value)
    assert all(r.url.host != "evil.test" for r in seen)
