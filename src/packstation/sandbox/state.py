"""What the workflow engine may read and change besides the order itself.

The server implements it on its SQLite store; tests may implement it in memory. All calls run
while the order's lock is held, inside one store transaction.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol


class SandboxState(Protocol):
    """Stock, inventory bookkeeping, sent notifications and carrier numbers."""

    def get_stock(self, warehouse: str, sku: str) -> Decimal | None:
        """Units of `sku` in stock at `warehouse`; None when the warehouse does not stock it."""
        ...

    def set_stock(self, warehouse: str, sku: str, quantity: Decimal) -> None:
        """Set the units of `sku` in stock at `warehouse`."""
        ...

    def reduced_quantity(self, order_id: str, shipment_id: str, line_item_id: str) -> Decimal:
        """Units of this line already taken out of stock for this shipment."""
        ...

    def record_reduction(
        self, order_id: str, shipment_id: str, line_item_id: str, quantity: Decimal
    ) -> None:
        """Remember that `quantity` units (in total) were taken out of stock for this line."""
        ...

    def add_notification(self, order_id: str, channel: str, recipient: str, message: str) -> None:
        """Record a message the Notification step would have sent."""
        ...

    def next_tracking_number(self, carrier: str) -> str:
        """A fresh, never repeated tracking number for `carrier`."""
        ...
