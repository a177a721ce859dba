"""Fixtures shared by every test package.

- `sandbox_app`: a fresh in-process sandbox (private temporary store, seeded with the demo data,
  workflow step latencies switched off so tests stay fast).
- `omnium_client`: an `OmniumClient` talking to `sandbox_app` over `httpx.ASGITransport`,
  already holding a token for `demo-station` (OrderAdmin).
- `full_disk`: makes a station store's writes fail as on a full disk.
- `pg_server`, `warehouse_dsn`, `pg`: one real PostgreSQL server per test session (per xdist
  worker) from the machine's PostgreSQL programs, a fresh migrated warehouse database per test,
  and a connection to it.
"""

from __future__ import annotations

import itertools
import os
import shutil
import sqlite3
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from packstation.i18n import set_language
from packstation.omnium.client import OmniumClient
from packstation.sandbox.app import create_app
from packstation.sandbox.auth import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from packstation.station.store import StationStore

SANDBOX_TEST_URL = "http://sandbox.test"

# The tests read the station in English whatever the machine's locale (the default language is
# the system's); tests of another language set it themselves (the `language` fixture).
os.environ["LANGUAGE"] = "en"
os.environ.pop("PACKSTATION_LANGUAGE", None)


@pytest.fixture(autouse=True)
def _english_again() -> Iterator[None]:
    """Every test starts and leaves the station speaking English (the language is global)."""
    set_language("en")
    yield
    set_language("en")


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


_databases = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Any]:
    """A PostgreSQL server of this test session, in a folder of its own (removed after)."""
    from packstation.warehouse.trial_server import TrialServer

    # Not under pytest's tmp folder: as root the server runs as `postgres`, which must be able
    # to reach its folder, and pytest's folders are private to root.
    folder = Path(tempfile.mkdtemp(prefix="packstation-pg-"))
    folder.chmod(0o755)
    server = TrialServer.create(folder / "cluster")
    server.start()
    try:
        yield server
    finally:
        if not server.running():
            server.start()  # a test that killed it and failed before restarting it
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def warehouse_dsn(pg_server: Any) -> str:
    """A new, migrated warehouse database on the session's server."""
    import psycopg

    from packstation.warehouse import schema

    if not pg_server.running():
        pg_server.start()
    dsn: str = pg_server.create_database(f"wh_{os.getpid()}_{next(_databases)}")
    with psycopg.connect(dsn, autocommit=True) as conn:
        schema.migrate(conn)
    return dsn


@pytest.fixture
def pg(warehouse_dsn: str) -> Iterator[Any]:
    """A connection (autocommit) to the test's warehouse database, for assertions."""
    import psycopg

    with psycopg.connect(warehouse_dsn, autocommit=True) as conn:
        yield conn
