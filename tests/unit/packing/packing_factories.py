"""Orders and sessions for the packing tests (no I/O)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from packstation.omnium.models import OmniumOrder, OrderForm, OrderLine, Shipment
from packstation.packing.rules import PackingRules
from packstation.packing.session import PackingSession

WAREHOUSE = "WH-OSLO"


@dataclass
class L:
    """A line spec: SKU code, EAN, quantity, more GTINs, name."""

    code: str
    ean: str | None = None
    quantity: int = 1
    gtins: Sequence[str] = field(default_factory=tuple)
    name: str | None = None
    delivered: int = 0
    canceled: int = 0


def make_line(line_id: str, spec: L, *, shipment_copy: bool) -> OrderLine:
    """An order line (order-level totals or a shipment's copy)."""
    return OrderLine(
        line_item_id=line_id,
        code=spec.code,
        ean=spec.ean,
        gtins=list(spec.gtins) or None,
        display_name=spec.name or f"Item {spec.code}",
        quantity=Decimal(spec.quantity),
        delivered_quantity=Decimal(spec.delivered),
        canceled_quantity=Decimal(spec.canceled),
        placed_price=Decimal("10.0"),
    )


def make_order(
    *specs: L,
    order_id: str = "ORD-1",
    warehouse: str = WAREHOUSE,
    status: str = "InProgress",
    other: Sequence[L] = (),
    other_warehouse: str = "WH-BERGEN",
    read_only: bool = False,
) -> OmniumOrder:
    """An order whose shipment "1" at `warehouse` holds `specs`; `other` lines sit in shipment
    "2" at `other_warehouse`."""
    lines = [make_line(str(i), s, shipment_copy=True) for i, s in enumerate(specs, start=1)]
    shipments = [
        Shipment(
            shipment_id="1",
            status="Released",
            order_status=status,
            warehouse_code=warehouse,
            shipping_method_name="Bring",
            line_items=lines,
        )
    ]
    other_lines = [make_line(f"9{i}", s, shipment_copy=True) for i, s in enumerate(other, start=1)]
    if other_lines:
        shipments.append(
            Shipment(
                shipment_id="2",
                status="Released",
                order_status=status,
                warehouse_code=other_warehouse,
                line_items=other_lines,
            )
        )
    return OmniumOrder(
        id=order_id,
        status=status,
        order_type="Online",
        is_read_only=read_only,
        order_form=OrderForm(
            line_items=[line.model_copy() for line in lines + other_lines],
            shipments=shipments,
        ),
    )


def rules(**overrides: object) -> PackingRules:
    """The default rules of a station at WH-OSLO."""
    return PackingRules(warehouse=WAREHOUSE, **overrides)  # type: ignore[arg-type]


def session_for(*specs: L, **order_kwargs: object) -> PackingSession:
    """A fresh session on an order made of `specs`."""
    return PackingSession(make_order(*specs, **order_kwargs), rules())  # type: ignore[arg-type]


class Counter:
    """A deterministic SSCC / id allocator for plans."""

    def __init__(self, prefix: str = "3701234500000000") -> None:
        self.prefix = prefix
        self.n = 0

    def __call__(self) -> str:
        self.n += 1
        return f"{self.prefix}{self.n:02d}"
