"""Publishing the station's buffered records to the warehouse database, in a worker thread.

A batch is inserted in one PostgreSQL transaction (records new to PostgreSQL also update the
cases there); only after its commit are the records dropped from the station's outbox. A crash
in between publishes the batch again, which PostgreSQL ignores by record id: nothing is lost,
nothing is stored twice. While PostgreSQL is away the worker waits and tries again; packing
never waits for it.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from packstation.station.connection import Transactions
from packstation.warehouse import buffer, cases

BATCH = 500
"""Records per PostgreSQL transaction."""
IDLE_SECONDS = 0.5
"""How often an idle worker looks for new records."""
RETRY_SECONDS = (0.5, 1.0, 2.0, 3.0)
"""Waits after consecutive failures (the last one repeats): a database back from a restart is
written to within a few seconds; a submit (`wake`) tries at once."""

log = logging.getLogger(__name__)

UNREACHABLE: tuple[type[Exception], ...] = (psycopg.Error, PoolTimeout, OSError)
"""What a lost or refused database connection raises."""

_INSERT = (
    "INSERT INTO records (record_id, station_uid, station_id, kind, payload, recorded_at)"
    " SELECT r, %s, s, k, p::jsonb, t::timestamptz"
    " FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::text[]) AS u(r, s, k, p, t)"
    " ON CONFLICT (record_id) DO NOTHING RETURNING record_id"
)


def publish_batch(store: Transactions, pool: ConnectionPool, uid: str, limit: int = BATCH) -> int:
    """Publish up to `limit` waiting records; how many left the outbox (0: none waited)."""
    records = buffer.waiting(store, limit)
    if not records:
        return 0
    station_ids = [str(r.payload.get("station_id") or "") for r in records]
    with pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
        cur.execute(
            _INSERT,
            (
                uid,
                [r.record_id for r in records],
                station_ids,
                [r.kind for r in records],
                [json.dumps(r.payload) for r in records],
                [r.created_at for r in records],
            ),
        )
        new = {row[0] for row in cur.fetchall()}
        for record in records:
            if record.record_id in new:
                cases.apply(cur, uid, record.kind, record.payload)
        cur.execute(
            "INSERT INTO stations (station_uid, station_id) VALUES (%s, %s)"
            " ON CONFLICT (station_uid) DO UPDATE SET station_id = excluded.station_id,"
            " last_published_at = now()",
            (uid, station_ids[-1]),
        )
    buffer.forget(store, records)
    return len(records)


class Publisher:
    """The worker thread that drains the outbox into PostgreSQL (and runs `also` each round)."""

    def __init__(
        self,
        store: Transactions,
        pool: ConnectionPool,
        uid: str,
        *,
        also: Callable[[], Any] | None = None,
        idle: float = IDLE_SECONDS,
        retry: tuple[float, ...] = RETRY_SECONDS,
    ) -> None:
        self.store = store
        self.pool = pool
        self.uid = uid
        self.also = also
        self.idle = idle
        self.retry = retry
        self.published = 0
        self.last_error: str | None = None
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the worker (a daemon thread: it never keeps a closing station alive)."""
        self._thread = threading.Thread(target=self._run, name="warehouse-publisher", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Look for records now (after a submit, say) instead of at the next round."""
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the worker after its current batch."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def round(self) -> int:
        """One round: a batch, then `also`; how many records were published."""
        count = publish_batch(self.store, self.pool, self.uid)
        self.published += count
        if self.also is not None:
            self.also()
        self.last_error = None
        return count

    def _run(self) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                count = self.round()
                failures = 0
            except Exception as err:  # the worker must outlive any one failure
                self.last_error = " ".join(str(err).split()) or type(err).__name__
                if isinstance(err, UNREACHABLE):
                    log.info("warehouse database: %s", self.last_error)
                else:
                    log.exception("warehouse publishing failed")
                wait = self.retry[min(failures, len(self.retry) - 1)]
                failures += 1
                self._wake.wait(wait)
                self._wake.clear()
                continue
            if count < BATCH:
                self._wake.wait(self.idle)
                self._wake.clear()
