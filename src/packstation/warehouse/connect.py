"""The station's connection pool to the warehouse database (psycopg 3 with psycopg_pool)."""

from __future__ import annotations

from psycopg_pool import ConnectionPool

CONNECT_TIMEOUT = 3
"""Seconds to open a connection: an unreachable server must not hold a worker for long."""
CHECKOUT_TIMEOUT = 5.0
"""Seconds to wait for a pooled connection before the caller is told the database is away."""


def open_pool(dsn: str, *, max_size: int = 4, wait: bool = False) -> ConnectionPool:
    """A pool to `dsn`, opened in the background (wait=False): a station starts whether or not
    PostgreSQL answers. Each connection is checked before use, so a restarted server costs one
    failed check, not a failed publish."""
    pool = ConnectionPool(
        dsn,
        min_size=1,
        max_size=max_size,
        # Autocommit: each `with conn.transaction()` is one real transaction, and reads take
        # no snapshot that would hide another desk's action.
        kwargs={
            "connect_timeout": CONNECT_TIMEOUT,
            "application_name": "packstation",
            "autocommit": True,
        },
        timeout=CHECKOUT_TIMEOUT,
        check=ConnectionPool.check_connection,
        open=False,
        name="warehouse",
    )
    pool.open(wait=wait, timeout=CHECKOUT_TIMEOUT)
    return pool
