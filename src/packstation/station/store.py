"""`StationStore`: the station's one SQLite database and the objects that work on it.

The store opens the file and hands its journal, outbox and results the one locked connection
(`StoreConnection`); none of them knows the store. Every write commits before it returns.
"""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from datetime import timedelta
from pathlib import Path
from types import TracebackType

from packstation.station.connection import StoreConnection
from packstation.station.db import database_path, open_database
from packstation.station.errors import StoreSetAside
from packstation.station.journal import Journal
from packstation.station.outbox import Outbox
from packstation.station.results import Results
from packstation.station.retention import DEFAULT_RETENTION, clean_up


class StationStore:
    """The station's durable state: journal, outbox, results and the SSCC serial counter."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.connection = StoreConnection(conn)
        self.path = path
        self.journal = Journal(self.connection)
        self.results = Results(self.connection)
        self.outbox = Outbox(self.connection, self.journal, self.results)

    @classmethod
    def open(
        cls,
        data_dir: Path,
        *,
        set_aside: bool = True,
        retention: timedelta = DEFAULT_RETENTION,
    ) -> StationStore:
        """Open or create the store in `data_dir` (see db.open_database for the errors), and
        clean up what is older than `retention`."""
        path = database_path(Path(data_dir))
        store = cls(open_database(path, set_aside=set_aside), path)
        try:
            clean_up(store.connection, retention)
        except BaseException:
            store.close()
            raise
        return store

    def close(self) -> None:
        """Close the connection (a checkpoint folds the WAL back into the file)."""
        self.connection.close()

    def __enter__(self) -> StationStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def reading(self) -> AbstractContextManager[sqlite3.Connection]:
        """The connection, held under the lock, for reads."""
        return self.connection.reading()

    def writing(self) -> AbstractContextManager[sqlite3.Connection]:
        """One write transaction; nested uses join the outer one."""
        return self.connection.writing()

    def next_sscc_serial(self) -> int:
        """The next SSCC serial (1, 2, ...), committed before it is returned: never reused."""
        with self.writing() as conn:
            row = conn.execute(
                "UPDATE counters SET value = value + 1 WHERE name = 'sscc_serial' RETURNING value"
            ).fetchone()
        return int(row[0])


def open_store(
    data_dir: Path, retention: timedelta = DEFAULT_RETENTION
) -> tuple[StationStore, StoreSetAside | None]:
    """Open the store; if the file had to be set aside, open a fresh one and return why."""
    try:
        return StationStore.open(data_dir, retention=retention), None
    except StoreSetAside as set_aside:
        return StationStore.open(data_dir, retention=retention), set_aside
