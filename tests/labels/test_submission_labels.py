"""Labels for what a packing session submits: SSCCs from the allocator, through the planner."""

from __future__ import annotations

import itertools
from decimal import Decimal

from labels_support import decode_png, order_with_packages

from packstation.labels.label import labels_for_submission
from packstation.labels.render import render_label
from packstation.labels.sscc import DEMO_COMPANY_PREFIX, SsccAllocator, is_valid_sscc
from packstation.omnium.models import OmniumOrder, Tracking
from packstation.packing.plan import plan_submission
from packstation.packing.rules import PackingRules
from packstation.packing.session import PackingSession


def packed_session(order: OmniumOrder) -> PackingSession:
    session = PackingSession(order, PackingRules(warehouse="WH-OSLO"))
    for scan in ("USER-7", "SKU-1", "SKU-1", "BOX-M"):
        assert session.handle_scan(scan).ok, scan
    assert session.set_weight(Decimal("2.4")).ok
    for scan in ("CMD-NEW-PACKAGE", "SKU-1", "BOX-S"):
        assert session.handle_scan(scan).ok, scan
    assert session.set_weight(Decimal("0.8")).ok
    return session


def test_planned_packages_get_scannable_labels() -> None:
    order = order_with_packages([])
    alloc = SsccAllocator(DEMO_COMPANY_PREFIX, "05", itertools.count(1).__next__)
    plan = plan_submission(packed_session(order), sscc=alloc)
    assert len(plan.packages) == 2
    labels = labels_for_submission(
        order,
        plan.source_shipment_id,
        plan.packages,
        delivery_shipment_id=plan.delivery_shipment_id,
        company_prefix=DEMO_COMPANY_PREFIX,
    )
    assert [(d.package_number, d.package_count) for d in labels] == [(1, 2), (2, 2)]
    assert [d.sscc for d in labels] == [p.id for p in plan.packages]
    assert all(is_valid_sscc(d.sscc) and d.sscc[8:10] == "05" for d in labels)
    assert labels[0].weight_text == "Weight 2.4 kg"
    assert labels[0].dimensions_text == "Dimensions 40 x 30 x 20 cm"
    assert labels[1].dimensions_text == "Dimensions 25 x 20 x 10 cm"
    assert labels[0].ship_to_name == "Kari Nordmann"
    assert labels[0].tracking_number is None
    for data in labels:
        (decoded,) = decode_png(render_label(data, "png", "4x6"))
        assert (decoded.raw, decoded.symbology) == ("00" + data.sscc, "]C1")


def test_tracking_numbers_from_the_booked_result_order_are_printed() -> None:
    order = order_with_packages([])
    alloc = SsccAllocator(DEMO_COMPANY_PREFIX, "05", itertools.count(1).__next__)
    plan = plan_submission(packed_session(order), sscc=alloc)
    # What a booking step returns: the delivery shipment holding our packages, now tracked.
    result = order.model_copy(deep=True)
    shipment = result.shipment(plan.delivery_shipment_id)
    assert shipment is not None
    shipment.packages = [
        p.model_copy(update={"shipment_tracking": Tracking(shipment_tracking_number=f"TRK-{i}")})
        for i, p in enumerate(plan.packages, start=1)
    ]
    labels = labels_for_submission(
        order,
        plan.source_shipment_id,
        plan.packages,
        delivery_shipment_id=plan.delivery_shipment_id,
        result_order=result,
    )
    assert [d.tracking_number for d in labels] == ["TRK-1", "TRK-2"]
    assert "Tracking TRK-2" in labels[1].text_lines()


def test_a_partial_delivery_to_a_new_shipment_keeps_the_ship_to() -> None:
    order = order_with_packages([])
    session = PackingSession(order, PackingRules(warehouse="WH-OSLO"))
    for scan in ("USER-7", "SKU-1", "BOX-S"):
        assert session.handle_scan(scan).ok, scan
    assert session.set_weight(Decimal("0.5")).ok
    alloc = SsccAllocator(DEMO_COMPANY_PREFIX, "05", itertools.count(1).__next__)
    plan = plan_submission(session, sscc=alloc, shipment_ids=iter(["S-2"]).__next__)
    assert plan.delivery_shipment_id == "S-2"
    (data,) = labels_for_submission(
        order, plan.source_shipment_id, plan.packages, delivery_shipment_id="S-2"
    )
    assert data.shipment_id == "S-2"
    assert (data.ship_to_name, data.ship_to_city) == ("Kari Nordmann", "Tromsø")
    assert data.shipping_method == "PostNord MyPack Home"
    assert data.package_text == "Package 1 of 1"
