"""The dock's record of dispatched packages: one row per SSCC scanned out (`dispatches`).

A row is written `pending` before the status change is sent and ends `done` (or `failed`),
so a package scanned twice is told apart from one whose answer was lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from packstation.station.clock import from_text, now_text
from packstation.station.connection import Transactions

PENDING = "pending"
DONE = "done"
FAILED = "failed"


@dataclass(frozen=True)
class Dispatch:
    """One package scanned out: which shipment it moved to which status, and how it ended."""

    sscc: str
    order_id: str
    shipment_id: str
    status: str
    state: str
    scanned_at: datetime
    ended_at: datetime | None
    message: str | None


_COLUMNS = "sscc, order_id, shipment_id, status, state, scanned_at, ended_at, message"


def _row(row: tuple[object, ...]) -> Dispatch:
    return Dispatch(
        sscc=str(row[0]),
        order_id=str(row[1]),
        shipment_id=str(row[2]),
        status=str(row[3]),
        state=str(row[4]),
        scanned_at=from_text(str(row[5])),
        ended_at=from_text(str(row[6])) if row[6] else None,
        message=None if row[7] is None else str(row[7]),
    )


def dispatch_of(store: Transactions, sscc: str) -> Dispatch | None:
    """The record of this package, if it was scanned out before."""
    with store.reading() as conn:
        row = conn.execute(f"SELECT {_COLUMNS} FROM dispatches WHERE sscc = ?", (sscc,)).fetchone()
    return None if row is None else _row(row)


def done_for_shipment(store: Transactions, order_id: str, shipment_id: str) -> Dispatch | None:
    """The package that already moved this shipment, if one did."""
    with store.reading() as conn:
        row = conn.execute(
            f"SELECT {_COLUMNS} FROM dispatches WHERE order_id = ? AND shipment_id = ?"
            " AND state = 'done' ORDER BY ended_at LIMIT 1",
            (order_id, shipment_id),
        ).fetchone()
    return None if row is None else _row(row)


def begin(store: Transactions, sscc: str, order_id: str, shipment_id: str, status: str) -> None:
    """Record the package as being dispatched (before anything is sent)."""
    with store.writing() as conn:
        conn.execute(
            "INSERT INTO dispatches (sscc, order_id, shipment_id, status, state, scanned_at)"
            " VALUES (?, ?, ?, ?, 'pending', ?) ON CONFLICT (sscc) DO UPDATE SET"
            " order_id = excluded.order_id, shipment_id = excluded.shipment_id,"
            " status = excluded.status, state = 'pending', ended_at = NULL, message = NULL",
            (sscc, order_id, shipment_id, status, now_text()),
        )


def end(store: Transactions, sscc: str, state: str, message: str) -> None:
    """Record how the package's dispatch ended (`done` or `failed`)."""
    with store.writing() as conn:
        conn.execute(
            "UPDATE dispatches SET state = ?, ended_at = ?, message = ? WHERE sscc = ?",
            (state, now_text(), message, sscc),
        )
