"""The store's clean-up: everything older than the retention goes, except what is still open.

Kept whatever its age: the open packing session, pending submits, and supervisor cases nobody
reviewed yet (a failed submit, an aborted workflow) with what they refer to. Everything else
older than the retention (closed sessions and their scans, sent submits with their requests,
attempts and results, supervisor actions and reviews, refused scans) is deleted in one
transaction, so that a station's store stays the size of its retention, not of its life
(issue 16).

The register of SSCCs this station issued stays (one short row a package): without it an old
order read again would look like another station's use of this station's range.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import timedelta

from packstation.station.clock import to_text, utc_now
from packstation.station.connection import StoreConnection

DEFAULT_RETENTION = timedelta(days=90)


@dataclass(frozen=True)
class CleanUp:
    """How many rows the clean-up removed."""

    sessions: int
    submits: int
    results: int


def _ids(conn: sqlite3.Connection, sql: str, params: tuple[str, ...] = ()) -> list[int]:
    return [int(row[0]) for row in conn.execute(sql, params)]


def _delete(conn: sqlite3.Connection, table: str, column: str, ids: list[int]) -> int:
    conn.executemany(f"DELETE FROM {table} WHERE {column} = ?", [(i,) for i in ids])
    return len(ids)


def clean_up(db: StoreConnection, retention: timedelta = DEFAULT_RETENTION) -> CleanUp:
    """Delete everything older than `retention` that is not still open (see the module)."""
    cutoff = to_text(utc_now() - retention)
    with db.writing() as conn:
        conn.execute("DELETE FROM supervisor_actions WHERE at < ?", (cutoff,))
        conn.execute("DELETE FROM refused_scans WHERE recorded_at < ?", (cutoff,))
        conn.execute(
            "DELETE FROM booking_waits WHERE state != 'waiting' AND ended_at < ?", (cutoff,)
        )
        conn.execute(
            "DELETE FROM follow_ups WHERE at < ? AND submit_id NOT IN"
            " (SELECT submit_id FROM follow_ups WHERE step = '' AND state = 'due')",
            (cutoff,),
        )
        # Cases nobody reviewed stay, with their submit.
        open_results = (
            "SELECT id FROM results WHERE aborted = 1"
            " AND 'result:' || id NOT IN (SELECT case_key FROM reviews)"
        )
        results = _ids(
            conn,
            f"SELECT id FROM results WHERE recorded_at < ? AND id NOT IN ({open_results})"
            " AND id NOT IN (SELECT result_id FROM supervisor_actions"
            " WHERE result_id IS NOT NULL)",
            (cutoff,),
        )
        _delete(conn, "results", "id", results)
        submits = _ids(
            conn,
            "SELECT id FROM submits WHERE created_at < ? AND (state = 'done' OR"
            " (state = 'failed' AND 'submit:' || id IN (SELECT case_key FROM reviews)))"
            " AND id NOT IN (SELECT submit_id FROM results WHERE submit_id IS NOT NULL)",
            (cutoff,),
        )
        _delete(conn, "attempts", "submit_id", submits)
        _delete(conn, "submit_requests", "submit_id", submits)
        _delete(conn, "submits", "id", submits)
        sessions = _ids(
            conn,
            "SELECT id FROM sessions WHERE state != 'open' AND ended_at IS NOT NULL"
            " AND ended_at < ? AND id NOT IN"
            " (SELECT session_id FROM submits WHERE session_id IS NOT NULL)",
            (cutoff,),
        )
        # Scans of sessions still referred to go too; the session row says who packed what.
        conn.execute(
            "DELETE FROM session_events WHERE session_id IN (SELECT id FROM sessions"
            " WHERE state != 'open' AND ended_at IS NOT NULL AND ended_at < ?)",
            (cutoff,),
        )
        _delete(conn, "sessions", "id", sessions)
        conn.execute(
            "DELETE FROM reviews WHERE reviewed_at < ?"
            " AND case_key NOT IN (SELECT 'result:' || id FROM results)"
            " AND case_key NOT IN (SELECT 'submit:' || id FROM submits)",
            (cutoff,),
        )
    return CleanUp(sessions=len(sessions), submits=len(submits), results=len(results))
