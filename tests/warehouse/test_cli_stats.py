"""`packstation warehouse-db migrate` and `packstation stats [--warehouse]`."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from warehouse_support import pack_order, small_order, station

from packstation.cli import main
from packstation.shifts import ShiftWindow
from packstation.station.refusals import record_refusals
from packstation.station.shift_stats import shift_stats
from packstation.warehouse import schema
from packstation.warehouse.connect import open_pool
from packstation.warehouse.publisher import publish_batch
from packstation.warehouse.stats import warehouse_stats
from packstation.warehouse.trial_server import TrialServer


def test_migrate_creates_and_is_safe_to_repeat(
    pg_server: TrialServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    dsn = pg_server.create_database("wh_cli_migrate")
    monkeypatch.setenv("PACKSTATION_WAREHOUSE_DB", dsn)
    assert main(["warehouse-db", "migrate"]) == 0
    assert f"schema version 0 -> {schema.LATEST_VERSION}" in capsys.readouterr().out
    assert main(["warehouse-db", "migrate"]) == 0
    assert "up to date" in capsys.readouterr().out
    with psycopg.connect(dsn) as conn:
        assert schema.schema_version(conn) == schema.LATEST_VERSION


def test_migrate_brings_an_older_schema_up_one_step_at_a_time(pg_server: TrialServer) -> None:
    dsn = pg_server.create_database("wh_cli_older")
    with psycopg.connect(dsn, autocommit=True) as conn:
        assert schema.migrate(conn, target=1) == (0, 1)
        assert schema.migrate(conn) == (1, schema.LATEST_VERSION)
        assert conn.execute("SELECT to_regclass('settled_keys') IS NOT NULL").fetchone() == (True,)


def test_migrate_without_the_setting_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("PACKSTATION_WAREHOUSE_DB", raising=False)
    (tmp_path / "empty.toml").write_text("")
    assert main(["--config", str(tmp_path / "empty.toml"), "warehouse-db", "migrate"]) == 1
    assert "set warehouse_db" in capsys.readouterr().err


def test_the_setting_must_be_a_postgresql_url(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PACKSTATION_WAREHOUSE_DB", "mysql://x")
    assert main(["warehouse-db", "migrate"]) == 2
    assert "postgresql://" in capsys.readouterr().err


def _pack_two_stations(tmp_path: Path, dsn: str) -> None:
    for n, packers in ((1, ("ANN", "BO")), (2, ("ANN",))):
        store, uid = station(tmp_path / f"s{n}", f"0{n}")
        for i, packer in enumerate(packers * 2):
            outcome = ("done", "aborted", "failed")[i % 3]
            pack_order(store, f"ORD-{n}-{i}", packer, outcome=outcome, units=2, packages=1 + i)
        if n == 2:
            record_refusals(store.connection, None, "ANN", [("unknown", "not on the order")])
            session = store.journal.start(small_order("ORD-9"), "1", "ANN")
            store.journal.discard(session)
        pool = open_pool(dsn, wait=True)
        while publish_batch(store, pool, uid):
            pass
        pool.close()
        store.close()


def _window() -> ShiftWindow:
    now = datetime.now().astimezone()
    return ShiftWindow(now - timedelta(hours=1), now + timedelta(hours=1), "test")


def test_warehouse_stats_per_packer_station_and_hour(
    tmp_path: Path, warehouse_dsn: str, pg: psycopg.Connection
) -> None:
    _pack_two_stations(tmp_path, warehouse_dsn)
    stats = warehouse_stats(pg, _window())
    # Station 01: ANN i=0 done, BO i=1 aborted, ANN i=2 failed, BO i=3 done.
    # Station 02: ANN i=0 done, ANN i=1 aborted; one refused scan, one abandoned order.
    ann, bo = stats.by_packer["ANN"], stats.by_packer["BO"]
    assert (len(ann.orders), ann.units, ann.packages, ann.refused, ann.aborted, ann.abandoned) == (
        4,
        8.0,
        1 + 3 + 1 + 2,
        1,
        2,
        1,
    )
    assert (len(bo.orders), bo.units, bo.packages, bo.aborted) == (2, 4.0, 2 + 4, 1)
    one, two = stats.by_station["01"], stats.by_station["02"]
    assert (len(one.orders), one.packages, one.aborted, one.refused) == (4, 10, 2, 0)
    assert (len(two.orders), two.packages, two.aborted, two.refused) == (2, 3, 1, 1)
    assert sum(len(f.orders) for f in stats.by_hour.values()) == 6
    assert len(stats.total.orders) == 6


def test_stats_command_warehouse(
    tmp_path: Path,
    warehouse_dsn: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _pack_two_stations(tmp_path, warehouse_dsn)
    monkeypatch.setenv("PACKSTATION_WAREHOUSE_DB", warehouse_dsn)
    assert main(["--data-dir", str(tmp_path / "s1"), "stats", "--warehouse"]) == 0
    out = capsys.readouterr().out
    assert "every station" in out
    lines = [line.split() for line in out.splitlines()]
    assert lines.count(["Packer", "Orders", "Units", "Packages", "Refused", "Aborted", "Abandoned"])
    assert ["02", "2", "4", "3", "1", "1", "1"] in lines
    assert ["all", "6", "12", "13", "1", "3", "1"] in lines


def test_stats_warehouse_without_the_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("PACKSTATION_WAREHOUSE_DB", raising=False)
    (tmp_path / "empty.toml").write_text("")
    args = ["--config", str(tmp_path / "empty.toml"), "--data-dir", str(tmp_path), "stats"]
    assert main([*args, "--warehouse"]) == 1
    assert "warehouse_db" in capsys.readouterr().err


def test_the_warehouse_counts_as_the_station_does(
    tmp_path: Path, warehouse_dsn: str, pg: psycopg.Connection
) -> None:
    store, uid = station(tmp_path / "s", "07")
    for i in range(6):
        pack_order(store, f"ORD-{i}", f"P{i % 2}", outcome=("done", "aborted", "failed")[i % 3])
    record_refusals(store.connection, None, "P1", [("unknown", "x"), ("over", "y")])
    window = _window()
    local = {r.packer: r.figures for r in shift_stats(store, window).rows if r.hour is None}
    pool = open_pool(warehouse_dsn, wait=True)
    while publish_batch(store, pool, uid):
        pass
    pool.close()
    assert warehouse_stats(pg, window).by_packer == local
    store.close()
