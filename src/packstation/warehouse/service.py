"""The running station's warehouse connection: pool, publisher worker and serial blocks."""

from __future__ import annotations

import time

from packstation.station.connection import Transactions
from packstation.station.store import StationStore
from packstation.warehouse import buffer, known_settled
from packstation.warehouse.connect import open_pool
from packstation.warehouse.publisher import Publisher
from packstation.warehouse.serials import SerialBlocks


class Warehouse:
    """What a station with `warehouse_db` set runs: buffering on, a pool, the worker."""

    def __init__(self, dsn: str, store: StationStore, station_id: str) -> None:
        self.station_id = station_id
        self.store = store
        # Buffering starts before anything else: records made from now on wait in the store.
        self.uid = buffer.enable(store, station_id)
        self.pool = open_pool(dsn)
        self.serials = SerialBlocks(store, self.pool, self.uid, station_id)
        self.publisher = Publisher(store, self.pool, self.uid, also=self._each_round)
        self._checked = float("-inf")

    def start(self) -> None:
        """Start publishing in the background."""
        self.publisher.start()

    def _each_round(self) -> None:
        """After each publishing round: top up the serials; now and then, learn which of this
        station's cases other desks settled (for the desk to know while the database is away)."""
        self.serials.top_up()
        if time.monotonic() - self._checked >= known_settled.CHECK_SECONDS:
            known_settled.check_own_cases(self.store, self.pool, self.uid)
            self._checked = time.monotonic()

    def close(self) -> None:
        """Stop the worker and close the pool."""
        self.publisher.stop()
        self.pool.close(timeout=2.0)


def disable(store: Transactions, station_id: str) -> None:
    """Without warehouse_db: no records are buffered (those waiting stay for a later start)."""
    buffer.enable(store, station_id, enabled=False)
