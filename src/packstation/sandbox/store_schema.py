"""The sandbox's SQLite file: its name, tables, and the stock row write shared by the store
and a workflow run's commit."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

DB_NAME = "sandbox.sqlite3"
SCHEMA_VERSION = 1
"""The version SCHEMA creates; `order_index.migrate` brings it to 2."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS orders (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    status TEXT,
    store_id TEXT,
    order_type TEXT,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_status ON orders(status);
CREATE TABLE IF NOT EXISTS carts (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS stock (
    warehouse TEXT NOT NULL, sku TEXT NOT NULL, quantity TEXT NOT NULL,
    PRIMARY KEY (warehouse, sku)
);
CREATE TABLE IF NOT EXISTS reductions (
    order_id TEXT NOT NULL, shipment_id TEXT NOT NULL, line_item_id TEXT NOT NULL,
    quantity TEXT NOT NULL,
    PRIMARY KEY (order_id, shipment_id, line_item_id)
);
CREATE TABLE IF NOT EXISTS notifications (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id TEXT NOT NULL, channel TEXT NOT NULL, recipient TEXT NOT NULL,
    message TEXT NOT NULL, created TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS notifications_order ON notifications(order_id);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (
    jti TEXT PRIMARY KEY, client_id TEXT NOT NULL, expires INTEGER NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS queue (
    order_id TEXT PRIMARY KEY, release_at REAL NOT NULL, then_status TEXT NOT NULL
);
"""

TABLES = (
    "orders",
    "order_tags",
    "order_shipping",
    "carts",
    "stock",
    "reductions",
    "notifications",
    "counters",
    "tokens",
    "queue",
)


def put_stock(c: sqlite3.Connection, warehouse: str, sku: str, quantity: Decimal) -> None:
    """Set a stock row (the store's own writes and a run's commit)."""
    c.execute(
        "INSERT OR REPLACE INTO stock(warehouse, sku, quantity) VALUES (?, ?, ?)",
        (warehouse, sku, str(quantity)),
    )
