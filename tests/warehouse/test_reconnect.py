"""A station notices a restarted PostgreSQL at its next publish, however long it was away."""

from __future__ import annotations

import time
from pathlib import Path

from warehouse_support import pack_order, station

from packstation.warehouse import buffer
from packstation.warehouse.connect import open_pool
from packstation.warehouse.publisher import Publisher, publish_batch
from packstation.warehouse.trial_server import TrialServer

AWAY_SECONDS = 18.0
"""Long enough that a connection pool doubling its pause from 1 s (psycopg_pool's default) would
next try some 15 s after the restart, beyond the 5 s a publish waits for a connection."""


def test_first_publish_after_a_restart_goes_through(
    tmp_path: Path, pg_server: TrialServer, warehouse_dsn: str
) -> None:
    store, uid = station(tmp_path / "s")
    pool = open_pool(warehouse_dsn, max_size=2, wait=True)
    publisher = Publisher(store, pool, uid, idle=0.05)
    publisher.start()
    try:
        pack_order(store, "ORD-0")
        publisher.wake()
        deadline = time.monotonic() + 30
        while buffer.waiting_count(store) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert buffer.waiting_count(store) == 0
        pg_server.stop()
        # The station packs on while PostgreSQL is away; the worker keeps failing meanwhile.
        away_until = time.monotonic() + AWAY_SECONDS
        packed = 0
        while time.monotonic() < away_until:
            packed += 1
            pack_order(store, f"ORD-{packed}")
            publisher.wake()
            time.sleep(0.5)
        assert publisher.last_error is not None
        waiting = buffer.waiting_count(store)
        assert waiting == packed * 3
    finally:
        publisher.stop()
    pg_server.start()
    # The worker is stopped: this one publish is the only try, and it must not meet a pool
    # still pausing from the outage.
    try:
        assert publish_batch(store, pool, uid) == waiting
        assert buffer.waiting_count(store) == 0
    finally:
        pool.close()
        store.close()
