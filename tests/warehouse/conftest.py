"""Fixtures of the warehouse tests: one real PostgreSQL server per test session (per xdist
worker), started from the machine's PostgreSQL programs, and a fresh migrated database per test.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from packstation.warehouse import schema
from packstation.warehouse.trial_server import TrialServer

_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[TrialServer]:
    """A PostgreSQL server of this test session, in a folder of its own (removed after)."""
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
            server.start()  # a test that killed it and failed before restarting
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def warehouse_dsn(pg_server: TrialServer) -> str:
    """A new, migrated warehouse database on the session's server."""
    if not pg_server.running():
        pg_server.start()
    dsn = pg_server.create_database(f"wh_{os.getpid()}_{next(_numbers)}")
    with psycopg.connect(dsn, autocommit=True) as conn:
        schema.migrate(conn)
    return dsn


@pytest.fixture
def pg(warehouse_dsn: str) -> Iterator[psycopg.Connection]:
    """A connection to the test's warehouse database, for assertions."""
    with psycopg.connect(warehouse_dsn, autocommit=True) as conn:
        yield conn
