"""The station's record of the carrier bookings it waits for (`booking_waits`).

A row is written `waiting` before the station starts following an order for the steps Omnium
runs after its answer, and ends once the carrier labels are handled (`done`), a background
step failed (`failed`) or the wait ran out (`timed_out`). A row still `waiting` at the next
start is a wait the station was stopped in (quit, crash, power): it is taken up again then.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from packstation.omnium.models import EntityError
from packstation.station.clock import from_text, now_text
from packstation.station.connection import Transactions

WAITING = "waiting"
DONE = "done"
FAILED = "failed"
TIMED_OUT = "timed_out"


@dataclass(frozen=True)
class WaitRecord:
    """A wait for a booking: the submit, its order and shipments, the errors already there."""

    submit_id: int
    order_id: str
    shipment_ids: list[str]
    errors_before: list[EntityError]
    started_at: datetime


def begin(
    store: Transactions,
    submit_id: int,
    order_id: str,
    shipment_ids: Sequence[str],
    errors_before: Sequence[EntityError],
) -> None:
    """Record that the station waits for this submit's booking (before it starts waiting)."""
    errors = json.dumps([e.to_json_dict() for e in errors_before])
    with store.writing() as conn:
        conn.execute(
            "INSERT INTO booking_waits (submit_id, order_id, shipment_ids, errors_before,"
            " state, started_at) VALUES (?, ?, ?, ?, 'waiting', ?) ON CONFLICT (submit_id)"
            " DO UPDATE SET state = 'waiting', ended_at = NULL, message = NULL",
            (submit_id, order_id, json.dumps(list(shipment_ids)), errors, now_text()),
        )


def end(store: Transactions, submit_id: int, state: str, message: str) -> None:
    """Record how the wait ended (`done`, `failed` or `timed_out`) and what the packer saw."""
    with store.writing() as conn:
        conn.execute(
            "UPDATE booking_waits SET state = ?, ended_at = ?, message = ?"
            " WHERE submit_id = ? AND state = 'waiting'",
            (state, now_text(), message, submit_id),
        )


def waiting(store: Transactions) -> list[WaitRecord]:
    """The waits a previous run left unfinished, oldest first."""
    with store.reading() as conn:
        rows = conn.execute(
            "SELECT submit_id, order_id, shipment_ids, errors_before, started_at"
            " FROM booking_waits WHERE state = 'waiting' ORDER BY started_at, submit_id"
        ).fetchall()
    return [
        WaitRecord(
            submit_id=int(row[0]),
            order_id=str(row[1]),
            shipment_ids=[str(s) for s in json.loads(row[2])],
            errors_before=[EntityError.model_validate(e) for e in json.loads(row[3])],
            started_at=from_text(str(row[4])),
        )
        for row in rows
    ]


def state_of(store: Transactions, submit_id: int) -> tuple[str, str | None] | None:
    """(state, message) of the wait for this submit, or None when there was none."""
    with store.reading() as conn:
        row = conn.execute(
            "SELECT state, message FROM booking_waits WHERE submit_id = ?", (submit_id,)
        ).fetchone()
    return None if row is None else (str(row[0]), None if row[1] is None else str(row[1]))
