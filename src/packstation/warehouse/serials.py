"""SSCC serials from the warehouse database, in blocks reserved per station.

A block is the next value of the `sscc_serial_blocks` sequence and the SERIAL_BLOCK_SIZE - 1
serials after it: a sequence never hands a value out twice, so no two stations (whatever their
station ids) and no two reservations share a serial. The block is kept in the station store and
used up one committed serial at a time, so the station prints offline until it is empty; the
publisher reserves the next block in the background when fewer than LOW_WATER are left. A
crash between the reservation and its local record only leaves a gap.
"""

from __future__ import annotations

from psycopg_pool import ConnectionPool

from packstation.labels.sscc import SsccError
from packstation.station.clock import now_text
from packstation.station.connection import Transactions
from packstation.warehouse.schema import SERIAL_BLOCK_SIZE

LOW_WATER = 100
"""Serials left in the station's blocks below which the next block is reserved."""


class SerialsUnavailable(SsccError):
    """The station's serial blocks are used up and the warehouse database cannot be reached."""


class SerialBlocks:
    """The station's reserved serial blocks: take one serial, reserve another block."""

    def __init__(
        self,
        store: Transactions,
        pool: ConnectionPool,
        uid: str,
        station_id: str,
        *,
        low_water: int = LOW_WATER,
    ) -> None:
        self.store = store
        self.pool = pool
        self.uid = uid
        self.station_id = station_id
        self.low_water = low_water

    def next_serial(self) -> int:
        """The next serial, committed before it is returned; reserves a block if none is left
        (blocking: call it in a worker). Raises SerialsUnavailable when that fails."""
        serial = self._take()
        if serial is None:
            try:
                self.reserve()
            except Exception as err:
                raise SerialsUnavailable(
                    "no SSCC serials left at this station and the warehouse database cannot be"
                    f" reached to reserve more: {' '.join(str(err).split())}"
                ) from err
            serial = self._take()
        if serial is None:  # pragma: no cover - a block just reserved holds serials
            raise SerialsUnavailable("no SSCC serials left at this station")
        return serial

    def remaining(self) -> int:
        """Serials left in this station's reserved blocks."""
        with self.store.reading() as conn:
            row = conn.execute(
                "SELECT coalesce(sum(last_serial - next_serial + 1), 0)"
                " FROM warehouse_serial_blocks WHERE next_serial <= last_serial"
            ).fetchone()
        return int(row[0])

    def top_up(self) -> bool:
        """Reserve a block when fewer than `low_water` serials are left; True if it did."""
        if self.remaining() >= self.low_water:
            return False
        self.reserve()
        return True

    def reserve(self) -> tuple[int, int]:
        """Reserve the next block in PostgreSQL and keep it here; (first, last) serial."""
        with self.pool.connection() as conn, conn.transaction():
            row = conn.execute("SELECT nextval('sscc_serial_blocks')").fetchone()
            assert row is not None
            first = int(row[0])
            last = first + SERIAL_BLOCK_SIZE - 1
            conn.execute(
                "INSERT INTO sscc_blocks (first_serial, last_serial, station_uid, station_id)"
                " VALUES (%s, %s, %s, %s)",
                (first, last, self.uid, self.station_id),
            )
        with self.store.writing() as local:
            local.execute(
                "INSERT INTO warehouse_serial_blocks (first_serial, last_serial, next_serial,"
                " reserved_at) VALUES (?, ?, ?, ?)",
                (first, last, first, now_text()),
            )
        return first, last

    def _take(self) -> int | None:
        with self.store.writing() as conn:
            row = conn.execute(
                "UPDATE warehouse_serial_blocks SET next_serial = next_serial + 1"
                " WHERE first_serial = (SELECT min(first_serial) FROM warehouse_serial_blocks"
                " WHERE next_serial <= last_serial) RETURNING next_serial - 1"
            ).fetchone()
        return None if row is None else int(row[0])
