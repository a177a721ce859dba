"""The store file: creation, WAL, schema migration, damaged and foreign files set aside."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from station_helpers import small_order

from packstation.station.db import database_path
from packstation.station.errors import StoreSetAside, StoreTooNew, StoreUnusable
from packstation.station.migrations import (
    APPLICATION_ID,
    LATEST_VERSION,
    MIGRATIONS,
    migrate,
    schema_version,
)
from packstation.station.store import StationStore, open_store


def test_new_store_is_wal_full_sync_and_latest_schema(tmp_path: Path) -> None:
    with StationStore.open(tmp_path) as store, store.reading() as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert schema_version(conn) == LATEST_VERSION == len(MIGRATIONS)
    assert database_path(tmp_path).exists()


def test_old_schema_is_migrated_and_keeps_its_data(tmp_path: Path) -> None:
    path = database_path(tmp_path)
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, target=1) == 1
    conn.execute("UPDATE counters SET value = 41 WHERE name = 'sscc_serial'")
    conn.close()
    with StationStore.open(tmp_path) as store:
        with store.reading() as c:
            assert schema_version(c) == LATEST_VERSION
            tables = {r[0] for r in c.execute("SELECT name FROM sqlite_master")}
        assert {"reviews", "supervisor_actions"} <= tables
        assert store.next_sscc_serial() == 42


def test_reopening_does_not_migrate_twice(tmp_path: Path) -> None:
    StationStore.open(tmp_path).close()
    with StationStore.open(tmp_path) as store, store.reading() as c:
        assert schema_version(c) == LATEST_VERSION


def _set_aside_files(data_dir: Path) -> list[Path]:
    return sorted(p for p in data_dir.iterdir() if ".set-aside-" in p.name)


def test_text_file_is_set_aside_not_overwritten(tmp_path: Path) -> None:
    path = database_path(tmp_path)
    path.write_text("these are my notes, not a database\n")
    with pytest.raises(StoreSetAside) as caught:
        StationStore.open(tmp_path)
    err = caught.value
    assert "not an SQLite database" in str(err)
    assert "\n" not in str(err)
    assert err.moved_to.read_text() == "these are my notes, not a database\n"
    assert not path.exists()
    # The next open starts afresh.
    with StationStore.open(tmp_path) as store:
        assert store.next_sscc_serial() == 1


def test_foreign_sqlite_database_is_set_aside(tmp_path: Path) -> None:
    path = database_path(tmp_path)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.execute("INSERT INTO invoices VALUES (1, 99.5)")
    conn.commit()
    conn.close()
    store, set_aside = open_store(tmp_path)
    store.close()
    assert set_aside is not None
    assert "another program" in str(set_aside)
    kept = sqlite3.connect(set_aside.moved_to)
    assert kept.execute("SELECT total FROM invoices").fetchone()[0] == 99.5
    kept.close()
    assert len([p for p in _set_aside_files(tmp_path) if p.name.endswith("Z")]) == 1


def test_damaged_database_is_set_aside(tmp_path: Path) -> None:
    with StationStore.open(tmp_path) as store:
        sid = store.journal.start(small_order(), "1", "P1")
        for n in range(300):
            store.journal.append(sid, {"type": "scan", "n": n, "pad": "x" * 200})
    path = database_path(tmp_path)
    data = bytearray(path.read_bytes())
    assert len(data) > 8192
    # Scribble over everything after the first page (the schema page stays readable).
    data[4096:] = b"\xa5" * (len(data) - 4096)
    path.write_bytes(bytes(data))
    with pytest.raises(StoreSetAside) as caught:
        StationStore.open(tmp_path)
    assert "damaged" in str(caught.value)
    assert caught.value.moved_to.exists()
    assert not path.exists()


def test_truncated_header_is_set_aside(tmp_path: Path) -> None:
    path = database_path(tmp_path)
    path.write_bytes(b"SQLite for")
    with pytest.raises(StoreSetAside):
        StationStore.open(tmp_path)


def test_newer_schema_is_refused_and_left_in_place(tmp_path: Path) -> None:
    StationStore.open(tmp_path).close()
    path = database_path(tmp_path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 5}")
    conn.close()
    with pytest.raises(StoreTooNew) as caught:
        StationStore.open(tmp_path)
    assert "upgrade packstation" in str(caught.value)
    assert path.exists()
    assert _set_aside_files(tmp_path) == []


def test_empty_file_becomes_a_store(tmp_path: Path) -> None:
    database_path(tmp_path).write_bytes(b"")
    with StationStore.open(tmp_path) as store:
        assert store.next_sscc_serial() == 1


def test_serial_counter_never_reused_across_reopen(tmp_path: Path) -> None:
    seen: list[int] = []
    for _ in range(3):
        with StationStore.open(tmp_path) as store:
            seen.extend(store.next_sscc_serial() for _ in range(5))
    assert seen == list(range(1, 16))


def test_serial_counter_from_many_threads_is_unique(store: StationStore) -> None:
    got: list[int] = []
    lock = threading.Lock()

    def take() -> None:
        for _ in range(25):
            value = store.next_sscc_serial()
            with lock:
                got.append(value)

    threads = [threading.Thread(target=take) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got) == list(range(1, 101))


def test_two_stores_on_one_file_share_the_counter(tmp_path: Path) -> None:
    # E.g. the app and `packstation history` (or a second process) at once.
    with StationStore.open(tmp_path) as a, StationStore.open(tmp_path) as b:
        values = [a.next_sscc_serial(), b.next_sscc_serial(), a.next_sscc_serial()]
    assert values == [1, 2, 3]


def test_read_only_open_reports_without_moving(tmp_path: Path) -> None:
    path = database_path(tmp_path)
    path.write_text("not a database")
    with pytest.raises(StoreUnusable) as caught:
        StationStore.open(tmp_path, set_aside=False)
    assert not isinstance(caught.value, StoreSetAside)
    assert path.read_text() == "not a database"
    assert _set_aside_files(tmp_path) == []
