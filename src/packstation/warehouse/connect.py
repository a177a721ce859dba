"""The station's connection pool to the warehouse database (psycopg 3 with psycopg_pool)."""

from __future__ import annotations

from psycopg_pool import ConnectionPool

CONNECT_TIMEOUT = 3
"""Seconds to open a connection: an unreachable server must not hold a worker for long."""
CHECKOUT_TIMEOUT = 5.0
"""Seconds to wait for a pooled connection before the caller is told the database is away."""
RECONNECT_SECONDS = 3.0
"""How long the pool keeps retrying a lost connection on its own (at 1 s, then 2 s later)
before it gives up until the next caller asks, which retries at once. psycopg_pool's default
(5 minutes, its pause doubling each time) could leave a station 30 to 60 s behind a database
that came back; this way a restart is noticed at the next publish, a few seconds at most."""


def open_pool(dsn: str, *, max_size: int = 4, wait: bool = False) -> ConnectionPool:
    """A pool to `dsn`, opened in the background (wait=False): a station starts whether or not
    PostgreSQL answers. Each connection is checked before use, so a restarted server costs one
    failed check, not a failed publish; a lost server is retried at least every few seconds
    (RECONNECT_SECONDS), so its return is noticed at once."""
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
        reconnect_timeout=RECONNECT_SECONDS,
        check=ConnectionPool.check_connection,
        open=False,
        name="warehouse",
    )
    pool.open(wait=wait, timeout=CHECKOUT_TIMEOUT)
    return pool
