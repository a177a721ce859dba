"""A station remembers which of its cases other desks settled, for its desk to know offline."""

from __future__ import annotations

from pathlib import Path

import psycopg
from warehouse_support import pack_order, station, workflow_result

from packstation.station.supervisor_cases import station_cases
from packstation.warehouse import known_settled
from packstation.warehouse.connect import open_pool
from packstation.warehouse.desk import act, open_cases, settle_keys
from packstation.warehouse.publisher import publish_batch


def test_cases_settled_elsewhere_are_remembered_and_shown_settled(
    tmp_path: Path, warehouse_dsn: str, pg: psycopg.Connection
) -> None:
    store, uid = station(tmp_path / "a", "01")
    pack_order(store, "ORD-1", outcome="aborted")
    pack_order(store, "ORD-2", outcome="failed")
    pack_order(store, "ORD-3", outcome="aborted")
    pool = open_pool(warehouse_dsn, wait=True)
    try:
        while publish_batch(store, pool, uid):
            pass
        assert known_settled.checked_at(store) is None
        by_order = {c.order_id: c for c in open_cases(pg)}
        # Supervisor kari on station 02 settles two of station 01's cases.
        for order_id in ("ORD-1", "ORD-2"):
            act(
                pg,
                by_order[order_id],
                supervisor="kari",
                station_id="02",
                action="review",
                note="seen",
                settle=True,
            )
        assert known_settled.check_own_cases(store, pool, uid) == 2
    finally:
        pool.close()
    assert known_settled.checked_at(store) is not None
    shown = {
        c.order_id: c
        for c in known_settled.settled_offline(station_cases(store), known_settled.recall(store))
    }
    assert shown["ORD-1"].review is not None and shown["ORD-1"].review.supervisor == "kari"
    assert shown["ORD-1"].review.note == "seen (review on station 02)"
    assert shown["ORD-2"].review is not None
    assert shown["ORD-3"].review is None
    # ORD-1 is rerun here and aborts again: a new attempt nobody settled, open again.
    store.results.record(
        "rerun", "ORD-1", shipment_id="1", user_id="boss", result=workflow_result(aborted=True)
    )
    shown = {
        c.order_id: c
        for c in known_settled.settled_offline(station_cases(store), known_settled.recall(store))
    }
    assert shown["ORD-1"].review is None
    store.close()


def test_a_superseded_case_is_left_out(
    tmp_path: Path, warehouse_dsn: str, pg: psycopg.Connection
) -> None:
    store, uid = station(tmp_path / "a", "01")
    pack_order(store, "ORD-1", outcome="aborted")
    pool = open_pool(warehouse_dsn, wait=True)
    try:
        while publish_batch(store, pool, uid):
            pass
        # Another station's supervisor reran it there and it went through.
        pg.execute("UPDATE cases SET state = 'superseded', version = version + 1")
        assert known_settled.check_own_cases(store, pool, uid) == 1
    finally:
        pool.close()
    assert station_cases(store) != []
    assert known_settled.settled_offline(station_cases(store), known_settled.recall(store)) == []
    store.close()


def test_omnium_cases_settled_on_any_desk_are_learned_by_the_periodic_check(
    tmp_path: Path, warehouse_dsn: str, pg: psycopg.Connection
) -> None:
    # Omnium's cases are learned by the publisher's check, not only while the desk is open.
    store, uid = station(tmp_path / "a", "01")
    pool = open_pool(warehouse_dsn, wait=True)
    try:
        settle_keys(pg, ["omnium:ORD-1:aa"], supervisor="kari", station_id="07")
        known_settled.check_own_cases(store, pool, uid)
        first = known_settled.recall(store)["omnium:ORD-1:aa"]
        assert (first.supervisor, first.station_id, first.state) == ("kari", "07", "settled")
        # The next check reads from the last one known on: a later one joins, none is lost.
        settle_keys(pg, ["omnium:ORD-2:bb"], supervisor="ola", station_id="02")
        assert known_settled.learn_settled_omnium_cases(store, pool) == 2  # ORD-1's instant too
        assert {"omnium:ORD-1:aa", "omnium:ORD-2:bb"} <= set(known_settled.recall(store))
    finally:
        pool.close()
    store.close()
