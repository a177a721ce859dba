"""In-memory implementations of SandboxState: a plain one for tests, an overlay for dry runs."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from packstation.sandbox.state import SandboxState


def tracking_number(carrier: str, serial: int) -> str:
    """A UPU S10-style tracking number, e.g. `BR000000017NO` (S10 check digit)."""
    letters = "".join(ch for ch in carrier.upper() if ch.isalpha())[:2].ljust(2, "X")
    digits = f"{serial % 10**8:08d}"
    weights = (8, 6, 4, 2, 3, 5, 9, 7)
    check = 11 - sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    check = 0 if check == 10 else 5 if check == 11 else check
    return f"{letters}{digits}{check}NO"


class MemoryState:
    """A SandboxState held in dicts; `notifications` is a list of dicts for assertions."""

    def __init__(self, stock: Mapping[tuple[str, str], Decimal] | None = None) -> None:
        self.stock: dict[tuple[str, str], Decimal] = dict(stock or {})
        self.reductions: dict[tuple[str, str, str], Decimal] = {}
        self.notifications: list[dict[str, str]] = []
        self._serials: dict[str, int] = {}

    def get_stock(self, warehouse: str, sku: str) -> Decimal | None:
        """Units in stock, None when the warehouse does not stock the SKU."""
        return self.stock.get((warehouse, sku))

    def set_stock(self, warehouse: str, sku: str, quantity: Decimal) -> None:
        """Set the units in stock."""
        self.stock[(warehouse, sku)] = quantity

    def reduced_quantity(self, order_id: str, shipment_id: str, line_item_id: str) -> Decimal:
        """Units already taken out of stock for this line of this shipment."""
        return self.reductions.get((order_id, shipment_id, line_item_id), Decimal(0))

    def record_reduction(
        self, order_id: str, shipment_id: str, line_item_id: str, quantity: Decimal
    ) -> None:
        """Remember the total units taken out of stock for this line of this shipment."""
        self.reductions[(order_id, shipment_id, line_item_id)] = quantity

    def add_notification(self, order_id: str, channel: str, recipient: str, message: str) -> None:
        """Record a message the Notification step would have sent."""
        self.notifications.append(
            {"orderId": order_id, "channel": channel, "recipient": recipient, "message": message}
        )

    def next_tracking_number(self, carrier: str) -> str:
        """A fresh tracking number for `carrier`, never repeated by this state."""
        serial = self._serials.get(carrier, 0) + 1
        self._serials[carrier] = serial
        return tracking_number(carrier, serial)


class OverlayState:
    """Reads through to a real state; keeps every write to itself (the dry run's sandbox)."""

    def __init__(self, base: SandboxState) -> None:
        self._base = base
        self._stock: dict[tuple[str, str], Decimal] = {}
        self._reductions: dict[tuple[str, str, str], Decimal] = {}
        self.notifications: list[dict[str, str]] = []
        self._serial = 0

    def get_stock(self, warehouse: str, sku: str) -> Decimal | None:
        """Stock as the dry run sees it."""
        if (warehouse, sku) in self._stock:
            return self._stock[(warehouse, sku)]
        return self._base.get_stock(warehouse, sku)

    def set_stock(self, warehouse: str, sku: str, quantity: Decimal) -> None:
        """Change the stock in the overlay only."""
        self._stock[(warehouse, sku)] = quantity

    def reduced_quantity(self, order_id: str, shipment_id: str, line_item_id: str) -> Decimal:
        """Reductions as the dry run sees them."""
        key = (order_id, shipment_id, line_item_id)
        if key in self._reductions:
            return self._reductions[key]
        return self._base.reduced_quantity(order_id, shipment_id, line_item_id)

    def record_reduction(
        self, order_id: str, shipment_id: str, line_item_id: str, quantity: Decimal
    ) -> None:
        """Record a reduction in the overlay only."""
        self._reductions[(order_id, shipment_id, line_item_id)] = quantity

    def add_notification(self, order_id: str, channel: str, recipient: str, message: str) -> None:
        """Keep the message in the overlay; nothing is recorded in the real state."""
        self.notifications.append(
            {"orderId": order_id, "channel": channel, "recipient": recipient, "message": message}
        )

    def next_tracking_number(self, carrier: str) -> str:
        """A placeholder; the real counter is not consumed by a dry run."""
        self._serial += 1
        return f"DRYRUN-{carrier}-{self._serial}"
