"""The warehouse's supervisor cases, kept from the records the stations publish.

A case keeps a result's steps as the station stores them (Omnium's step results). A case is
opened by an aborted workflow result, a failed submit or an SSCC conflict; a later
result of the same order's shipment (from any station: a supervisor's rerun) supersedes an open
aborted case, and a review settles one. Applied only to records PostgreSQL did not hold yet, in
the transaction that inserts them, so a record published twice changes nothing the second time.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from packstation.station.results import visible_steps


def abort_text(actions: list[dict[str, Any]]) -> str:
    """One line for an aborted workflow: the step that aborted it and why."""
    failing = next((s for s in visible_steps(actions) if s.aborted_here), None)
    if failing is None:
        return "workflow aborted"
    reason = f": {failing.reason}" if failing.reason else ""
    return f"workflow aborted at {failing.name}{reason}"


def _open(
    cur: psycopg.Cursor[Any],
    uid: str,
    payload: dict[str, Any],
    *,
    key: str,
    kind: str,
    error: str,
    steps: list[dict[str, Any]] | None = None,
    packer: str | None = None,
) -> None:
    cur.execute(
        "INSERT INTO cases (case_id, station_uid, station_id, case_key, kind, order_id,"
        " shipment_id, packer, error, steps, opened_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
        (
            f"{uid}:{key}",
            uid,
            payload.get("station_id") or "",
            key,
            kind,
            payload["order_id"],
            payload.get("shipment_id"),
            packer,
            error,
            Jsonb(steps or []),
            payload["at"],
        ),
    )


def apply(cur: psycopg.Cursor[Any], uid: str, kind: str, payload: dict[str, Any]) -> None:
    """Bring the cases up to date with one newly stored record."""
    if kind == "result":
        # Any later result of the shipment ends an open abort: rerun, or packed again.
        cur.execute(
            "UPDATE cases SET state = 'superseded', version = version + 1"
            " WHERE state = 'open' AND kind = 'aborted' AND order_id = %s"
            " AND shipment_id IS NOT DISTINCT FROM %s AND opened_at <= %s",
            (payload["order_id"], payload.get("shipment_id"), payload["at"]),
        )
        if payload.get("aborted") == 1:
            steps = list(payload.get("steps") or [])
            _open(
                cur,
                uid,
                payload,
                key=f"result:{payload['result_id']}",
                kind="aborted",
                error=abort_text(steps),
                steps=steps,
                packer=payload.get("packer"),
            )
    elif kind == "submit_outcome" and payload.get("state") == "failed":
        _open(
            cur,
            uid,
            payload,
            key=f"submit:{payload['submit_id']}",
            kind="failed_submit",
            error=f"submit failed: {payload.get('error')}",
            packer=payload.get("packer"),
        )
    elif kind == "sscc_conflict":
        _open(
            cur,
            uid,
            payload,
            key=f"sscc:{payload['conflict_id']}",
            kind="sscc_conflict",
            error=(
                f"package {payload.get('sscc')} of order {payload['order_id']} is from station "
                f"{payload.get('station_id')}'s SSCC range but it did not issue it there"
            ),
        )
    elif kind == "review":
        # A review made on a desk that could not reach PostgreSQL settles the case now.
        cur.execute(
            "UPDATE cases SET state = 'settled', version = version + 1, acted_by = %s,"
            " acted_on_station = %s, acted_at = %s, action = 'review', note = %s"
            " WHERE case_id = %s AND state = 'open'",
            (
                payload.get("supervisor"),
                payload.get("station_id"),
                payload["at"],
                payload.get("note"),
                f"{uid}:{payload['case_key']}",
            ),
        )
