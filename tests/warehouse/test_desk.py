"""One desk for the warehouse: every station's cases, actions seen by all, one action wins."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import psycopg
import pytest
from warehouse_support import pack_order, station

from packstation.warehouse.connect import open_pool
from packstation.warehouse.desk import AlreadyActed, act, desk_cases, open_cases, settled_keys
from packstation.warehouse.publisher import publish_batch


def _publish_aborts(tmp_path: Path, dsn: str, stations: int = 2) -> None:
    for n in range(1, stations + 1):
        store, uid = station(tmp_path / f"s{n}", f"0{n}")
        pack_order(store, f"ORD-{n}", f"PACKER-{n}", outcome="aborted")
        pool = open_pool(dsn, wait=True)
        while publish_batch(store, pool, uid):
            pass
        pool.close()
        store.close()


def test_every_stations_cases_with_station_and_packer(
    tmp_path: Path, warehouse_dsn: str, pg: psycopg.Connection
) -> None:
    _publish_aborts(tmp_path, warehouse_dsn, 3)
    cases = open_cases(pg)
    assert [(c.source, c.order_id, c.packer) for c in cases] == [
        ("station 01", "ORD-1", "PACKER-1"),
        ("station 02", "ORD-2", "PACKER-2"),
        ("station 03", "ORD-3", "PACKER-3"),
    ]
    assert cases[0].error == "workflow aborted at BookShipment: carrier down"
    assert [s.name for s in cases[0].steps] == ["BookShipment"]


def test_an_action_on_one_desk_is_seen_on_every_desk(tmp_path: Path, warehouse_dsn: str) -> None:
    _publish_aborts(tmp_path, warehouse_dsn)
    with (
        psycopg.connect(warehouse_dsn, autocommit=True) as desk_a,
        psycopg.connect(warehouse_dsn, autocommit=True) as desk_b,
    ):
        case = next(c for c in open_cases(desk_b) if c.order_id == "ORD-1")
        act(
            desk_b,
            case,
            supervisor="SUP-B",
            station_id="02",
            action="review",
            note="ok",
            settle=True,
        )
        assert [c.order_id for c in open_cases(desk_a)] == ["ORD-2"]
        settled = next(c for c in desk_cases(desk_a) if c.order_id == "ORD-1")
        assert settled.reviewed
        assert settled.review is not None and settled.review.supervisor == "SUP-B"
        assert settled.extra["acted_on_station"] == "02"


def test_two_supervisors_on_one_case_one_applies_the_other_is_told(
    tmp_path: Path, warehouse_dsn: str
) -> None:
    _publish_aborts(tmp_path, warehouse_dsn, 1)
    conns = [psycopg.connect(warehouse_dsn, autocommit=True) for _ in range(2)]
    seen = [open_cases(conn)[0] for conn in conns]  # both desks show version 1
    start = threading.Barrier(2)
    outcomes: list[object] = [None, None]

    def settle(n: int) -> None:
        start.wait()
        try:
            outcomes[n] = act(
                conns[n],
                seen[n],
                supervisor=f"SUP-{n}",
                station_id=f"0{n + 1}",
                action="review",
                note=f"checked by {n}",
                settle=True,
            )
        except AlreadyActed as err:
            outcomes[n] = err

    threads = [threading.Thread(target=settle, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    applied = [o for o in outcomes if not isinstance(o, AlreadyActed)]
    refused = [o for o in outcomes if isinstance(o, AlreadyActed)]
    assert len(applied) == 1 and len(refused) == 1
    winner = 0 if applied[0] is outcomes[0] else 1
    assert str(refused[0]).startswith(
        f"supervisor SUP-{winner} on station 0{winner + 1} already settled this case at"
    )
    row = conns[0].execute("SELECT acted_by, note, version FROM cases").fetchone()
    assert row == (f"SUP-{winner}", f"checked by {winner}", 2)
    for conn in conns:
        conn.close()


def test_a_later_result_supersedes_the_abort(
    tmp_path: Path, warehouse_dsn: str, pg: psycopg.Connection
) -> None:
    store, uid = station(tmp_path / "s", "01")
    pack_order(store, "ORD-1", outcome="aborted")
    # The supervisor's rerun on another station: a result of the same shipment, not aborted.
    other, other_uid = station(tmp_path / "t", "02")
    from warehouse_support import workflow_result

    other.results.record(
        "rerun", "ORD-1", shipment_id="1", user_id="SUP", result=workflow_result(False)
    )
    pool = open_pool(warehouse_dsn, wait=True)
    for s, u in ((store, uid), (other, other_uid)):
        while publish_batch(s, pool, u):
            pass
    pool.close()
    assert open_cases(pg) == []
    seen = pg.execute("SELECT state FROM cases").fetchall()
    assert seen == [("superseded",)]
    store.close()
    other.close()


def test_acting_on_a_case_that_is_not_the_warehouses_is_refused(
    tmp_path: Path, warehouse_dsn: str, pg: psycopg.Connection
) -> None:
    _publish_aborts(tmp_path, warehouse_dsn, 1)
    case = open_cases(pg)[0]
    with pytest.raises(ValueError, match="not a warehouse case"):
        act(
            pg,
            replace(case, extra={}),
            supervisor="S",
            station_id="01",
            action="review",
            settle=True,
        )


def test_omnium_cases_folded_into_a_settled_case_are_settled_for_every_desk(
    tmp_path: Path, warehouse_dsn: str, pg: psycopg.Connection
) -> None:
    _publish_aborts(tmp_path, warehouse_dsn, 1)
    case = replace(open_cases(pg)[0], also_keys=("omnium:ORD-1:abc123",))
    assert settled_keys(pg, ["omnium:ORD-1:abc123"]) == set()
    act(pg, case, supervisor="SUP", station_id="04", action="review", note="ok", settle=True)
    assert settled_keys(pg, ["omnium:ORD-1:abc123", "omnium:ORD-2:x"]) == {"omnium:ORD-1:abc123"}
