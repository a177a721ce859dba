"""The station's record of what follows a submit's answer (`follow_ups`), so that a quit or a
crash neither loses it nor does it twice.

The outbox write marks the follow-up `due` (one transaction with the submit: no window where
the answer can come and nothing says a follow-up is owed). Once the booking wait, the labels
and the slips are handled it is `done`. Each print is its own step: `printing` is committed
before the document goes out and `done` after; a step found `printing` at the next start was
cut short and may or may not have reached the printer, so it is not printed again by itself
(`interrupted`): the packer is told and reprints if the printer shows nothing.
"""

from __future__ import annotations

import sqlite3

from packstation.station.clock import now_text
from packstation.station.connection import Transactions

WHOLE = ""
"""The step that stands for the whole follow-up of a submit."""
DUE = "due"
PRINTING = "printing"
DONE = "done"
INTERRUPTED = "interrupted"

PACKAGE_LABELS = "package_labels"
CARRIER_LABELS = "carrier_labels"
PACKING_SLIPS = "packing_slips"


def mark_due(conn: sqlite3.Connection, submit_id: int) -> None:
    """Record, inside the outbox's transaction, that the submit's follow-up is owed."""
    conn.execute(
        "INSERT OR IGNORE INTO follow_ups (submit_id, step, state, at) VALUES (?, ?, 'due', ?)",
        (submit_id, WHOLE, now_text()),
    )


def close(store: Transactions, submit_id: int) -> None:
    """Record that the submit's follow-up is over (nothing is owed any more)."""
    with store.writing() as conn:
        conn.execute(
            "UPDATE follow_ups SET state = 'done', at = ? WHERE submit_id = ? AND step = ?",
            (now_text(), submit_id, WHOLE),
        )


def begin_step(store: Transactions, submit_id: int, step: str) -> str | None:
    """Claim a print step before it runs: None to go ahead; else the state that says not to
    (`done`: printed before the stop; `interrupted`: the stop came while it printed)."""
    with store.writing() as conn:
        row = conn.execute(
            "SELECT state FROM follow_ups WHERE submit_id = ? AND step = ?", (submit_id, step)
        ).fetchone()
        if row is None:
            conn.execute(
                "INSERT INTO follow_ups (submit_id, step, state, at) VALUES (?, ?, 'printing', ?)",
                (submit_id, step, now_text()),
            )
            return None
        state = str(row[0])
        if state == PRINTING:
            conn.execute(
                "UPDATE follow_ups SET state = 'interrupted', at = ? WHERE submit_id = ?"
                " AND step = ?",
                (now_text(), submit_id, step),
            )
            return INTERRUPTED
        return state


def end_step(store: Transactions, submit_id: int, step: str) -> None:
    """Record that a print step went out (printed or spooled, as its message said)."""
    with store.writing() as conn:
        conn.execute(
            "UPDATE follow_ups SET state = 'done', at = ? WHERE submit_id = ? AND step = ?",
            (now_text(), submit_id, step),
        )


def owed(store: Transactions) -> list[int]:
    """Submits whose answer is in but whose follow-up a stopped run never finished, and that
    neither the outbox (still pending) nor a booking wait takes up at start; oldest first."""
    with store.reading() as conn:
        rows = conn.execute(
            "SELECT f.submit_id FROM follow_ups f JOIN submits s ON s.id = f.submit_id"
            " WHERE f.step = '' AND f.state = 'due' AND s.state != 'pending'"
            " AND NOT EXISTS (SELECT 1 FROM booking_waits w WHERE w.submit_id = f.submit_id"
            " AND w.state = 'waiting') ORDER BY f.submit_id"
        ).fetchall()
    return [int(row[0]) for row in rows]


def state_of(store: Transactions, submit_id: int, step: str = WHOLE) -> str | None:
    """The state of one step of a submit's follow-up (None when there is none)."""
    with store.reading() as conn:
        row = conn.execute(
            "SELECT state FROM follow_ups WHERE submit_id = ? AND step = ?", (submit_id, step)
        ).fetchone()
    return None if row is None else str(row[0])
