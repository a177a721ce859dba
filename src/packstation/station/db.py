"""Opening the station's SQLite file: recognise it, set a bad one aside, configure, migrate.

Durability: WAL with `synchronous=FULL`, so every COMMIT is fsync'd to the WAL before it
returns. NORMAL would survive an application crash but may lose the last commits on a power
cut, and the journal promises that a scan the screen has shown survives a power cut; the cost
(one fsync per scan) is far below a human's scan rate.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from packstation.private_files import private_dir, private_file
from packstation.station.errors import StoreSetAside, StoreTooNew, StoreUnusable
from packstation.station.migrations import APPLICATION_ID, LATEST_VERSION, migrate, schema_version

DB_FILENAME = "station.sqlite3"
"""The station database's file name inside Settings.data_dir."""

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
"""How long a write waits for another process (e.g. `packstation history`) to let go."""


def database_path(data_dir: Path) -> Path:
    """Where the station database lives in a data directory."""
    return Path(data_dir) / DB_FILENAME


def open_database(path: Path, *, set_aside: bool = True) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the station database at `path`.

    Raises StoreSetAside after renaming a file that is not SQLite, is someone else's SQLite
    database or fails the integrity check; raises StoreTooNew for a newer schema.
    """
    private_dir(path.parent)
    if path.exists() and path.stat().st_size > 0:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
        if header != SQLITE_HEADER:
            raise _unusable(path, "not an SQLite database", set_aside)
    # Created owner-only before SQLite opens it: its -wal and -shm files take the same mode.
    for companion in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if companion.exists():
            private_file(companion)
    private_file(path)
    conn = _connect(path)
    try:
        reason = _problem(conn)
    except sqlite3.DatabaseError as err:
        reason = f"damaged: {err}"
    if reason is not None:
        conn.close()
        raise _unusable(path, reason, set_aside)
    version = schema_version(conn)
    if version > LATEST_VERSION:
        conn.close()
        raise StoreTooNew(path, version, LATEST_VERSION)
    try:
        _configure(conn)
        migrate(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def _connect(path: Path) -> sqlite3.Connection:
    # Autocommit mode: the store issues BEGIN IMMEDIATE / COMMIT itself. check_same_thread is
    # off because the store serialises every use of the connection with its own lock.
    conn = sqlite3.connect(
        str(path), isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def _problem(conn: sqlite3.Connection) -> str | None:
    """Why this file cannot be used as the station database, or None when it can."""
    app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    objects = int(conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])
    if app_id == 0 and objects == 0:
        return None  # a new, empty database
    if app_id != APPLICATION_ID:
        return "an SQLite database of another program"
    check = conn.execute("PRAGMA quick_check").fetchall()
    if [row[0] for row in check] != ["ok"]:
        return f"damaged: {check[0][0]}"
    return None


def _configure(conn: sqlite3.Connection) -> None:
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise sqlite3.OperationalError(f"could not switch the station database to WAL ({mode})")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")


def _unusable(path: Path, reason: str, set_aside: bool) -> StoreUnusable:
    return _set_aside(path, reason) if set_aside else StoreUnusable(path, reason)


def _set_aside(path: Path, reason: str) -> StoreSetAside:
    """Rename the file (and its WAL/SHM companions) out of the way; return the error to raise."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.set-aside-{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.name}.set-aside-{stamp}-{counter}")
    path.rename(target)
    # Keep the companions beside it under SQLite's naming, so the set-aside copy stays readable.
    for suffix in ("-wal", "-shm", "-journal"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.rename(target.with_name(target.name + suffix))
    return StoreSetAside(path, target, reason)
