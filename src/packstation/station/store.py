"""`StationStore`: the station's one SQLite database and the objects that work on it.

Thread safety: one connection per store, guarded by a re-entrant lock. Every public method
of the store and of its journal, outbox and results takes the lock, so Textual worker threads
and the event loop may share one store. Every write commits before it returns.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from packstation.station.db import database_path, open_database
from packstation.station.errors import StoreSetAside
from packstation.station.journal import Journal
from packstation.station.outbox import Outbox
from packstation.station.results import Results


class StationStore:
    """The station's durable state: journal, outbox, results and the SSCC serial counter."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        self._lock = threading.RLock()
        self._write_depth = 0
        self.journal = Journal(self)
        self.outbox = Outbox(self)
        self.results = Results(self)

    @classmethod
    def open(cls, data_dir: Path, *, set_aside: bool = True) -> StationStore:
        """Open or create the store in `data_dir` (see db.open_database for the errors)."""
        path = database_path(Path(data_dir))
        store = cls(open_database(path, set_aside=set_aside), path)
        try:
            store.journal.prune()
        except BaseException:
            store.close()
            raise
        return store

    def close(self) -> None:
        """Close the connection (a checkpoint folds the WAL back into the file)."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> StationStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """The connection, held under the lock, for reads."""
        with self._lock:
            yield self._conn

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE ... COMMIT); nested uses join the outer one."""
        with self._lock:
            if self._write_depth:
                self._write_depth += 1
                try:
                    yield self._conn
                finally:
                    self._write_depth -= 1
                return
            self._conn.execute("BEGIN IMMEDIATE")
            self._write_depth = 1
            try:
                yield self._conn
            except BaseException:
                self._write_depth = 0
                self._conn.execute("ROLLBACK")
                raise
            self._write_depth = 0
            try:
                self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise

    def next_sscc_serial(self) -> int:
        """The next SSCC serial (1, 2, ...), committed before it is returned: never reused."""
        with self.writing() as conn:
            row = conn.execute(
                "UPDATE counters SET value = value + 1 WHERE name = 'sscc_serial' RETURNING value"
            ).fetchone()
        return int(row[0])


def open_store(data_dir: Path) -> tuple[StationStore, StoreSetAside | None]:
    """Open the store; if the file had to be set aside, open a fresh one and return why."""
    try:
        return StationStore.open(data_dir), None
    except StoreSetAside as set_aside:
        return StationStore.open(data_dir), set_aside
