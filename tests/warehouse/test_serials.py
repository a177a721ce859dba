"""SSCC serial blocks from the warehouse database: unique across stations, usable offline."""

from __future__ import annotations

import itertools
import threading
from pathlib import Path

import psycopg
import pytest
from warehouse_support import station

from packstation.labels.sscc import (
    WAREHOUSE_EXTENSION_DIGIT,
    WarehouseSsccAllocator,
    in_station_range,
    is_valid_sscc,
)
from packstation.warehouse.connect import open_pool
from packstation.warehouse.schema import SERIAL_BLOCK_SIZE
from packstation.warehouse.serials import SerialBlocks, SerialsUnavailable
from packstation.warehouse.trial_server import free_port


def test_ten_thousand_ssccs_from_sixteen_stations_have_no_duplicate(
    tmp_path: Path, warehouse_dsn: str, pg: psycopg.Connection
) -> None:
    # Every station has the same station id: the serials do not depend on it.
    stations = [station(tmp_path / f"s{n}", "01") for n in range(16)]
    pools = [open_pool(warehouse_dsn, max_size=1) for _ in stations]
    per_station = 625
    made: list[list[str]] = [[] for _ in stations]

    def allocate(n: int) -> None:
        store, uid = stations[n]
        blocks = SerialBlocks(store, pools[n], uid, "01", low_water=50)
        allocator = WarehouseSsccAllocator("7012345", blocks.next_serial)
        for i in range(per_station):
            made[n].append(allocator())
            if i % 100 == 0:
                blocks.top_up()  # as the publisher does between batches

    threads = [threading.Thread(target=allocate, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    everything = [sscc for batch in made for sscc in batch]
    assert len(everything) == 16 * per_station == 10_000
    assert len(set(everything)) == len(everything)
    assert all(is_valid_sscc(s) and s[0] == str(WAREHOUSE_EXTENSION_DIGIT) for s in everything)
    # No warehouse SSCC reads as a station-numbered one (extension digit 0).
    assert not any(s[0] == "0" for s in everything)
    blocks = pg.execute("SELECT first_serial, last_serial FROM sscc_blocks ORDER BY 1").fetchall()
    assert all(b[1] - b[0] + 1 == SERIAL_BLOCK_SIZE for b in blocks)
    assert all(a[1] < b[0] for a, b in itertools.pairwise(blocks))
    for pool in pools:
        pool.close()
    for store, _ in stations:
        store.close()


def test_a_station_prints_offline_until_its_block_is_used(
    tmp_path: Path, warehouse_dsn: str
) -> None:
    store, uid = station(tmp_path / "s", "02")
    pool = open_pool(warehouse_dsn, wait=True)
    SerialBlocks(store, pool, uid, "02").reserve()
    pool.close()
    # The database is gone (nothing listens there): the reserved block still serves.
    away = open_pool(f"postgresql://postgres@127.0.0.1:{free_port()}/none")
    offline = SerialBlocks(store, away, uid, "02")
    serials = [offline.next_serial() for _ in range(SERIAL_BLOCK_SIZE)]
    assert serials == list(range(serials[0], serials[0] + SERIAL_BLOCK_SIZE))
    assert offline.remaining() == 0
    with pytest.raises(SerialsUnavailable, match="cannot be reached"):
        offline.next_serial()
    away.close()
    store.close()


def test_serials_survive_a_restart_of_the_station(tmp_path: Path, warehouse_dsn: str) -> None:
    store, uid = station(tmp_path / "s", "03")
    pool = open_pool(warehouse_dsn, wait=True)
    first = [SerialBlocks(store, pool, uid, "03").next_serial() for _ in range(3)]
    store.close()
    store, uid = station(tmp_path / "s", "03")
    again = SerialBlocks(store, pool, uid, "03").next_serial()
    assert again == first[-1] + 1
    pool.close()
    store.close()


def test_warehouse_ssccs_are_not_taken_for_a_twin_stations_numbers() -> None:
    allocator = WarehouseSsccAllocator("7012345", lambda: 10_000_001)
    sscc = allocator()
    assert sscc.startswith("17012345010000001")
    # Digits 9-10 happen to read "01", but the extension digit tells them apart: the twin
    # station check (station/ssccs.py) leaves it alone.
    assert not in_station_range(sscc, "7012345", "01")
    assert in_station_range("070123450100000012", "7012345", "01")
