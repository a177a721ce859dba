"""What the order search filters and sorts on, kept in indexed columns beside each order.

Each write of an order also writes its status, store, type, creation time, market, whether it
has errors, its tags, its shipments' shipping methods and the lowercase text that free-text
search looks in. The search then answers from these columns and their indexes and reads only
the documents of the page it returns: before, a query with tags or text parsed every stored
order (0.25 s at 10,000 orders, about 2 s at 60,000; issue 16 item 6). Omnium's search has no
warehouse filter, so the shipments' warehouses are not indexed.

Schema version 2 of the sandbox store adds the columns and tables (`migrate`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from packstation.omnium.models import OmniumOrder
from packstation.sandbox.stored_doc import unpacked

INDEX_VERSION = 2
"""The store's schema version once the search columns exist."""

_V2 = (
    "ALTER TABLE orders ADD COLUMN created TEXT",
    "ALTER TABLE orders ADD COLUMN market_id TEXT",
    "ALTER TABLE orders ADD COLUMN has_errors INTEGER",
    "ALTER TABLE orders ADD COLUMN search_text TEXT",
    "CREATE INDEX IF NOT EXISTS orders_status_created ON orders(status, created, seq)",
    "CREATE INDEX IF NOT EXISTS orders_created ON orders(created, seq)",
    "CREATE TABLE IF NOT EXISTS order_tags (seq INTEGER NOT NULL, tag TEXT NOT NULL,"
    " PRIMARY KEY (tag, seq)) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS order_tags_seq ON order_tags(seq)",
    "CREATE TABLE IF NOT EXISTS order_shipping (seq INTEGER NOT NULL, method TEXT NOT NULL,"
    " PRIMARY KEY (method, seq)) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS order_shipping_seq ON order_shipping(seq)",
)

INDEX_TABLES = ("order_tags", "order_shipping")

TEXT_FIELDS = ("id", "order_number", "customer_name", "customer_email", "customer_phone")
"""The fields free-text search looks in (Omnium's id, number, customer name, e-mail, phone),
besides the packages' ids and barcodes."""


@dataclass(frozen=True)
class OrderFilter:
    """A search's filters; None (or empty) leaves one out."""

    statuses: list[str] | None = None
    stores: list[str] | None = None
    order_type: str | None = None
    tags: list[str] | None = None
    """Orders with any of these tags."""
    markets: list[str] | None = None
    shipping_methods: list[str] | None = None
    """Orders with a shipment sent by any of these shipping methods."""
    has_errors: bool | None = None
    text: str | None = None
    """Lowercase text found in one of TEXT_FIELDS (or across two, space-separated)."""


EVERY_ORDER = OrderFilter()
"""The filter that leaves none out."""


def created_key(created: str) -> str:
    """A creation time as a sortable text: UTC with microseconds (unreadable ones as given)."""
    try:
        moment = datetime.fromisoformat(created)
    except ValueError:
        return created
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def search_text(order: OmniumOrder) -> str:
    """The lowercase text free-text search looks in."""
    words = [str(getattr(order, name) or "") for name in TEXT_FIELDS]
    # Package numbers too (SSCCs), so a dock can find a parcel packed at another station.
    for shipment in order.order_form.shipments:
        for package in shipment.packages:
            words.extend((str(package.id or ""), str(package.barcode or "")))
    return " ".join(words).lower()


def write_index(c: sqlite3.Connection, order: OmniumOrder, doc: str | bytes | None = None) -> None:
    """Write the order's search columns (inside the transaction that writes the order), and
    its stored document `doc` (`stored_doc.packed`) when given.

    Writing the document in the same statement matters: SQLite rewrites a whole row (with the
    overflow pages of a 3 MB document) on any update of it, so a second UPDATE for the columns
    wrote the document twice per save (issue 16 item 1)."""
    columns = (
        "status=?, store_id=?, order_type=?, created=?, market_id=?, has_errors=?, search_text=?"
    )
    params: list[Any] = [
        order.status,
        order.store_id,
        order.order_type,
        created_key(order.created),
        order.market_id,
        int(bool(order.errors)),
        search_text(order),
    ]
    if doc is not None:
        columns += ", doc=?"
        params.append(doc)
    row = c.execute(
        f"UPDATE orders SET {columns} WHERE id=? RETURNING seq", (*params, order.id)
    ).fetchone()
    if row is None:
        return
    seq = int(row[0])
    c.execute("DELETE FROM order_tags WHERE seq=?", (seq,))
    c.executemany(
        "INSERT OR IGNORE INTO order_tags(seq, tag) VALUES (?, ?)", [(seq, t) for t in order.tags]
    )
    methods = {s.shipping_method_name for s in order.order_form.shipments}
    c.execute("DELETE FROM order_shipping WHERE seq=?", (seq,))
    c.executemany(
        "INSERT INTO order_shipping(seq, method) VALUES (?, ?)",
        [(seq, m) for m in sorted(m for m in methods if m is not None)],
    )


def migrate(c: sqlite3.Connection, version: int) -> int:
    """Bring a store from `version` to INDEX_VERSION inside the caller's transaction (every
    stored order is read once); returns the new version."""
    if version >= INDEX_VERSION:
        return version
    for statement in _V2:
        c.execute(statement)
    for (doc,) in c.execute("SELECT doc FROM orders ORDER BY seq").fetchall():
        write_index(c, OmniumOrder.model_validate_json(unpacked(doc)))
    return INDEX_VERSION


def where(found: OrderFilter) -> tuple[str, list[Any]]:
    """The WHERE clause (with a leading space, or "") over `orders` and its parameters."""
    clauses: list[str] = []
    params: list[Any] = []

    def any_of(column: str, values: list[str]) -> None:
        clauses.append(f"{column} IN ({','.join('?' * len(values))})")
        params.extend(values)

    if found.statuses:
        any_of("status", found.statuses)
    if found.stores:
        any_of("store_id", found.stores)
    if found.order_type:
        clauses.append("order_type = ?")
        params.append(found.order_type)
    if found.markets:
        any_of("market_id", found.markets)
    if found.has_errors is not None:
        clauses.append("has_errors = ?")
        params.append(int(found.has_errors))
    if found.tags:
        marks = ",".join("?" * len(found.tags))
        clauses.append(f"seq IN (SELECT seq FROM order_tags WHERE tag IN ({marks}))")
        params.extend(found.tags)
    if found.shipping_methods:
        marks = ",".join("?" * len(found.shipping_methods))
        clauses.append(f"seq IN (SELECT seq FROM order_shipping WHERE method IN ({marks}))")
        params.extend(found.shipping_methods)
    if found.text:
        clauses.append("instr(search_text, ?) > 0")
        params.append(found.text)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params
