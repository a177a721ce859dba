"""Why an order cannot be packed at this station: one exception per reason."""

from __future__ import annotations


class PackingError(Exception):
    """Base of the packing domain's errors; `str(err)` is one line a packer understands."""


class OrderNotPackable(PackingError):
    """The order (or this station's shipment of it) cannot be packed now."""

    def __init__(self, order_id: str, message: str) -> None:
        super().__init__(message)
        self.order_id = order_id


class OrderQueued(OrderNotPackable):
    """Omnium is still processing the order (status Queued); writes would be refused."""


class OrderReadOnly(OrderNotPackable):
    """The order is read-only."""


class OrderCompleted(OrderNotPackable):
    """The order is already completed."""


class OrderCancelled(OrderNotPackable):
    """The order is cancelled."""


class NoOpenShipment(OrderNotPackable):
    """No shipment of the order ships from this station's warehouse with units left to pack."""


class PlanError(PackingError):
    """The session cannot be turned into requests (it is not ready to submit)."""
