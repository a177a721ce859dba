"""Scans the station refused: who got them and when, for the shift's figures.

A refusal changes nothing in the packing session (the journal keeps only what applied), so
the refusals are kept here, apart, to count them per packer and hour (`packstation stats`).
"""

from __future__ import annotations

from collections.abc import Sequence

from packstation.station.clock import now_text
from packstation.station.connection import StoreConnection

REASON_MAX = 200
"""A refusal's message is kept to this many characters (it can quote a long scan)."""


def record_refusals(
    db: StoreConnection,
    session_id: int | None,
    packer: str | None,
    refusals: Sequence[tuple[str, str]],
) -> None:
    """Store (kind, reason) refusals of one session's scans, in one transaction."""
    if not refusals:
        return
    stamp = now_text()
    with db.writing() as conn:
        conn.executemany(
            "INSERT INTO refused_scans (session_id, packer, kind, reason, recorded_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [(session_id, packer, kind, reason[:REASON_MAX], stamp) for kind, reason in refusals],
        )
