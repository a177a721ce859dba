"""The station's side of the warehouse: its outbox of records to publish, in the station store.

The store's triggers (station/migrations.py, version 6) write a record for every submit request,
submit outcome, workflow result, supervisor action, review, SSCC conflict and packing session,
in the transaction of the row it describes, while sharing is enabled. A record leaves the
outbox only after PostgreSQL has committed it; its id (the store's random station uid, the row
and its time) makes a second publication of it a no-op there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from packstation.station.connection import Transactions


@dataclass(frozen=True)
class Record:
    """One buffered record."""

    local_id: int
    record_id: str
    kind: str
    payload: dict[str, Any]
    created_at: str


def enable(store: Transactions, station_id: str, enabled: bool = True) -> str:
    """Turn the buffering on (with the station id to stamp) or off; the station's uid."""
    with store.writing() as conn:
        conn.execute(
            "UPDATE warehouse_state SET enabled = ?, station_id = ?",
            (int(enabled), station_id),
        )
        row = conn.execute("SELECT station_uid FROM warehouse_state").fetchone()
    return str(row[0])


def station_uid(store: Transactions) -> str:
    """This store's random id: tells stations apart whatever their station ids."""
    with store.reading() as conn:
        row = conn.execute("SELECT station_uid FROM warehouse_state").fetchone()
    return str(row[0])


def waiting(store: Transactions, limit: int = 500) -> list[Record]:
    """The oldest records not yet published."""
    with store.reading() as conn:
        rows = conn.execute(
            "SELECT id, record_id, kind, payload, created_at FROM warehouse_outbox"
            " ORDER BY id LIMIT ?",
            (limit,),
        ).fetchall()
    return [Record(int(r[0]), r[1], r[2], json.loads(r[3]), r[4]) for r in rows]


def waiting_count(store: Transactions) -> int:
    """How many records wait to be published."""
    with store.reading() as conn:
        row = conn.execute("SELECT count(*) FROM warehouse_outbox").fetchone()
    return int(row[0])


def forget(store: Transactions, records: list[Record]) -> None:
    """Drop records PostgreSQL has committed."""
    with store.writing() as conn:
        conn.executemany(
            "DELETE FROM warehouse_outbox WHERE id = ?", [(r.local_id,) for r in records]
        )
