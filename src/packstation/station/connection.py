"""The station store's one SQLite connection, its lock and its transactions.

Thread safety: one connection guarded by a re-entrant lock. The journal, outbox and results
read and write only through `reading` and `writing`, so Textual worker threads and the event
loop may share one store. Every write commits before it returns.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol


class StoreConnection:
    """The store's connection under its lock: reads, and write transactions that nest."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        self._write_depth = 0

    def close(self) -> None:
        """Close the connection (a checkpoint folds the WAL back into the file)."""
        with self._lock:
            self._conn.close()

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


class Transactions(Protocol):
    """Anything that gives out the store's reads and write transactions (store or connection)."""

    def reading(self) -> AbstractContextManager[sqlite3.Connection]:
        """The connection, held under the lock, for reads."""

    def writing(self) -> AbstractContextManager[sqlite3.Connection]:
        """One write transaction; nested uses join the outer one."""
