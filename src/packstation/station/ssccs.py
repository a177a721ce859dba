"""The SSCCs this station issued, and the alarm when an order holds one of ours it never issued.

Every package SSCC is recorded in `issued_ssccs`, in the transaction that writes its submit to
the outbox. An SSCC from this station's serial range (its company prefix and station id) that
the store does not hold for that order was made by another station with the same station id:
two stations configured alike hand out the same numbers, so labels collide. Each sighting is
recorded once in `sscc_conflicts`, which the supervisor desk lists as a case.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from packstation.i18n import _
from packstation.labels.sscc import in_station_range
from packstation.omnium.models import OmniumOrder
from packstation.omnium.workflow import UpdateLineItemStatusPatch
from packstation.station.clock import from_text, now_text
from packstation.station.connection import Transactions


@dataclass(frozen=True)
class SsccConflict:
    """A package SSCC from this station's range that this station did not issue for its order."""

    sscc: str
    order_id: str
    shipment_id: str | None
    issued_for: str | None
    """The order this station issued the number for, or None if it never issued it."""
    station_id: str
    conflict_id: int | None = None
    seen_at: datetime | None = None

    @property
    def message(self) -> str:
        """One line for the packer and the supervisor."""
        if self.issued_for is None:
            text = _(
                "Duplicated station id? Order {order_id} has package {sscc} from this "
                "station's SSCC range (station {station_id}), but this station never issued "
                "it: another station probably uses station id {station_id}. Station ids must "
                "be unique per company prefix."
            )
        else:
            text = _(
                "Duplicated station id? Order {order_id} has package {sscc} from this "
                "station's SSCC range (station {station_id}), but this station issued it for "
                "order {issued_for}: another station probably uses station id {station_id}. "
                "Station ids must be unique per company prefix."
            )
        return text.format(
            order_id=self.order_id,
            sscc=self.sscc,
            station_id=self.station_id,
            issued_for=self.issued_for,
        )


def record_issued(
    conn: sqlite3.Connection, order_id: str, requests: Iterable[UpdateLineItemStatusPatch]
) -> int:
    """Record the package SSCCs of a submit's requests (inside its transaction); how many."""
    stamp = now_text()
    rows = [
        (package.id, order_id, stamp)
        for patch in requests
        if patch.shipment_info is not None
        for package in patch.shipment_info.packages or []
        if package.id
    ]
    conn.executemany(
        "INSERT OR IGNORE INTO issued_ssccs (sscc, order_id, issued_at) VALUES (?, ?, ?)", rows
    )
    return len(rows)


def issued_for(store: Transactions, sscc: str) -> str | None:
    """The order this station issued `sscc` for, or None."""
    with store.reading() as conn:
        row = conn.execute("SELECT order_id FROM issued_ssccs WHERE sscc = ?", (sscc,)).fetchone()
    return None if row is None else str(row[0])


def unused_ssccs(
    store: Transactions, allocate: Callable[[], str], order: OmniumOrder
) -> Callable[[], str]:
    """An SSCC source that skips numbers already on the order or already issued here.

    Neither can happen to a station alone; with a twin station (or a database restored from
    an old backup) it keeps a package from taking the number of another one.
    """
    on_order = {p.id for s in order.order_form.shipments for p in s.packages}

    def next_sscc() -> str:
        while True:
            sscc = allocate()
            if sscc not in on_order and issued_for(store, sscc) is None:
                return sscc

    return next_sscc


def find_conflicts(
    store: Transactions, order: OmniumOrder, company_prefix: str, station_id: str
) -> list[SsccConflict]:
    """The packages of `order` numbered from this station's range that it did not issue there."""
    ours = [
        (package.id, shipment.shipment_id)
        for shipment in order.order_form.shipments
        for package in shipment.packages
        if package.id and in_station_range(package.id, company_prefix, station_id)
    ]
    if not ours:
        return []
    with store.reading() as conn:
        marks = ",".join("?" * len(ours))
        known = dict(
            conn.execute(
                f"SELECT sscc, order_id FROM issued_ssccs WHERE sscc IN ({marks})",
                [sscc for sscc, _shipment in ours],
            ).fetchall()
        )
    return [
        SsccConflict(sscc, order.id, shipment_id, known.get(sscc), station_id)
        for sscc, shipment_id in ours
        if known.get(sscc) != order.id
    ]


def report(store: Transactions, found: Iterable[SsccConflict]) -> list[SsccConflict]:
    """Record sightings (each SSCC and order once); the ones not recorded before."""
    new: list[SsccConflict] = []
    with store.writing() as conn:
        for conflict in found:
            cur = conn.execute(
                "INSERT OR IGNORE INTO sscc_conflicts (sscc, order_id, shipment_id, issued_for,"
                " station_id, seen_at) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    conflict.sscc,
                    conflict.order_id,
                    conflict.shipment_id,
                    conflict.issued_for,
                    conflict.station_id,
                    now_text(),
                ),
            )
            if cur.rowcount:
                new.append(conflict)
    return new


def recorded_conflicts(store: Transactions) -> list[SsccConflict]:
    """Every recorded sighting, oldest first (for the supervisor desk)."""
    with store.reading() as conn:
        rows = conn.execute(
            "SELECT id, sscc, order_id, shipment_id, issued_for, station_id, seen_at"
            " FROM sscc_conflicts ORDER BY id"
        ).fetchall()
    return [
        SsccConflict(
            sscc=row[1],
            order_id=row[2],
            shipment_id=row[3],
            issued_for=row[4],
            station_id=row[5],
            conflict_id=int(row[0]),
            seen_at=from_text(row[6]),
        )
        for row in rows
    ]
