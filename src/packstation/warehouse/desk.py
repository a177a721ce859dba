"""The supervisor desk over the warehouse database: every station's cases, and actions on them
that every desk sees.

Each case row has a version. An action names the version its supervisor saw and applies only
if the row still has it (`UPDATE ... WHERE version = %s`, under PostgreSQL's row lock): of two
supervisors acting on one case at once, one applies and the other is told who acted first. No
timing decides it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

from packstation.i18n import N_, _
from packstation.station.results import visible_steps
from packstation.station.supervisor_cases import Review, SupervisorCase

SETTLED_SHOWN = timedelta(hours=1)
"""How long a settled case stays on the desks (marked settled) after it was settled."""

WAREHOUSE_KEY = "warehouse:"
"""Key prefix of the desk's warehouse cases."""

_COLUMNS = (
    "case_id, station_uid, station_id, case_key, kind, order_id, shipment_id, packer, error,"
    " steps, opened_at, version, state, acted_by, acted_on_station, acted_at, action, note"
)


@dataclass  # not frozen: raising sets __traceback__ on it
class AlreadyActed(Exception):
    """Another supervisor acted on the case first."""

    case_id: str
    state: str
    supervisor: str | None
    station_id: str | None
    at: datetime | None
    action: str | None

    def __str__(self) -> str:
        when = self.at.astimezone(UTC).strftime("%H:%M:%S UTC") if self.at else "-"
        if self.state == "superseded":
            return _("a later result of its shipment superseded this case: refresh (F5)")
        message = _ALREADY.get(self.action or "", _ALREADY[""])
        return _(message).format(
            supervisor=self.supervisor, station=self.station_id or "?", time=when
        )


_ALREADY = {
    "review": N_(
        "supervisor {supervisor} on station {station} already settled this case at {time}"
    ),
    "rerun": N_("supervisor {supervisor} on station {station} already reran this case at {time}"),
    "set_status": N_(
        "supervisor {supervisor} on station {station} already set the status of this case at {time}"
    ),
    "": N_("supervisor {supervisor} on station {station} already acted on this case at {time}"),
}
"""What another desk did first, by its action (whole sentences: the verbs differ by language)."""


def warehouse_case_id(case: SupervisorCase) -> str | None:
    """The warehouse case id of a desk case, or None for a case that is not the warehouse's."""
    found = case.extra.get("warehouse_case")
    return str(found) if found else None


def _case(row: tuple[Any, ...]) -> SupervisorCase:
    (
        case_id,
        uid,
        station_id,
        case_key,
        kind,
        order_id,
        shipment_id,
        packer,
        error,
        steps,
        opened_at,
        version,
        state,
        acted_by,
        acted_on,
        acted_at,
        action,
        note,
    ) = row
    review = None
    if state == "settled":
        review = Review(acted_by or "?", note or action or "", acted_at)
    return SupervisorCase(
        key=f"{WAREHOUSE_KEY}{case_id}",
        source=f"station {station_id}",
        kind=kind,
        order_id=order_id,
        shipment_id=shipment_id,
        steps=visible_steps(steps or []),
        packer=packer,
        packed_at=opened_at,
        error=error,
        review=review,
        extra={
            "warehouse_case": case_id,
            "version": int(version),
            "station_uid": uid,
            "station_id": station_id,
            "case_key": case_key,
            "state": state,
            "acted_by": acted_by,
            "acted_on_station": acted_on,
        },
    )


def desk_cases(
    conn: psycopg.Connection, *, settled_since: datetime | None = None
) -> list[SupervisorCase]:
    """Every station's open cases, oldest first, and those settled since `settled_since`
    (default: the last SETTLED_SHOWN), so a desk shows what another desk settled."""
    since = settled_since or datetime.now(UTC) - SETTLED_SHOWN
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM cases WHERE state = 'open'"
        f" UNION ALL SELECT {_COLUMNS} FROM cases WHERE state = 'settled' AND acted_at >= %s"
        " ORDER BY opened_at, case_id",
        (since,),
    ).fetchall()
    return [_case(row) for row in rows]


def settle_keys(
    conn: psycopg.Connection, keys: list[str], *, supervisor: str, station_id: str
) -> None:
    """Record Omnium's cases (keys `omnium:...`) as settled for every desk."""
    shared = [k for k in keys if k.startswith("omnium:")]
    if shared:
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO settled_keys (case_key, supervisor, station_id) VALUES (%s, %s, %s)"
                " ON CONFLICT (case_key) DO NOTHING",
                [(k, supervisor, station_id) for k in shared],
            )


def settled_keys(conn: psycopg.Connection, keys: list[str]) -> set[str]:
    """Which of these case keys some desk settled."""
    if not keys:
        return set()
    rows = conn.execute(
        "SELECT case_key FROM settled_keys WHERE case_key = ANY(%s)", (keys,)
    ).fetchall()
    return {row[0] for row in rows}


def open_cases(conn: psycopg.Connection) -> list[SupervisorCase]:
    """Every station's open cases, oldest first."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM cases WHERE state = 'open' ORDER BY opened_at, case_id"
    ).fetchall()
    return [_case(row) for row in rows]


def act(
    conn: psycopg.Connection,
    case: SupervisorCase,
    *,
    supervisor: str,
    station_id: str,
    action: str,
    note: str | None = None,
    settle: bool,
) -> SupervisorCase:
    """Record an action on the case as of the version the supervisor saw; the case after it.

    Raises AlreadyActed when the case changed since (another desk acted first). `conn` is in
    autocommit mode (as the pool's are), so the action commits here."""
    case_id = warehouse_case_id(case)
    if case_id is None:
        raise ValueError(f"not a warehouse case: {case.key}")
    with conn.transaction():
        row = conn.execute(
            "UPDATE cases SET version = version + 1, acted_by = %s, acted_on_station = %s,"
            " acted_at = now(), action = %s, note = %s,"
            " state = CASE WHEN %s THEN 'settled' ELSE state END"
            f" WHERE case_id = %s AND version = %s AND state = 'open' RETURNING {_COLUMNS}",
            (supervisor, station_id, action, note, settle, case_id, case.extra["version"]),
        ).fetchone()
        if row is not None:
            if settle:
                settle_keys(
                    conn, list(case.also_keys), supervisor=supervisor, station_id=station_id
                )
            return _case(row)
        now = conn.execute(
            "SELECT state, acted_by, acted_on_station, acted_at, action FROM cases"
            " WHERE case_id = %s",
            (case_id,),
        ).fetchone()
    if now is None:
        raise ValueError(f"no such warehouse case: {case_id}")
    raise AlreadyActed(case_id, *now)
