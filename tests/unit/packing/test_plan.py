"""The submission planner: each request shape of the reference, chunking, ids, reconciliation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from packing_factories import Counter, L, make_order, rules, session_for

from packstation.omnium.models import ShipmentPackage
from packstation.omnium.wire import MAX_ENTRIES
from packstation.omnium.workflow import UpdateLineItemStatusPatch
from packstation.packing.decisions import Decision, SplitTarget
from packstation.packing.errors import PlanError
from packstation.packing.plan import (
    build_requests,
    patch_landed,
    plan_submission,
    propose_shipment_id,
    propose_shipment_ids,
)
from packstation.packing.session import PackingSession


def weigh_all(s: PackingSession, packer: str = "anna") -> PackingSession:
    s.set_packer(packer)
    for view in s.packages():
        if view.weight_kg is None:
            assert s.set_weight(Decimal("1.5"), package_no=view.package_no).ok
    return s


def body(patch: UpdateLineItemStatusPatch) -> dict[str, Any]:
    return patch.to_json_dict()


def updates(patch: UpdateLineItemStatusPatch) -> dict[str, dict[str, Any]]:
    return {u["lineItemId"]: u for u in body(patch)["lineItemUpdates"]}


def assert_never_delivered_and_split(requests: list[UpdateLineItemStatusPatch]) -> None:
    for patch in requests:
        for u in patch.line_item_updates:
            assert u.delivered_quantity is None or u.split_quantity is None


def test_everything_packed_delivers_the_existing_shipment() -> None:
    s = session_for(L("MUG", None, 2, name="Blue mug"), L("PLATE", None, 1, name="Plate"))
    s.pack("1", Decimal(2))
    s.choose_box("M")
    s.new_package()
    s.pack("2")
    s.set_dimensions(10, 20, 30)
    weigh_all(s)
    sscc = Counter()
    plan = plan_submission(s, sscc=sscc)
    assert sscc.n == 2
    assert plan.delivery_shipment_id == "1" and plan.new_shipment_ids == ()
    [patch] = plan.requests
    assert body(patch) == {
        "status": "PackedAndReady",
        "lineItemUpdates": [
            {"lineItemId": "1", "deliveredQuantity": 2.0},
            {"lineItemId": "2", "deliveredQuantity": 1.0},
        ],
        "shipmentInfo": {
            "shipmentId": "1",
            "packages": [
                {
                    "id": "370123450000000001",
                    "barcode": "370123450000000001",
                    "weightInKg": 1.5,
                    "volume": 24.0,
                    "dimensions": {"lengthInCm": 40, "widthInCm": 30, "heightInCm": 20},
                    "goodsDescription": "2 × MUG",
                    "lineItemReferences": [{"lineItemId": "1"}],
                },
                {
                    "id": "370123450000000002",
                    "barcode": "370123450000000002",
                    "weightInKg": 1.5,
                    "volume": 6.0,
                    "dimensions": {"lengthInCm": 10, "widthInCm": 20, "heightInCm": 30},
                    "goodsDescription": "1 × PLATE",
                    "lineItemReferences": [{"lineItemId": "2"}],
                },
            ],
        },
        "userId": "anna",
    }
    assert build_requests(s, sscc=Counter()) == list(plan.requests)


def test_package_without_dimensions_leaves_them_out() -> None:
    s = session_for(L("A", None, 1))
    s.pack("1")
    weigh_all(s)
    [package] = plan_submission(s, sscc=Counter()).packages
    assert "dimensions" not in package.to_json_dict() and "volume" not in package.to_json_dict()


def test_something_kept_for_later_goes_to_a_new_partial_shipment() -> None:
    s = session_for(L("A", None, 4), L("B", None, 2), other=[L("Z", None, 1)])
    s.pack("1", Decimal(3))
    weigh_all(s)
    plan = plan_submission(s, sscc=Counter())
    assert plan.new_shipment_ids == ("3",)  # 1 and 2 exist
    assert plan.delivery_shipment_id == "3" and plan.source_shipment_id == "1"
    [patch] = plan.requests
    assert body(patch)["shipmentInfo"]["shipmentId"] == "3"
    assert updates(patch) == {"1": {"lineItemId": "1", "deliveredQuantity": 3.0}}
    assert patch.status == "PackedAndReady"


def test_deliver_and_cancel_in_the_same_request() -> None:
    s = session_for(L("A", None, 4), L("B", None, 5), L("C", None, 6))
    s.pack("1", Decimal(4))
    s.pack("2", Decimal(2))
    s.set_decision("2", Decision.CANCEL)
    s.set_decision("3", Decision.CANCEL)
    weigh_all(s)
    [patch] = build_requests(s, sscc=Counter())
    assert body(patch)["shipmentInfo"]["shipmentId"] == "1"  # nothing stays behind
    assert updates(patch) == {
        "1": {"lineItemId": "1", "deliveredQuantity": 4.0},
        "2": {"lineItemId": "2", "deliveredQuantity": 2.0, "canceledQuantity": 3.0},
        "3": {"lineItemId": "3", "canceledQuantity": 6.0},
    }


def test_cancel_with_something_kept_cancels_in_the_new_shipment() -> None:
    s = session_for(L("A", None, 4), L("B", None, 5))
    s.pack("1", Decimal(1))
    s.set_decision("1", Decision.CANCEL)
    weigh_all(s)
    [patch] = build_requests(s, sscc=Counter())
    assert body(patch)["shipmentInfo"]["shipmentId"] == "2"
    assert updates(patch) == {
        "1": {"lineItemId": "1", "deliveredQuantity": 1.0, "canceledQuantity": 3.0}
    }


def test_split_goes_in_its_own_request_before_the_delivery() -> None:
    s = session_for(L("A", None, 4), L("B", None, 2), L("C", None, 3))
    s.pack("1", Decimal(4))
    s.pack("2", Decimal(1))
    s.set_decision("2", Decision.SPLIT, SplitTarget("WH-BERGEN", None))
    s.set_decision("3", Decision.SPLIT, SplitTarget("WH-BERGEN", None))
    weigh_all(s)
    plan = plan_submission(s, sscc=Counter())
    split, delivery = plan.requests
    assert body(split) == {
        "status": "InProgress",
        "lineItemUpdates": [
            {"lineItemId": "2", "splitQuantity": 1.0},
            {"lineItemId": "3", "splitQuantity": 3.0},
        ],
        "shipmentInfo": {"shipmentId": "2", "warehouseCode": "WH-BERGEN"},
        "isShippingCostKeptForExistingShipment": True,
        "userId": "anna",
    }
    # The split rest leaves the shipment, so nothing stays behind: deliver the existing one.
    assert body(delivery)["shipmentInfo"]["shipmentId"] == "1"
    assert updates(delivery) == {
        "1": {"lineItemId": "1", "deliveredQuantity": 4.0},
        "2": {"lineItemId": "2", "deliveredQuantity": 1.0},
    }
    assert plan.split_shipments == ((SplitTarget("WH-BERGEN", None), "2"),)
    assert_never_delivered_and_split(list(plan.requests))


def test_one_split_request_per_target_with_ids_chosen_up_front() -> None:
    s = session_for(L("A", None, 2), L("B", None, 2), L("C", None, 2), L("D", None, 2))
    s.pack("1", Decimal(1))
    s.set_decision("2", Decision.SPLIT, SplitTarget(None, "SP-9"))
    s.set_decision("3", Decision.SPLIT)
    weigh_all(s)
    ids = iter(["N-1", "N-2", "N-3"])
    plan = plan_submission(s, sscc=Counter(), shipment_ids=lambda: next(ids))
    # Line 1 and 4 keep units for later: the delivery goes to a new shipment, allocated first.
    assert plan.new_shipment_ids == ("N-1", "N-2", "N-3")
    first, second, delivery = plan.requests
    assert body(first)["shipmentInfo"] == {"shipmentId": "N-2", "servicePointId": "SP-9"}
    assert updates(first) == {"2": {"lineItemId": "2", "splitQuantity": 2.0}}
    assert body(second)["shipmentInfo"] == {"shipmentId": "N-3"}
    assert updates(second) == {"3": {"lineItemId": "3", "splitQuantity": 2.0}}
    assert body(delivery)["shipmentInfo"]["shipmentId"] == "N-1"
    assert updates(delivery) == {"1": {"lineItemId": "1", "deliveredQuantity": 1.0}}


def test_shipment_ids_that_exist_or_repeat_are_refused() -> None:
    s = session_for(L("A", None, 2), L("B", None, 2))
    s.pack("1")
    s.set_decision("2", Decision.SPLIT)
    weigh_all(s)
    with pytest.raises(PlanError):
        plan_submission(s, sscc=Counter(), shipment_ids=lambda: "1")
    with pytest.raises(PlanError):
        plan_submission(s, sscc=Counter(), shipment_ids=lambda: "7")


def test_statuses_come_from_the_rules() -> None:
    order = make_order(L("A", None, 2), L("B", None, 2))
    s = PackingSession(order, rules(completion_status="PackedAndReady", interim_status="Split"))
    s.pack("1", Decimal(2))
    s.set_decision("2", Decision.SPLIT)
    weigh_all(s)
    split, delivery = build_requests(s, sscc=Counter())
    assert (split.status, delivery.status) == ("Split", "PackedAndReady")


def test_quantities_are_absolute_for_the_existing_shipment() -> None:
    s = session_for(L("A", None, 6, delivered=2, canceled=1))
    s.pack("1", Decimal(2))
    s.set_decision("1", Decision.CANCEL)
    weigh_all(s)
    [patch] = build_requests(s, sscc=Counter())
    assert updates(patch) == {
        "1": {"lineItemId": "1", "deliveredQuantity": 4.0, "canceledQuantity": 2.0}
    }


def test_not_ready_sessions_cannot_be_planned() -> None:
    s = session_for(L("A", None, 2))
    sscc = Counter()
    with pytest.raises(PlanError, match="Nothing is packed"):
        plan_submission(s, sscc=sscc)
    assert sscc.n == 0  # no SSCC is wasted on a refused plan


def test_propose_shipment_ids_skips_used_ones() -> None:
    order = make_order(L("A"), other=[L("B")])
    order.order_form.shipments[1].shipment_id = "3"
    assert propose_shipment_ids(order, 3) == ["4", "5", "6"]
    assert propose_shipment_id(order) == "4"
    order.order_form.shipments[0].shipment_id = "abc"
    assert propose_shipment_ids(order, 2) == ["4", "5"]


def _check_chunks(plan_requests: tuple[UpdateLineItemStatusPatch, ...], s: PackingSession) -> None:
    """Every request valid alone; together they state the session exactly."""
    delivered: dict[str, Decimal] = {}
    seen_packages: list[ShipmentPackage] = []
    for patch in plan_requests:
        assert 1 <= len(patch.line_item_updates) <= MAX_ENTRIES
        packages = patch.shipment_info.packages or [] if patch.shipment_info else []
        assert len(packages) <= MAX_ENTRIES
        stated = {u.line_item_id: u for u in patch.line_item_updates}
        assert len(stated) == len(patch.line_item_updates)
        for package in packages:
            for ref in package.line_item_references or []:
                assert ref.line_item_id in stated  # the chunk holds every line its packages use
        for lid, u in stated.items():
            if u.delivered_quantity is not None:
                # a line restated in another chunk carries the same absolute number
                assert delivered.setdefault(lid, u.delivered_quantity) == u.delivered_quantity
        seen_packages.extend(packages)
    assert [p.status for p in plan_requests][-1] == "PackedAndReady"
    assert all(p.status == "InProgress" for p in plan_requests[:-1])
    assert delivered == {lv.line_item_id: lv.packed for lv in s.lines() if lv.packed > 0}
    assert len(seen_packages) == len(s.packages())
    assert len({p.id for p in seen_packages}) == len(seen_packages)


def test_more_than_250_lines_are_chunked() -> None:
    s = session_for(*[L(f"S{i}", None, 1) for i in range(300)])
    for i in range(1, 301):
        if i == 151:
            s.new_package()
        assert s.pack(str(i)).ok
    weigh_all(s)
    plan = plan_submission(s, sscc=Counter())
    assert len(plan.requests) == 2
    assert [len(p.line_item_updates) for p in plan.requests] == [150, 150]
    _check_chunks(plan.requests, s)


def test_more_than_250_packages_are_chunked_restating_their_lines() -> None:
    s = session_for(L("A", None, 260), L("B", None, 1))
    for n in range(260):
        if n:
            s.new_package()
        s.pack("1")
        s.set_weight(Decimal(1))
    s.set_packer("anna")
    s.set_decision("2", Decision.CANCEL)
    plan = plan_submission(s, sscc=Counter())
    assert [len(p.shipment_info.packages or []) for p in plan.requests if p.shipment_info] == [
        250,
        10,
    ]
    _check_chunks(plan.requests, s)
    assert updates(plan.requests[1])["1"] == {"lineItemId": "1", "deliveredQuantity": 260.0}
    assert updates(plan.requests[1])["2"] == {"lineItemId": "2", "canceledQuantity": 1.0}


def test_many_cancelled_lines_spill_into_another_request() -> None:
    s = session_for(*[L(f"S{i}", None, 1) for i in range(300)])
    s.pack("1")
    for i in range(2, 301):
        s.set_decision(str(i), Decision.CANCEL)
    weigh_all(s)
    plan = plan_submission(s, sscc=Counter())
    assert [len(p.line_item_updates) for p in plan.requests] == [250, 50]
    assert plan.requests[0].shipment_info is not None
    assert plan.requests[0].shipment_info.packages is not None
    stated = [u.line_item_id for p in plan.requests for u in p.line_item_updates]
    assert sorted(stated, key=int) == [str(i) for i in range(1, 301)]


def test_a_package_with_more_than_250_lines_cannot_be_submitted() -> None:
    s = session_for(*[L(f"S{i}", None, 1) for i in range(251)])
    for i in range(1, 252):
        s.pack(str(i))
    weigh_all(s)
    assert "Package 1 holds more than 250 different lines" in s.check_submit()


def test_patch_landed_recognises_an_applied_request() -> None:
    s = session_for(L("A", None, 2), L("B", None, 2))
    s.pack("1", Decimal(2))
    s.set_decision("2", Decision.SPLIT)
    weigh_all(s)
    split, delivery = build_requests(s, sscc=Counter())
    order = s.order.model_copy(deep=True)
    assert not patch_landed(order, split) and not patch_landed(order, delivery)
    # What the server holds after both requests landed.
    source = order.order_form.shipments[0]
    moved = source.line_items[1].model_copy(update={"quantity": Decimal(2)})
    source.line_items = [source.line_items[0]]
    new = source.model_copy(update={"shipment_id": "2", "line_items": [moved], "packages": []})
    order.order_form.shipments.append(new)
    assert patch_landed(order, split) and not patch_landed(order, delivery)
    source.line_items[0].delivered_quantity = Decimal(2)
    assert not patch_landed(order, delivery)  # the package is not there yet
    assert delivery.shipment_info is not None and delivery.shipment_info.packages
    source.packages = list(delivery.shipment_info.packages)
    assert patch_landed(order, delivery)
    source.line_items[0].delivered_quantity = Decimal(1)
    assert not patch_landed(order, delivery)


def test_a_shipment_cancelled_whole_goes_to_the_cancel_status_only_where_configured() -> None:
    order = make_order(L("MUG", None, 2), L("PLATE", None, 1))
    refused = PackingSession(order, rules())
    refused.set_packer("anna")
    for line_id in ("1", "2"):
        refused.set_decision(line_id, Decision.CANCEL)
    assert "Nothing is packed" in refused.check_submit()

    s = PackingSession(order, rules(cancel_status="OrderCanceled"))
    s.set_packer("anna")
    s.set_decision("1", Decision.CANCEL)
    assert "Nothing is packed" in s.check_submit()  # the plate is still kept for later
    s.set_decision("2", Decision.CANCEL)
    assert s.check_submit() == [] and s.target_status == "OrderCanceled"
    plan = plan_submission(s, sscc=Counter())
    assert plan.packages == () and plan.delivery_shipment_id == "1"
    (request,) = plan.requests
    assert request.status == "OrderCanceled"
    assert updates(request) == {
        "1": {"lineItemId": "1", "canceledQuantity": 2.0},
        "2": {"lineItemId": "2", "canceledQuantity": 1.0},
    }


def test_packing_one_unit_keeps_the_packed_status_with_a_cancel_status_set() -> None:
    s = PackingSession(make_order(L("MUG", None, 2)), rules(cancel_status="OrderCanceled"))
    s.pack("1")
    s.set_decision("1", Decision.CANCEL)
    weigh_all(s)
    assert s.target_status == "PackedAndReady"
    assert plan_submission(s, sscc=Counter()).requests[-1].status == "PackedAndReady"
