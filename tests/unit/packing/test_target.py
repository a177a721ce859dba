"""Choosing the shipment to pack, and the orders that cannot be packed."""

from __future__ import annotations

import pytest
from packing_factories import WAREHOUSE, L, make_order, rules

from packstation.packing.errors import (
    NoOpenShipment,
    OrderCancelled,
    OrderCompleted,
    OrderNotPackable,
    OrderQueued,
    OrderReadOnly,
)
from packstation.packing.session import PackingSession
from packstation.packing.target import choose_shipment


def test_chooses_the_shipment_of_the_station_warehouse() -> None:
    order = make_order(
        L("A", quantity=1), other=[L("B", quantity=1)], warehouse="WH-X", other_warehouse=WAREHOUSE
    )
    assert choose_shipment(order, WAREHOUSE).shipment_id == "2"
    assert choose_shipment(order, "wh-x").shipment_id == "1"  # warehouse codes ignore case


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"status": "Queued"}, OrderQueued, "queued"),
        ({"read_only": True}, OrderReadOnly, "read-only"),
        ({"status": "Completed"}, OrderCompleted, "completed"),
        ({"status": "OrderCanceled"}, OrderCancelled, "cancelled"),
        ({"warehouse": "WH-BERGEN"}, NoOpenShipment, WAREHOUSE),
    ],
)
def test_orders_that_cannot_be_packed(
    kwargs: dict[str, object], error: type[OrderNotPackable], words: str
) -> None:
    order = make_order(L("A", quantity=2), **kwargs)  # type: ignore[arg-type]
    with pytest.raises(error) as caught:
        PackingSession(order, rules())
    assert isinstance(caught.value, OrderNotPackable)
    assert words in str(caught.value)
    assert caught.value.order_id == "ORD-1"


def test_closed_or_fully_done_shipments_are_not_open() -> None:
    done = make_order(L("A", quantity=2, delivered=1, canceled=1))
    with pytest.raises(NoOpenShipment):
        choose_shipment(done, WAREHOUSE)
    shipped = make_order(L("A", quantity=2))
    shipped.order_form.shipments[0].status = "Shipped"
    with pytest.raises(NoOpenShipment):
        choose_shipment(shipped, WAREHOUSE)
    completed = make_order(L("A", quantity=2))
    completed.order_form.shipments[0].order_status = "Completed"
    with pytest.raises(NoOpenShipment):
        choose_shipment(completed, WAREHOUSE)


def test_named_shipment_must_be_open_at_the_warehouse() -> None:
    order = make_order(L("A", quantity=1), other=[L("B", quantity=1)])
    assert choose_shipment(order, WAREHOUSE, "1").shipment_id == "1"
    with pytest.raises(NoOpenShipment, match="shipment 2"):
        choose_shipment(order, WAREHOUSE, "2")


def test_partly_delivered_shipment_packs_only_the_rest() -> None:
    session = PackingSession(make_order(L("A", quantity=5, delivered=2, canceled=1)), rules())
    view = session.line("1")
    assert (view.ordered, view.done_before, view.packable, view.remaining) == (5, 3, 2, 2)
