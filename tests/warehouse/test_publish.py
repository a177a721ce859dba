"""Publishing through the station store to a real PostgreSQL: once, in full, whatever fails."""

from __future__ import annotations

import threading
from pathlib import Path

import psycopg
from warehouse_support import pack_order, station

from packstation.warehouse import buffer
from packstation.warehouse.connect import open_pool
from packstation.warehouse.publisher import Publisher, publish_batch
from packstation.warehouse.trial_server import TrialServer


def drain(store: object, dsn: str, uid: str) -> int:
    """Publish everything waiting; how many records went."""
    pool = open_pool(dsn, wait=True)
    try:
        total = 0
        while count := publish_batch(store, pool, uid):  # type: ignore[arg-type]
            total += count
        return total
    finally:
        pool.close()


def test_nothing_is_buffered_without_warehouse(tmp_path: Path) -> None:
    store, _ = station(tmp_path / "s")
    buffer.enable(store, "01", enabled=False)
    pack_order(store, "ORD-1")
    assert buffer.waiting_count(store) == 0
    store.close()


def test_records_of_a_submit_are_published_once(
    tmp_path: Path, warehouse_dsn: str, pg: psycopg.Connection
) -> None:
    store, uid = station(tmp_path / "s", "03")
    pack_order(store, "ORD-1", outcome="aborted")
    pack_order(store, "ORD-2", outcome="failed")
    waiting = buffer.waiting(store)
    assert [r.kind for r in waiting] == [
        "submit_request",
        "result",
        "submit_outcome",
        "submit_request",
        "submit_outcome",
    ]
    assert drain(store, warehouse_dsn, uid) == 5
    assert buffer.waiting_count(store) == 0
    # The same records again (a crash after PostgreSQL's commit, before the local delete).
    with store.writing() as conn:
        for r in waiting:
            conn.execute(
                "INSERT INTO warehouse_outbox (record_id, kind, payload, created_at)"
                " VALUES (?, ?, json(?), ?)",
                (r.record_id, r.kind, __import__("json").dumps(r.payload), r.created_at),
            )
    assert drain(store, warehouse_dsn, uid) == 5
    assert pg.execute("SELECT count(*) FROM records").fetchone() == (5,)
    cases = pg.execute(
        "SELECT station_id, kind, order_id, packer, error FROM cases ORDER BY order_id"
    ).fetchall()
    assert cases == [
        ("03", "aborted", "ORD-1", "P7", "workflow aborted at BookShipment: carrier down"),
        (
            "03",
            "failed_submit",
            "ORD-2",
            "P7",
            "submit failed: 400 Bad Request: line 1 is not open",
        ),
    ]
    store.close()


def test_sixteen_stations_publish_concurrently(
    tmp_path: Path, warehouse_dsn: str, pg: psycopg.Connection
) -> None:
    stores = [station(tmp_path / f"s{n}", f"{n % 4:02d}") for n in range(16)]
    orders = 30
    publishers = []
    for store, uid in stores:
        publisher = Publisher(store, open_pool(warehouse_dsn, max_size=2), uid, idle=0.05)
        publisher.start()
        publishers.append(publisher)

    def pack(n: int) -> None:
        store = stores[n][0]
        for i in range(orders):
            outcome = "aborted" if i % 10 == 0 else "done"
            pack_order(store, f"ORD-{n}-{i}", packer=f"P{n}", outcome=outcome)

    threads = [threading.Thread(target=pack, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for publisher, (store, _) in zip(publishers, stores, strict=True):
        publisher.wake()
        wait_until_empty(store)
        publisher.stop()
        publisher.pool.close()
        store.close()
    expected = 16 * (orders * 3)  # request, result, outcome per order
    assert pg.execute("SELECT count(*), count(DISTINCT record_id) FROM records").fetchone() == (
        expected,
        expected,
    )
    assert pg.execute("SELECT count(DISTINCT station_uid) FROM records").fetchone() == (16,)
    assert pg.execute("SELECT count(*) FROM cases WHERE state = 'open'").fetchone() == (16 * 3,)


def wait_until_empty(store: object, timeout: float = 60.0) -> None:
    """Wait (bounded) until the publisher drained the store's outbox."""
    import time

    deadline = time.monotonic() + timeout
    while buffer.waiting_count(store) and time.monotonic() < deadline:  # type: ignore[arg-type]
        time.sleep(0.05)
    assert buffer.waiting_count(store) == 0  # type: ignore[arg-type]


def test_database_killed_and_restarted_mid_publish(
    tmp_path: Path, pg_server: TrialServer, warehouse_dsn: str
) -> None:
    stores = [station(tmp_path / f"s{n}", f"{n:02d}") for n in range(4)]
    publishers = [
        Publisher(store, open_pool(warehouse_dsn, max_size=2), uid, idle=0.02, retry=(0.1,))
        for store, uid in stores
    ]
    for p in publishers:
        p.start()
    orders = 30

    def pack(n: int, count: int, start: int = 0) -> None:
        for i in range(start, start + count):
            pack_order(stores[n][0], f"ORD-{n}-{i}", packer=f"P{n}")

    threads = [threading.Thread(target=pack, args=(n, orders)) for n in range(4)]
    for t in threads:
        t.start()
    # Kill PostgreSQL once some records have arrived, while the stations pack and publish.
    wait_for_rows(warehouse_dsn, 20)
    pg_server.kill()
    for t in threads:
        t.join()
    # The stations go on packing without the database; their records wait in their stores.
    for n in range(4):
        pack(n, 10, start=orders)
    assert all(buffer.waiting_count(store) > 0 for store, _ in stores)
    pg_server.start()
    for p, (store, _) in zip(publishers, stores, strict=True):
        p.wake()
        wait_until_empty(store)
        p.stop()
        p.pool.close()
        store.close()
    with psycopg.connect(warehouse_dsn) as conn:
        row = conn.execute("SELECT count(*), count(DISTINCT record_id) FROM records").fetchone()
    assert row == (4 * (orders + 10) * 3, 4 * (orders + 10) * 3)


def wait_for_rows(dsn: str, rows: int, timeout: float = 30.0) -> None:
    """Wait (bounded) until PostgreSQL holds `rows` records."""
    import time

    deadline = time.monotonic() + timeout
    with psycopg.connect(dsn, autocommit=True) as conn:
        while time.monotonic() < deadline:
            found = conn.execute("SELECT count(*) FROM records").fetchone()
            if found is not None and found[0] >= rows:
                return
            time.sleep(0.01)
    raise AssertionError(f"fewer than {rows} records arrived")
