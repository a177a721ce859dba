"""Property-based fuzzing of the sandbox's own OpenAPI document (schemathesis, valid and invalid
inputs): no request, however wrong, may produce a 5xx or a non-ProblemDetails error."""

from __future__ import annotations

import asyncio

import httpx
import schemathesis
from hypothesis import HealthCheck, settings
from sandbox_support import BASE, token_for

from packstation.sandbox.app import create_app
from packstation.sandbox.auth import DEMO_CLIENT_ID

APP = create_app()
APP.state.sandbox.workflow_config = APP.state.sandbox.workflow_config.without_latency()


async def _token() -> str:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=APP), base_url=BASE) as c:
        return await token_for(c, DEMO_CLIENT_ID)


_TOKEN = asyncio.run(_token())

schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_input_makes_the_sandbox_fail(case: schemathesis.Case) -> None:
    response = case.call(headers={"Authorization": f"Bearer {_TOKEN}"})
    assert response.status_code < 500, (case.method, case.path, response.text[:500])
    if response.status_code >= 400:
        content_type = {k.lower(): v for k, v in response.headers.items()}["content-type"]
        assert content_type[0].startswith("application/problem+json")
        body = response.json()
        assert body["status"] == response.status_code and body["detail"]
        assert "Traceback" not in response.text
