"""The warehouse database at scale: records published per second by 16 stations against one
PostgreSQL, and the supervisor desk's case list with 10,000 open cases, each with its ratio to
a single station, measured in one run against a trial PostgreSQL of its own.

Publishing: every station's outbox is filled with the records a packed order makes (a submit
request, its workflow result, the submit's outcome), then the stations' publishers drain them
at once, each in its own thread with its own pool, as stations do. Work sizes: 100, 1,000 and
10,000 records per station (1x, 10x, 100x). The baseline is one station with as many.

The desk: the warehouse desk's list of 100, 1,000 and 10,000 open cases published by 16
stations, against one station's own desk (its SQLite store) with as many aborted results.

Needs PostgreSQL's server programs (see the README's Quick start).
Run: .venv/bin/python bench/warehouse_publish.py [--sizes 100,1000,10000]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg

from packstation.station.clock import now_text
from packstation.station.store import StationStore
from packstation.station.supervisor_cases import station_cases
from packstation.warehouse import buffer, schema
from packstation.warehouse.connect import open_pool
from packstation.warehouse.desk import desk_cases
from packstation.warehouse.publisher import publish_batch
from packstation.warehouse.trial_server import TrialServer

STATIONS = 16
STEPS = [
    {
        "actionType": "BookShipment",
        "actionStatus": "Error",
        "errorReason": "carrier down",
        "cancelWorkflow": True,
    }
]


def fill(store: StationStore, records: int, prefix: str) -> None:
    """Put `records` records (a third each: submit request, result, outcome) in the outbox."""
    rows = []
    at = now_text()
    for n in range(records):
        order = f"ORD-{prefix}-{n // 3}"
        kind = ("submit_request", "result", "submit_outcome")[n % 3]
        payload = {
            "station_id": prefix[-2:],
            "submit_id": n // 3,
            "seq": 1,
            "order_id": order,
            "shipment_id": "1",
            "packer": f"P{prefix}",
            "kind": "deliver" if kind == "submit_request" else "submit",
            "units": 3,
            "packages": 1,
            "result_id": n // 3,
            "aborted": 0,
            "steps": [],
            "state": "done",
            "at": at,
        }
        rows.append((f"{prefix}:{n}", kind, json.dumps(payload), at))
    with store.writing() as conn:
        conn.executemany(
            "INSERT INTO warehouse_outbox (record_id, kind, payload, created_at)"
            " VALUES (?, ?, ?, ?)",
            rows,
        )


def new_database(server: TrialServer, name: str) -> str:
    """A fresh, migrated warehouse database."""
    dsn = server.create_database(name)
    with psycopg.connect(dsn, autocommit=True) as conn:
        schema.migrate(conn)
    return dsn


def publish_rate(server: TrialServer, work: Path, stations: int, per_station: int) -> float:
    """Records per second, `stations` draining `per_station` records each at once."""
    dsn = new_database(server, f"pub_{stations}_{per_station}")
    stores = []
    for n in range(stations):
        store = StationStore.open(work / f"pub-{stations}-{per_station}-{n}")
        uid = buffer.enable(store, f"{n:02d}")
        fill(store, per_station, f"{stations}-{per_station}-{n:02d}")
        stores.append((store, uid, open_pool(dsn, max_size=1, wait=True)))
    start = threading.Barrier(stations + 1)

    def drain(store: StationStore, uid: str, pool: object) -> None:
        start.wait()
        while publish_batch(store, pool, uid):  # type: ignore[arg-type]
            pass

    threads = [threading.Thread(target=drain, args=s) for s in stores]
    for t in threads:
        t.start()
    start.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    with psycopg.connect(dsn) as conn:
        stored = conn.execute("SELECT count(*) FROM records").fetchone()
    assert stored == (stations * per_station,), stored
    for store, _, pool in stores:
        pool.close()  # type: ignore[attr-defined]
        store.close()
    return stations * per_station / elapsed


def timed(fn: object, repeat: int = 5) -> float:
    """The median of `repeat` calls, in seconds."""
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def desk_times(server: TrialServer, work: Path, cases: int) -> tuple[float, float]:
    """(warehouse desk over 16 stations, one station's own desk), `cases` open cases each."""
    dsn = new_database(server, f"desk_{cases}")
    pool = open_pool(dsn, max_size=2, wait=True)
    for n in range(STATIONS):
        store = StationStore.open(work / f"desk-{cases}-{n}")
        uid = buffer.enable(store, f"{n:02d}")
        at = now_text()
        share = cases // STATIONS + (1 if n < cases % STATIONS else 0)
        rows = [
            (
                f"desk-{n}:{i}",
                "result",
                json.dumps(
                    {
                        "station_id": f"{n:02d}",
                        "result_id": i,
                        "kind": "submit",
                        "order_id": f"ORD-{n}-{i}",
                        "shipment_id": "1",
                        "packer": f"P{n}",
                        "aborted": 1,
                        "steps": STEPS,
                        "at": at,
                    }
                ),
                at,
            )
            for i in range(share)
        ]
        with store.writing() as conn:
            conn.executemany(
                "INSERT INTO warehouse_outbox (record_id, kind, payload, created_at)"
                " VALUES (?, ?, ?, ?)",
                rows,
            )
        while publish_batch(store, pool, uid):
            pass
        store.close()
    with pool.connection() as conn:
        assert len(desk_cases(conn)) == cases

        def warehouse() -> None:
            desk_cases(conn)

        remote = timed(warehouse)
    pool.close()
    # One station's own desk with as many open cases in its SQLite store.
    local = StationStore.open(work / f"local-{cases}")
    steps = json.dumps(STEPS)
    with local.writing() as conn:
        conn.executemany(
            "INSERT INTO results (kind, order_id, shipment_id, packer, recorded_at, aborted,"
            " steps_json) VALUES ('submit', ?, '1', 'P1', ?, 1, ?)",
            [(f"ORD-{i}", now_text(), steps) for i in range(cases)],
        )
    assert len(station_cases(local)) == cases
    own = timed(lambda: station_cases(local))
    local.close()
    return remote, own


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    work = Path(tempfile.mkdtemp(prefix="packstation-bench-"))
    work.chmod(0o755)
    server = TrialServer.create(work / "pg")
    server.start()
    try:
        print(f"PostgreSQL {server.bin_dir.parent.name}, trial server on 127.0.0.1:{server.port}")
        print("\nRecords published per second (each station drains its outbox at once):")
        print(f"{'per station':>12} {'1 station':>12} {'16 stations':>12} {'ratio':>7}")
        for size in sizes:
            one = publish_rate(server, work, 1, size)
            many = publish_rate(server, work, STATIONS, size)
            print(f"{size:>12,} {one:>12,.0f} {many:>12,.0f} {many / one:>6.2f}x")
        print("\nSupervisor desk, list of open cases (median of 5):")
        print(f"{'open cases':>12} {'one station':>12} {'warehouse':>12} {'ratio':>7}")
        for size in sizes:
            remote, own = desk_times(server, work, size)
            print(
                f"{size:>12,} {own * 1000:>10.1f}ms {remote * 1000:>10.1f}ms {remote / own:>6.2f}x"
            )
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
