"""What this station last learned from the warehouse database about cases settled elsewhere, kept
in its own store (table `warehouse_settled`).

While PostgreSQL answers, the desk lists every station's cases from it. When it does not, the
desk falls back to this station's own cases, which know nothing of what another desk did: a case
supervisor B settled would be offered to supervisor A again (a second rerun sends a second
workflow run to Omnium). So the publisher worker asks PostgreSQL, every CHECK_SECONDS, which of
this station's open cases some desk settled or a later result superseded, and which of Omnium's
cases some desk settled (the desk records those too while it is open, but one settled while
this desk was closed was listed open again once the database went away); the fallback desk
shows this station's settled cases settled and acts on none, and leaves Omnium's out.
What another desk did after the last check cannot be known offline: the desk says as of when.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from psycopg_pool import ConnectionPool

from packstation.station.clock import from_text, now_text, to_text, utc_now
from packstation.station.connection import Transactions
from packstation.station.store import StationStore
from packstation.station.supervisor_cases import Review, SupervisorCase, station_cases

CHECK_SECONDS = 5.0
"""How often the publisher compares this station's open cases with the warehouse database."""


@dataclass(frozen=True)
class Settled:
    """A case some desk settled (or a later result superseded), as last learned."""

    case_key: str
    state: str
    result_id: int | None = None
    supervisor: str | None = None
    station_id: str | None = None
    action: str | None = None
    note: str | None = None
    acted_at: datetime | None = None
    learned_at: datetime = field(default_factory=utc_now)


def remember(store: Transactions, settled: Iterable[Settled]) -> None:
    """Keep these settled cases (a newer word on a case replaces the older)."""
    settled = list(settled)
    if not settled:  # the desk asks every few seconds: no write for nothing
        return
    with store.writing() as conn:
        conn.executemany(
            "INSERT OR REPLACE INTO warehouse_settled (case_key, state, result_id, supervisor,"
            " station_id, action, note, acted_at, learned_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    s.case_key,
                    s.state,
                    s.result_id,
                    s.supervisor,
                    s.station_id,
                    s.action,
                    s.note,
                    to_text(s.acted_at) if s.acted_at else None,
                    to_text(s.learned_at),
                )
                for s in settled
            ],
        )


def recall(store: Transactions) -> dict[str, Settled]:
    """Every settled case this station knows of, by case key."""
    with store.reading() as conn:
        rows = conn.execute(
            "SELECT case_key, state, result_id, supervisor, station_id, action, note, acted_at,"
            " learned_at FROM warehouse_settled"
        ).fetchall()
    return {
        r[0]: Settled(
            *r[:7], acted_at=from_text(r[7]) if r[7] else None, learned_at=from_text(r[8])
        )
        for r in rows
    }


def checked_at(store: Transactions) -> datetime | None:
    """When this station last compared its open cases with the warehouse database."""
    with store.reading() as conn:
        row = conn.execute("SELECT checked_at FROM warehouse_state").fetchone()
    return from_text(row[0]) if row and row[0] else None


def check_own_cases(store: StationStore, pool: ConnectionPool, uid: str) -> int:
    """Ask the warehouse database which of this station's open cases are no longer open there
    and remember them; how many are."""
    ours = {c.key: c for c in station_cases(store)}
    found: list[Settled] = []
    if ours:
        with pool.connection() as conn:
            rows = conn.execute(
                "SELECT case_key, state, acted_by, acted_on_station, action, note, acted_at"
                " FROM cases WHERE case_id = ANY(%s) AND state <> 'open'",
                ([f"{uid}:{key}" for key in ours],),
            ).fetchall()
        found = [
            Settled(key, state, ours[key].result_id, by, on, action, note, at)
            for key, state, by, on, action, note, at in rows
        ]
    remember(store, found)
    learn_settled_omnium_cases(store, pool)
    with store.writing() as conn:
        conn.execute("UPDATE warehouse_state SET checked_at = ?", (now_text(),))
    return len(found)


def learn_settled_omnium_cases(store: Transactions, pool: ConnectionPool) -> int:
    """Remember Omnium's cases (keys `omnium:…`) some desk settled since the last one known
    here; how many. The desk learned them only while it was open: one settled on another
    desk while this desk was closed was listed open again once the database went away."""
    with store.reading() as conn:
        row = conn.execute(
            "SELECT max(acted_at) FROM warehouse_settled"
            " WHERE case_key LIKE 'omnium:%' AND acted_at IS NOT NULL"
        ).fetchone()
    since = from_text(row[0]) if row and row[0] else None
    with pool.connection() as conn:
        # From the last one known on (>=: another desk may settle one in the same instant).
        rows = conn.execute(
            "SELECT case_key, supervisor, station_id, settled_at FROM settled_keys"
            " WHERE settled_at >= %s OR %s::timestamptz IS NULL ORDER BY settled_at",
            (since, since),
        ).fetchall()
    found = [
        Settled(key, "settled", None, supervisor, station_id, "settled", None, at)
        for key, supervisor, station_id, at in rows
    ]
    remember(store, found)
    return len(found)


def settled_offline(cases: list[SupervisorCase], known: dict[str, Settled]) -> list[SupervisorCase]:
    """This station's cases as the offline desk shows them: one settled elsewhere carries that
    as its review (listed settled, as the warehouse desk lists it, and acted on by none); one a
    later result superseded is left out (the warehouse desk lists no such case). A case that
    aborted again here since it was learned (another latest result) is open again."""
    shown: list[SupervisorCase] = []
    for case in cases:
        settled = known.get(case.key)
        if settled is None or case.review is not None or settled.result_id != case.result_id:
            shown.append(case)
        elif settled.state == "settled":
            where = f" on station {settled.station_id}" if settled.station_id else ""
            note = settled.note or settled.action or "settled"
            review = Review(
                settled.supervisor or "?",
                f"{note} ({settled.action or 'settled'}{where})",
                settled.acted_at or settled.learned_at,
            )
            shown.append(replace(case, review=review, extra={**case.extra, "settled": True}))
    return shown
