"""Fixtures shared by every test package.

- `sandbox_app`: a fresh in-process sandbox (private temporary store, seeded with the demo data,
  workflow step latencies switched off so tests stay fast).
- `omnium_client`: an `OmniumClient` talking to `sandbox_app` over `httpx.ASGITransport`,
  already holding a token for `demo-station` (OrderAdmin).
- `full_disk`: makes a station store's writes fail as on a full disk.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from packstation.omnium.client import OmniumClient
from packstation.sandbox.app import create_app
from packstation.sandbox.auth import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from packstation.station.store import StationStore

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


class FullDisk:
    """A station store's connection whose writes fail as on a full disk while `full` is set."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self.full = True

    def _check(self, sql: str) -> None:
        if self.full and sql.lstrip().upper().startswith(WRITES):
            raise sqlite3.OperationalError("database or disk is full")

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        self._check(sql)
        return self._conn.execute(sql, *args)

    def executemany(self, sql: str, *args: Any) -> sqlite3.Cursor:
        self._check(sql)
        return self._conn.executemany(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@pytest.fixture
def full_disk() -> Callable[[StationStore], FullDisk]:
    """Make a store's writes fail with SQLite's "database or disk is full" (until .full=False)."""

    def fill(store: StationStore) -> FullDisk:
        disk = FullDisk(store.connection._conn)
        store.connection._conn = disk  # type: ignore[assignment]
        return disk

    return fill
