"""Outbox rules (audit, request kinds) and reconciliation per request kind."""

from __future__ import annotations

from decimal import Decimal

import pytest
from station_helpers import delivery_patch, small_order, split_patch

from packstation.omnium.models import OmniumOrder, OrderLine, Shipment, ShipmentPackage
from packstation.station.outbox import classify
from packstation.station.reconcile import missing, request_landed
from packstation.station.store import StationStore


def test_enqueue_stores_requests_in_order_in_one_go(store: StationStore) -> None:
    patches = [split_patch(), delivery_patch(shipment_id="3")]
    submit_id = store.outbox.enqueue("ORD-1", patches, packer="P7", source_shipment_id="1")
    record = store.outbox.get(submit_id)
    assert [r.seq for r in record.requests] == [1, 2]
    assert [r.kind for r in record.requests] == ["split", "new_shipment"]
    assert [r.target_shipment_id for r in record.requests] == ["2", "3"]
    assert [r.patch for r in record.requests] == patches
    assert record.package_ids == ["370123450100000012"]
    assert record.state == "pending" and store.outbox.pending_count() == 1


@pytest.mark.parametrize(
    ("patches", "packer", "words"),
    [
        ([], "P7", "at least one"),
        ([delivery_patch(packer="P7")], "", "badge"),
        ([delivery_patch(packer="P8")], "P7", "userId"),
        ([split_patch(), delivery_patch(packer="X")], "P7", "request 2"),
        ([split_patch(shipment_id="1")], "P7", "new shipment id"),
    ],
)
def test_enqueue_refuses_bad_submits_and_stores_nothing(
    store: StationStore, patches: list, packer: str, words: str
) -> None:
    with pytest.raises(ValueError, match=words):
        store.outbox.enqueue("ORD-1", patches, packer=packer, source_shipment_id="1")
    assert store.outbox.list() == []


def test_request_without_target_shipment_is_refused() -> None:
    patch = delivery_patch()
    patch.shipment_info.shipment_id = None  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="target shipment"):
        classify(patch, "1")


def test_delivered_and_split_on_one_line_are_refused() -> None:
    patch = split_patch()
    patch.line_item_updates[0].delivered_quantity = Decimal(1)
    with pytest.raises(ValueError, match="deliveredQuantity and splitQuantity"):
        classify(patch, "1")


def _order_with(*shipments: Shipment) -> OmniumOrder:
    order = small_order()
    order.order_form.shipments = list(shipments)
    return order


def _line(line_id: str, qty: int, delivered: int = 0, cancelled: int = 0) -> OrderLine:
    return OrderLine(
        line_item_id=line_id,
        quantity=Decimal(qty),
        delivered_quantity=Decimal(delivered),
        canceled_quantity=Decimal(cancelled),
    )


SSCC = "370123450100000012"


def test_delivery_to_existing_shipment_landed_only_with_packages_and_quantities() -> None:
    patch = delivery_patch()  # lines 1 x3 and 2 x2 delivered in shipment 1, one package
    untouched = _order_with(Shipment(shipment_id="1", line_items=[_line("1", 3), _line("2", 2)]))
    assert not request_landed(untouched, patch)
    landed = _order_with(
        Shipment(
            shipment_id="1",
            line_items=[_line("1", 3, 3), _line("2", 2, 2)],
            packages=[ShipmentPackage(id=SSCC)],
        )
    )
    assert request_landed(landed, patch)
    no_package = landed.model_copy(deep=True)
    no_package.order_form.shipments[0].packages = []
    assert missing(no_package, patch) == [f"package {SSCC} is not in shipment 1"]
    short = landed.model_copy(deep=True)
    short.order_form.shipments[0].line_items[1].delivered_quantity = Decimal(1)
    assert missing(short, patch) == ["line 2 in shipment 1: delivered 1, expected 2"]


def test_new_partial_shipment_landed_when_our_shipment_holds_it() -> None:
    patch = delivery_patch(shipment_id="3", delivered=(("1", 2),))
    before = _order_with(Shipment(shipment_id="1", line_items=[_line("1", 3), _line("2", 2)]))
    assert missing(before, patch) == ["shipment 3 does not exist"]
    after = _order_with(
        Shipment(shipment_id="1", line_items=[_line("1", 1), _line("2", 2)]),
        Shipment(
            shipment_id="3", line_items=[_line("1", 2, 2)], packages=[ShipmentPackage(id=SSCC)]
        ),
    )
    assert request_landed(after, patch)


def test_split_landed_when_our_shipment_holds_the_split_units() -> None:
    patch = split_patch(shipment_id="2", split=(("2", 1),))
    before = _order_with(Shipment(shipment_id="1", line_items=[_line("1", 3), _line("2", 2)]))
    assert not request_landed(before, patch)
    other_split = _order_with(
        Shipment(shipment_id="1", line_items=[_line("1", 3), _line("2", 1)]),
        Shipment(shipment_id="9", line_items=[_line("2", 1)]),  # someone else's split
    )
    assert not request_landed(other_split, patch)
    after = _order_with(
        Shipment(shipment_id="1", line_items=[_line("1", 3), _line("2", 1)]),
        Shipment(shipment_id="2", line_items=[_line("2", 1)]),
    )
    assert request_landed(after, patch)


def test_cancelled_quantities_are_checked_too() -> None:
    patch = delivery_patch(delivered=(("1", 3),))
    patch.line_item_updates[0].canceled_quantity = Decimal(0)
    patch.line_item_updates.append(
        type(patch.line_item_updates[0])(line_item_id="2", canceled_quantity=Decimal(2))
    )
    order = _order_with(
        Shipment(
            shipment_id="1",
            line_items=[_line("1", 3, 3), _line("2", 2, 0, 0)],
            packages=[ShipmentPackage(id=SSCC)],
        )
    )
    assert missing(order, patch) == ["line 2 in shipment 1: cancelled 0, expected 2"]
    order.order_form.shipments[0].line_items[1].canceled_quantity = Decimal(2)
    assert request_landed(order, patch)
