"""The sandbox's durable state: one SQLite file holding orders (JSON documents), carts, stock,
inventory reductions, notifications, counters, tokens and queued-order release times.

Writes go through one connection guarded by a lock; every method is one short transaction, so no
transaction ever spans an `await`. Reads take a connection of their own from a pool
(WAL: readers never wait for the writer), so that a GET or a token check never waits while a
large order is saved. A workflow run works on a `RunState` that buffers its writes in memory and is
committed together with the order by `save_order(..., run=...)`.

Writers keep the orders they saved last, parsed (`take_order`): a 5,000-line order is sent in
20 requests, and parsing it again for each costs more than all the rest of the request.
"""

from __future__ import annotations

import secrets
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from packstation.omnium.models import OmniumOrder
from packstation.private_files import private_dir, private_file
from packstation.sandbox.notification import Notification
from packstation.sandbox.order_index import EVERY_ORDER, OrderFilter, migrate, where, write_index
from packstation.sandbox.order_json import order_to_json, utc_now_iso
from packstation.sandbox.store_schema import DB_NAME, SCHEMA, SCHEMA_VERSION, TABLES, put_stock
from packstation.sandbox.stored_doc import packed, unpacked

PARSED_KEPT = 8
"""Orders kept parsed for their next writer (the ones written last)."""


class RunWrites(Protocol):
    """A workflow run's buffered effects (`RunState`), committed with its order."""

    def commit_into(self, c: sqlite3.Connection) -> None:
        """Write the buffered effects inside the caller's transaction."""
        ...


class SandboxStore:
    """The SQLite file of one sandbox."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        self.path = path
        self._pool_guard = threading.Lock()
        self._idle_readers: list[sqlite3.Connection] = []
        self._readers: list[sqlite3.Connection] = []
        self._parsed: OrderedDict[str, OmniumOrder] = OrderedDict()
        self._data_version = self._read_data_version()

    @classmethod
    def open(cls, data_dir: Path) -> SandboxStore:
        """Open (creating if needed) the store in `data_dir`."""
        private_dir(data_dir)
        path = data_dir / DB_NAME
        # Owner-only (it holds the token signing key); SQLite gives -wal and -shm its mode.
        private_file(path)
        conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA busy_timeout=5000")
        conn.executescript(SCHEMA)
        store = cls(conn, path)
        with store._tx() as c:
            c.execute(
                "INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)",
                (str(SCHEMA_VERSION),),
            )
            c.execute(
                "INSERT OR IGNORE INTO meta(key, value) VALUES ('signing_key', ?)",
                (secrets.token_hex(32),),
            )
            row = c.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            version = migrate(c, int(row[0]))
            c.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(version),))
        return store

    def close(self) -> None:
        """Close the connections."""
        with self._lock, self._pool_guard:
            for reader in self._readers:
                reader.close()
            self._readers.clear()
            self._idle_readers.clear()
            self._conn.close()

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """A read connection of the pool for one query (one is opened when none is idle)."""
        with self._pool_guard:
            conn = self._idle_readers.pop() if self._idle_readers else None
        if conn is None:
            conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            conn.execute("PRAGMA busy_timeout=5000")
            conn.execute("PRAGMA query_only=ON")
            with self._pool_guard:
                self._readers.append(conn)
        try:
            yield conn
        finally:
            with self._pool_guard:
                self._idle_readers.append(conn)

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _one(self, sql: str, params: Iterable[Any] = ()) -> Any:
        with self._reading() as conn:
            row = conn.execute(sql, tuple(params)).fetchone()
        return None if row is None else row[0]

    def _all(self, sql: str, params: Iterable[Any] = ()) -> list[Any]:
        with self._reading() as conn:
            return conn.execute(sql, tuple(params)).fetchall()

    # --- meta ----------------------------------------------------------------------------

    def signing_key(self) -> bytes:
        """The key tokens are signed with (kept across restarts)."""
        return bytes.fromhex(str(self._one("SELECT value FROM meta WHERE key='signing_key'")))

    def get_meta(self, key: str) -> str | None:
        """A meta value."""
        value = self._one("SELECT value FROM meta WHERE key=?", (key,))
        return None if value is None else str(value)

    def set_meta(self, key: str, value: str) -> None:
        """Set a meta value."""
        with self._tx() as c:
            c.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def wipe(self) -> None:
        """Delete every order, cart, stock row, token and the seeded mark (for --reset)."""
        with self._tx() as c:
            self._parsed.clear()
            for table in TABLES:
                c.execute(f"DELETE FROM {table}")
            c.execute("DELETE FROM meta WHERE key='seeded'")

    # --- orders --------------------------------------------------------------------------

    def get_order_json(self, order_id: str) -> str | None:
        """The stored JSON of an order, or None."""
        doc = self._one("SELECT doc FROM orders WHERE id=?", (order_id,))
        return None if doc is None else unpacked(doc)

    def has_order(self, order_id: str) -> bool:
        """True when the order exists (without reading its document)."""
        return self._one("SELECT 1 FROM orders WHERE id=?", (order_id,)) is not None

    def get_order(self, order_id: str) -> OmniumOrder | None:
        """The order, or None."""
        doc = self.get_order_json(order_id)
        return None if doc is None else OmniumOrder.model_validate_json(doc)

    def take_order(self, order_id: str) -> OmniumOrder | None:
        """The order for a writer holding its lock, to change and `save_order`: the object the
        last writer saved when nothing else wrote meanwhile, else freshly parsed. The caller owns
        it: a failed write simply drops it."""
        with self._lock:
            self._forget_if_written_elsewhere()
            kept = self._parsed.pop(order_id, None)
        return kept if kept is not None else self.get_order(order_id)

    def _read_data_version(self) -> int:
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def _forget_if_written_elsewhere(self) -> None:
        # data_version changes when another connection (process) commits to the file.
        version = self._read_data_version()
        if version != self._data_version:
            self._parsed.clear()
            self._data_version = version

    def _keep_parsed(self, order: OmniumOrder) -> None:
        self._parsed[order.id] = order
        self._parsed.move_to_end(order.id)
        while len(self._parsed) > PARSED_KEPT:
            self._parsed.popitem(last=False)

    def insert_orders(self, orders: Iterable[OmniumOrder]) -> list[str]:
        """Insert new orders in one transaction; returns the ids that already existed (skipped)."""
        duplicates = []
        with self._tx() as c:
            for order in orders:
                cur = c.execute(
                    "INSERT OR IGNORE INTO orders(id, status, store_id, order_type, doc) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (
                        order.id,
                        order.status,
                        order.store_id,
                        order.order_type,
                        packed(order_to_json(order)),
                    ),
                )
                if cur.rowcount == 0:
                    duplicates.append(order.id)
                else:
                    write_index(c, order)
        return duplicates

    def save_order(self, order: OmniumOrder, run: RunWrites | None = None) -> str:
        """Replace an order and commit the run's buffered effects, in one transaction; returns
        the stored JSON. The order is kept parsed for its next writer: do not change it after."""
        doc = order_to_json(order)
        stored = packed(doc)
        with self._tx() as c:
            self._forget_if_written_elsewhere()
            write_index(c, order, stored)
            if run is not None:
                run.commit_into(c)
        with self._lock:
            self._keep_parsed(order)
        return doc

    def order_ids(self) -> list[str]:
        """Every order id, oldest first."""
        return [r[0] for r in self._all("SELECT id FROM orders ORDER BY seq")]

    def find_orders(
        self,
        found: OrderFilter = EVERY_ORDER,
        *,
        by_created: bool = False,
        newest_first: bool = False,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[str]:
        """Stored JSON of the orders matching `found`, oldest first (or newest) as stored or
        `by_created` time, `limit` of them from `offset` (all when None)."""
        clause, params = where(found)
        direction = "DESC" if newest_first else "ASC"
        order_by = f"created {direction}, seq {direction}" if by_created else f"seq {direction}"
        sql = f"SELECT doc FROM orders{clause} ORDER BY {order_by}"
        if limit is not None or offset:
            # Page over the (small) indexed columns first, then read only that page's
            # documents: sorting whole documents to skip most of them costs more the deeper
            # the page.
            sql = (
                f"SELECT doc FROM orders WHERE seq IN (SELECT seq FROM orders{clause} "
                f"ORDER BY {order_by} LIMIT ? OFFSET ?) ORDER BY {order_by}"
            )
            params += [-1 if limit is None else limit, offset]
        return [unpacked(r[0]) for r in self._all(sql, params)]

    def count_orders(self, found: OrderFilter = EVERY_ORDER) -> int:
        """How many orders match `found`."""
        clause, params = where(found)
        return int(self._one(f"SELECT COUNT(*) FROM orders{clause}", params))

    # --- carts ---------------------------------------------------------------------------

    def insert_cart(self, cart_id: str, doc: str) -> bool:
        """Store a new cart; False when the id exists."""
        with self._tx() as c:
            cur = c.execute("INSERT OR IGNORE INTO carts(id, doc) VALUES (?, ?)", (cart_id, doc))
            return cur.rowcount == 1

    def get_cart_json(self, cart_id: str) -> str | None:
        """A stored cart, or None."""
        doc = self._one("SELECT doc FROM carts WHERE id=?", (cart_id,))
        return None if doc is None else str(doc)

    # --- stock, reductions, notifications ------------------------------------------------

    def get_stock(self, warehouse: str, sku: str) -> Decimal | None:
        """Committed units in stock, None when the warehouse does not stock the SKU."""
        value = self._one(
            "SELECT quantity FROM stock WHERE warehouse=? AND sku=?", (warehouse, sku)
        )
        return None if value is None else Decimal(value)

    def set_stock(self, warehouse: str, sku: str, quantity: Decimal) -> None:
        """Set units in stock."""
        with self._tx() as c:
            put_stock(c, warehouse, sku, quantity)

    def set_stock_many(self, stock: dict[tuple[str, str], Decimal]) -> None:
        """Set many stock rows in one transaction."""
        with self._tx() as c:
            for (warehouse, sku), quantity in stock.items():
                put_stock(c, warehouse, sku, quantity)

    def warehouse_with_stock(self, sku: str, units: Decimal, avoid: str | None) -> str | None:
        """The first warehouse (by code) other than `avoid` with at least `units` of `sku`."""
        rows = self._all(
            "SELECT warehouse, quantity FROM stock WHERE sku=? ORDER BY warehouse", (sku,)
        )
        return next((w for w, q in rows if w != avoid and Decimal(q) >= units), None)

    def reduced_quantity(self, order_id: str, shipment_id: str, line_item_id: str) -> Decimal:
        """Units of a line already taken out of stock for a shipment."""
        value = self._one(
            "SELECT quantity FROM reductions WHERE order_id=? AND shipment_id=? AND line_item_id=?",
            (order_id, shipment_id, line_item_id),
        )
        return Decimal(0) if value is None else Decimal(value)

    def reductions_of(self, order_id: str) -> dict[tuple[str, str], Decimal]:
        """Units taken out of stock so far for each (shipment, line) of an order."""
        rows = self._all(
            "SELECT shipment_id, line_item_id, quantity FROM reductions WHERE order_id=?",
            (order_id,),
        )
        return {(shipment, line): Decimal(quantity) for shipment, line, quantity in rows}

    def notifications(self, order_id: str | None = None) -> list[Notification]:
        """Recorded notifications, oldest first (all orders when `order_id` is None)."""
        sql = "SELECT order_id, channel, recipient, message, created FROM notifications"
        params: tuple[str, ...] = ()
        if order_id is not None:
            sql += " WHERE order_id=?"
            params = (order_id,)
        rows = self._all(sql + " ORDER BY seq", params)
        return [Notification(*row) for row in rows]

    def next_counter(self, name: str) -> int:
        """The next value of a named counter (1, 2, ...), committed at once so it never repeats."""
        with self._lock:
            # One statement in autocommit mode: atomic and durable on its own.
            row = self._conn.execute(
                "INSERT INTO counters(name, value) VALUES (?, 1) "
                "ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value",
                (name,),
            ).fetchall()  # exhaust the cursor so the statement (and its write) completes
        return int(row[0][0])

    def peek_counter(self, name: str) -> int:
        """The last value handed out by a counter (0 when never used)."""
        value = self._one("SELECT value FROM counters WHERE name=?", (name,))
        return 0 if value is None else int(value)

    # --- tokens --------------------------------------------------------------------------

    def add_token(self, jti: str, client_id: str, expires: int) -> None:
        """Record an issued token."""
        with self._tx() as c:
            c.execute(
                "INSERT INTO tokens(jti, client_id, expires) VALUES (?, ?, ?)",
                (jti, client_id, expires),
            )
            # Keep the table small: expired tokens can never be valid again.
            c.execute("DELETE FROM tokens WHERE expires < ?", (int(time.time()),))

    def token_active(self, jti: str) -> bool:
        """True when the token was issued here and not revoked."""
        return bool(self._one("SELECT revoked FROM tokens WHERE jti=?", (jti,)) == 0)

    def revoke_all_tokens(self) -> int:
        """Revoke every issued token; returns how many."""
        with self._tx() as c:
            return c.execute("UPDATE tokens SET revoked=1 WHERE revoked=0").rowcount

    # --- queued orders -------------------------------------------------------------------

    def queue_order(self, order_id: str, release_at: float, then_status: str) -> None:
        """Remember to move a Queued order to `then_status` at `release_at` (epoch seconds)."""
        with self._tx() as c:
            c.execute(
                "INSERT OR REPLACE INTO queue(order_id, release_at, then_status) VALUES (?, ?, ?)",
                (order_id, release_at, then_status),
            )

    def next_release(self) -> float | None:
        """The earliest pending release time."""
        value = self._one("SELECT MIN(release_at) FROM queue")
        return None if value is None else float(value)

    def release_due(self, now: float) -> list[str]:
        """Move every Queued order whose time has come to its next status; returns their ids."""
        released = []
        with self._tx() as c:
            rows = c.execute(
                "SELECT order_id, then_status FROM queue WHERE release_at <= ?", (now,)
            ).fetchall()
            for order_id, then_status in rows:
                c.execute("DELETE FROM queue WHERE order_id=?", (order_id,))
                row = c.execute("SELECT doc FROM orders WHERE id=?", (order_id,)).fetchone()
                if row is None:
                    continue
                order = OmniumOrder.model_validate_json(unpacked(row[0]))
                if order.status != "Queued":
                    continue
                order.status = then_status
                for shipment in order.order_form.shipments:
                    if shipment.order_status == "Queued":
                        shipment.order_status = then_status
                order.modified = utc_now_iso()
                self._parsed.pop(order_id, None)
                write_index(c, order, packed(order_to_json(order)))
                released.append(order_id)
        return released
