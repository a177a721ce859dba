"""Fixtures shared by every test package.

- `sandbox_app`: a fresh in-process sandbox (private temporary store, seeded with the demo data,
  workflow step latencies switched off so tests stay fast).
- `omnium_client`: an `OmniumClient` talking to `sandbox_app` over `httpx.ASGITransport`,
  already holding a token for `demo-station` (OrderAdmin).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from fastapi import FastAPI

from packstation.omnium.client import OmniumClient
from packstation.sandbox.app import create_app
from packstation.sandbox.auth import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

SANDBOX_TEST_URL = "http://sandbox.test"


@pytest.fixture
def sandbox_app() -> Iterator[FastAPI]:
    """A fresh sandbox app with the demo data and no step latency."""
    app = create_app()
    runtime = app.state.sandbox
    runtime.workflow_config = runtime.workflow_config.without_latency()
    yield app
    runtime.close()


@pytest.fixture
async def omnium_client(sandbox_app: FastAPI) -> AsyncIterator[OmniumClient]:
    """An OmniumClient on `sandbox_app`, logged in as demo-station."""
    transport = httpx.ASGITransport(app=sandbox_app)
    async with OmniumClient(
        SANDBOX_TEST_URL, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, transport=transport
    ) as client:
        await client.get_token()
        yield client
