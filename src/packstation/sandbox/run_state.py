"""A workflow run's view of the sandbox store: reads through, buffers every write."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

from packstation.sandbox.notification import Notification
from packstation.sandbox.store import SandboxStore
from packstation.sandbox.store_schema import put_stock


class RunState:
    """`SandboxState` for one workflow run: reads through to the store, buffers every write.

    Stock is committed as deltas so that concurrent runs on different orders touching the same
    SKU do not overwrite each other. A dry run's state is simply never committed.
    """

    def __init__(self, store: SandboxStore, *, dry_run: bool = False) -> None:
        self._store = store
        self.dry_run = dry_run
        self._stock_base: dict[tuple[str, str], Decimal | None] = {}
        self._stock_now: dict[tuple[str, str], Decimal] = {}
        self._reductions: dict[tuple[str, str, str], Decimal] = {}
        self._reduced: dict[str, dict[tuple[str, str], Decimal]] = {}
        self.notifications: list[Notification] = []
        self._dry_tracking = 0

    def get_stock(self, warehouse: str, sku: str) -> Decimal | None:
        """Units in stock as this run sees them."""
        key = (warehouse, sku)
        if key in self._stock_now:
            return self._stock_now[key]
        if key not in self._stock_base:
            self._stock_base[key] = self._store.get_stock(warehouse, sku)
        return self._stock_base[key]

    def set_stock(self, warehouse: str, sku: str, quantity: Decimal) -> None:
        """Set units in stock (buffered)."""
        key = (warehouse, sku)
        if key not in self._stock_base:
            self._stock_base[key] = self._store.get_stock(warehouse, sku)
        self._stock_now[key] = Decimal(quantity)

    def reduced_quantity(self, order_id: str, shipment_id: str, line_item_id: str) -> Decimal:
        """Units of this line already taken out of stock for this shipment."""
        key = (order_id, shipment_id, line_item_id)
        if key in self._reductions:
            return self._reductions[key]
        if order_id not in self._reduced:
            # One query for the whole order, not one per line (5,000 on a large order).
            self._reduced[order_id] = self._store.reductions_of(order_id)
        return self._reduced[order_id].get((shipment_id, line_item_id), Decimal(0))

    def record_reduction(
        self, order_id: str, shipment_id: str, line_item_id: str, quantity: Decimal
    ) -> None:
        """Remember the total units taken out of stock for this line (buffered)."""
        self._reductions[(order_id, shipment_id, line_item_id)] = Decimal(quantity)

    def add_notification(self, order_id: str, channel: str, recipient: str, message: str) -> None:
        """Record a message (buffered)."""
        self.notifications.append(Notification(order_id, channel, recipient, message))

    def next_tracking_number(self, carrier: str) -> str:
        """A fresh tracking number; a real run takes it from the store's counter at once."""
        if self.dry_run:
            self._dry_tracking += 1
            serial = self._store.peek_counter("tracking") + self._dry_tracking
        else:
            serial = self._store.next_counter("tracking")
        letters = "".join(ch for ch in carrier.upper() if ch.isalpha())[:2] or "SB"
        return f"{letters.ljust(2, 'X')}{serial:09d}NO"

    def commit_into(self, c: sqlite3.Connection) -> None:
        """Write the buffered effects inside the caller's transaction."""
        if self.dry_run:
            raise RuntimeError("a dry run's state is never committed")
        for (warehouse, sku), now in self._stock_now.items():
            base = self._stock_base.get((warehouse, sku))
            row = c.execute(
                "SELECT quantity FROM stock WHERE warehouse=? AND sku=?", (warehouse, sku)
            ).fetchone()
            current = None if row is None else Decimal(row[0])
            # Apply our change as a delta over whatever other runs committed meanwhile.
            new = now if current is None or base is None else current + (now - base)
            put_stock(c, warehouse, sku, new)
        for (order_id, shipment_id, line_item_id), quantity in self._reductions.items():
            c.execute(
                "INSERT OR REPLACE INTO reductions(order_id, shipment_id, line_item_id, quantity) "
                "VALUES (?, ?, ?, ?)",
                (order_id, shipment_id, line_item_id, str(quantity)),
            )
        c.executemany(
            "INSERT INTO notifications(order_id, channel, recipient, message, created) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                (n.order_id, n.channel, n.recipient, n.message, n.created)
                for n in self.notifications
            ],
        )
