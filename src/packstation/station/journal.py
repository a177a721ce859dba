"""The scan journal: packing sessions and every event of each, committed before it is shown.

Recovery replays the stored events, in order, over the stored order snapshot; since every
event (undo included) is stored, replay restores the open package and the undo history too.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from packstation.omnium.models import OmniumOrder
from packstation.station.clock import from_text, now_text
from packstation.station.connection import StoreConnection
from packstation.station.errors import JournalWriteFailed, SessionAlreadyOpen, SessionClosed


@dataclass(frozen=True)
class UnfinishedSession:
    """What the station needs to offer a session for resumption and rebuild it."""

    session_id: int
    order: OmniumOrder
    order_json: dict[str, Any]
    shipment_id: str
    packer: str | None
    started_at: datetime
    events: list[dict[str, Any]]

    @property
    def order_id(self) -> str:
        """The order being packed."""
        return self.order.id


@dataclass(frozen=True)
class SessionRecord:
    """A session's row, without its events."""

    session_id: int
    order_id: str
    shipment_id: str
    packer: str | None
    state: str
    started_at: datetime
    ended_at: datetime | None
    event_count: int


def encode_event(event: dict[str, Any]) -> str:
    """An event as stored: strict JSON (NaN and non-JSON values are refused, not mangled)."""
    if not isinstance(event, dict):
        raise TypeError(f"a journal event must be a dict, not {type(event).__name__}")
    return json.dumps(event, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


@contextmanager
def recording() -> Iterator[None]:
    """A failed write (SQLite or OS error) becomes JournalWriteFailed (it was rolled back)."""
    try:
        yield
    except (sqlite3.Error, OSError) as err:
        raise JournalWriteFailed(str(err) or type(err).__name__) from err


class Journal:
    """Sessions and their events in the station store."""

    def __init__(self, connection: StoreConnection) -> None:
        self._db = connection

    def start(
        self,
        order: OmniumOrder,
        shipment_id: str,
        packer: str | None = None,
        events: Sequence[dict[str, Any]] = (),
    ) -> int:
        """Open a session for `order`'s shipment with its first events, in one transaction.

        Refuses while another session is unfinished; raises JournalWriteFailed when the
        write fails (then nothing was recorded).
        """
        order_json = json.dumps(order.to_json_dict(), ensure_ascii=False, allow_nan=False)
        with recording(), self._db.writing() as conn:
            row = conn.execute("SELECT id, order_id FROM sessions WHERE state = 'open'").fetchone()
            if row is not None:
                raise SessionAlreadyOpen(int(row[0]), str(row[1]))
            cur = conn.execute(
                "INSERT INTO sessions (order_id, shipment_id, packer, started_at)"
                " VALUES (?, ?, ?, ?)",
                (order.id, shipment_id, packer, now_text()),
            )
            session_id = int(cur.lastrowid or 0)
            conn.execute(
                "INSERT INTO session_orders (session_id, order_json) VALUES (?, ?)",
                (session_id, order_json),
            )
            if events:
                self.append_all(session_id, events)
            return session_id

    def append(self, session_id: int, event: dict[str, Any]) -> int:
        """Append one event and commit (fsync) it; returns its 1-based sequence number.

        Raises JournalWriteFailed when the write fails (then nothing was recorded).
        """
        text = encode_event(event)
        with recording(), self._db.writing() as conn:
            self._require_open(conn, session_id)
            row = conn.execute(
                "SELECT coalesce(max(seq), 0) FROM session_events WHERE session_id = ?",
                (session_id,),
            ).fetchone()
            seq = int(row[0]) + 1
            conn.execute(
                "INSERT INTO session_events (session_id, seq, event_json, recorded_at)"
                " VALUES (?, ?, ?, ?)",
                (session_id, seq, text, now_text()),
            )
        return seq

    def append_all(self, session_id: int, events: Sequence[dict[str, Any]]) -> list[int]:
        """Append several events (one scan's) in one transaction; their sequence numbers.

        Raises JournalWriteFailed when the write fails (then none of them was recorded).
        """
        texts = [encode_event(e) for e in events]
        with recording(), self._db.writing() as conn:
            self._require_open(conn, session_id)
            row = conn.execute(
                "SELECT coalesce(max(seq), 0) FROM session_events WHERE session_id = ?",
                (session_id,),
            ).fetchone()
            first = int(row[0]) + 1
            stamp = now_text()
            conn.executemany(
                "INSERT INTO session_events (session_id, seq, event_json, recorded_at)"
                " VALUES (?, ?, ?, ?)",
                [(session_id, first + i, text, stamp) for i, text in enumerate(texts)],
            )
        return list(range(first, first + len(texts)))

    def set_packer(self, session_id: int, packer: str) -> None:
        """Record who is packing this session (e.g. after a badge scan)."""
        with self._db.writing() as conn:
            self._require_open(conn, session_id)
            conn.execute("UPDATE sessions SET packer = ? WHERE id = ?", (packer, session_id))

    def events(self, session_id: int) -> list[dict[str, Any]]:
        """The session's events in the order they were appended."""
        with self._db.reading() as conn:
            rows = conn.execute(
                "SELECT event_json FROM session_events WHERE session_id = ? ORDER BY seq",
                (session_id,),
            ).fetchall()
        return [json.loads(row[0]) for row in rows]

    def unfinished_session(self) -> UnfinishedSession | None:
        """The session left open by a crash or a closed terminal, with its events, or None."""
        with self._db.reading() as conn:
            row = conn.execute(
                "SELECT s.id, o.order_json, s.shipment_id, s.packer, s.started_at"
                " FROM sessions s JOIN session_orders o ON o.session_id = s.id"
                " WHERE s.state = 'open'"
            ).fetchone()
            if row is None:
                return None
            events = self.events(int(row[0]))
        order_json = json.loads(row[1])
        return UnfinishedSession(
            session_id=int(row[0]),
            order=OmniumOrder.model_validate(order_json),
            order_json=order_json,
            shipment_id=str(row[2]),
            packer=row[3],
            started_at=from_text(row[4]),
            events=events,
        )

    def get(self, session_id: int) -> SessionRecord:
        """One session's row (raises SessionClosed if there is none)."""
        with self._db.reading() as conn:
            row = conn.execute(
                "SELECT s.id, s.order_id, s.shipment_id, s.packer, s.state, s.started_at,"
                " s.ended_at, (SELECT count(*) FROM session_events e WHERE e.session_id = s.id)"
                " FROM sessions s WHERE s.id = ?",
                (session_id,),
            ).fetchone()
        if row is None:
            raise SessionClosed(f"no session {session_id}")
        return SessionRecord(
            session_id=int(row[0]),
            order_id=row[1],
            shipment_id=row[2],
            packer=row[3],
            state=row[4],
            started_at=from_text(row[5]),
            ended_at=from_text(row[6]) if row[6] else None,
            event_count=int(row[7]),
        )

    def finish(self, session_id: int) -> None:
        """Close the session as packed and submitted."""
        self._close(session_id, "finished")

    def discard(self, session_id: int) -> None:
        """Close the session as abandoned (the UI confirms first); its events are kept."""
        self._close(session_id, "discarded")

    def _close(self, session_id: int, state: str) -> None:
        with self._db.writing() as conn:
            self._require_open(conn, session_id)
            # The order copy serves only the recovery of an open session: a closed one keeps
            # who packed which order when, not the order (12 KB a small order, MBs a large).
            conn.execute(
                "UPDATE sessions SET state = ?, ended_at = ? WHERE id = ?",
                (state, now_text(), session_id),
            )
            conn.execute("DELETE FROM session_orders WHERE session_id = ?", (session_id,))

    @staticmethod
    def _require_open(conn: Any, session_id: int) -> None:
        row = conn.execute("SELECT state FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            raise SessionClosed(f"no session {session_id}")
        if row[0] != "open":
            raise SessionClosed(f"session {session_id} is already {row[0]}")
