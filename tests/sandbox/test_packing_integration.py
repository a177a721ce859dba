"""The packing planner against the in-process sandbox: what the session showed is what lands.

Uses the shared `omnium_client` fixture (tests/conftest.py): demo data, no step latency.
"""

from __future__ import annotations

from decimal import Decimal

from packstation.omnium.client import OmniumClient
from packstation.omnium.contract import check_request
from packstation.omnium.models import OmniumOrder, Shipment
from packstation.packing.decisions import Decision, SplitTarget
from packstation.packing.plan import (
    SubmissionPlan,
    goods_description,
    patch_landed,
    plan_submission,
)
from packstation.packing.readiness import is_pickup, weight_required
from packstation.packing.rules import PackingRules
from packstation.packing.session import PackingSession

RULES = PackingRules(warehouse="WH-OSLO")
ORDER_LINES_UPDATE = "/api/Orders/{orderId}/OrderLinesUpdate"


class Sscc:
    """Distinct 18-digit package ids for one test."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self) -> str:
        self.n += 1
        return f"37012345{self.n:010d}"


async def send(client: OmniumClient, plan: SubmissionPlan) -> None:
    for patch in plan.requests:
        result = await client.order_lines_update(plan.order_id, patch)
        assert not result.is_aborted, result.failing_step


def held(shipment: Shipment) -> dict[str, tuple[Decimal, Decimal, Decimal]]:
    """line id -> (quantity, delivered, cancelled) in a shipment."""
    return {
        c.line_item_id: (c.quantity, c.delivered_quantity, c.canceled_quantity)
        for c in shipment.line_items
    }


def packages_of(shipment: Shipment) -> dict[str, tuple[list[str], str | None]]:
    """package id -> (the line ids it references, its goods description)."""
    return {
        str(p.id): (
            sorted(r.line_item_id for r in p.line_item_references or []),
            p.goods_description,
        )
        for p in shipment.packages
    }


def expected_packages(
    session: PackingSession, plan: SubmissionPlan
) -> dict[str, tuple[list[str], str | None]]:
    """What the session packed: each package's lines, and its units in the description."""
    return {
        str(package.id): (sorted(lid for lid, _ in view.contents), goods_description(session, view))
        for package, view in zip(plan.packages, session.packages(), strict=True)
    }


def shipment(order: OmniumOrder, shipment_id: str) -> Shipment:
    found = order.shipment(shipment_id)
    assert found is not None, (shipment_id, [s.shipment_id for s in order.order_form.shipments])
    return found


async def test_everything_packed_completes_the_existing_shipment(
    omnium_client: OmniumClient,
) -> None:
    order = await omnium_client.get_order("ORD-1003")
    session = PackingSession(order, RULES)
    session.handle_scan("USER-anna")
    for n, lv in enumerate(session.lines()):
        if n == 2:
            assert session.handle_scan("BOX-M").ok
            assert session.handle_scan("3303001200").ok
            assert session.handle_scan("CMD-NEW-PACKAGE").ok
        for _ in range(int(lv.packable)):
            outcome = session.handle_scan(lv.ean or lv.code or "")
            assert outcome.ok, outcome.message
    session.set_dimensions(30, 20, 10)
    session.set_weight(Decimal("0.8"))
    plan = plan_submission(session, sscc=Sscc())
    assert plan.delivery_shipment_id == "1" and len(plan.requests) == 1
    await send(omnium_client, plan)

    after = await omnium_client.get_order("ORD-1003")
    target = shipment(after, "1")
    assert {lid: d for lid, (_, d, _) in held(target).items()} == {
        lv.line_item_id: lv.packed for lv in session.lines()
    }
    assert packages_of(target) == expected_packages(session, plan)
    by_id = {p.id: p for p in target.packages}
    first = by_id[plan.packages[0].id]
    assert (first.weight_in_kg, first.volume, first.barcode) == (1.2, 24.0, plan.packages[0].id)
    assert first.dimensions is not None and first.dimensions.length_in_cm == 40
    assert target.order_status == "PackedAndReady" and after.status == "PackedAndReady"


async def test_kept_cancelled_and_split_rests_land_where_the_session_said(
    omnium_client: OmniumClient,
) -> None:
    order = await omnium_client.get_order("ORD-1008")
    session = PackingSession(order, RULES)
    session.set_packer("anna")
    lines = {lv.line_item_id: lv for lv in session.lines()}
    for lid in ("1", "2", "3"):
        assert session.pack(lid, lines[lid].packable).ok
    session.set_weight(Decimal(2))
    session.new_package()
    assert session.pack("4", Decimal(1)).ok  # 1 of 2: the rest is kept for later
    assert session.pack("7", Decimal(1)).ok  # 1 of 4: the rest is cancelled
    assert session.pack("10", Decimal(2)).ok  # 2 of 3: the rest goes to Bergen
    session.set_weight(Decimal(3))
    session.set_decision("7", Decision.CANCEL)
    session.set_decision("10", Decision.SPLIT, SplitTarget("WH-BERGEN"))
    session.set_decision("11", Decision.SPLIT, SplitTarget("WH-BERGEN"))  # nothing packed
    session.set_decision("12", Decision.CANCEL)  # nothing packed

    plan = plan_submission(session, sscc=Sscc())
    assert plan.new_shipment_ids == ("2", "3")
    await send(omnium_client, plan)
    after = await omnium_client.get_order("ORD-1008")

    delivery = shipment(after, plan.delivery_shipment_id)
    views = {lv.line_item_id: lv for lv in session.lines()}
    packed = {lid: lv.packed for lid, lv in views.items() if lv.packed > 0}
    assert {lid: d for lid, (_, d, _) in held(delivery).items() if d > 0} == packed
    assert {lid: c for lid, (_, _, c) in held(delivery).items() if c > 0} == {
        "7": Decimal(3),
        "12": Decimal(2),
    }
    assert packages_of(delivery) == expected_packages(session, plan)
    assert delivery.order_status == "PackedAndReady"

    [(_, split_id)] = plan.split_shipments
    split = shipment(after, split_id)
    assert split.warehouse_code == "WH-BERGEN"
    assert held(split) == {"10": (Decimal(1), 0, 0), "11": (Decimal(2), 0, 0)}

    source = shipment(after, "1")
    kept = {
        lid: lv.remaining
        for lid, lv in views.items()
        if lv.remaining > 0 and lv.decision is Decision.KEEP
    }
    assert {lid: q for lid, (q, _, _) in held(source).items()} == kept
    assert source.order_status == "InProgress"
    assert after.status == "InProgress"  # nothing shipped yet: not PartiallyShipped
    for lid, lv in views.items():
        line = after.line(lid)
        assert line is not None
        assert line.delivered_quantity == lv.packed

    # Every request is recognised as landed, and sending any of them again changes nothing.
    assert all(patch_landed(after, patch) for patch in plan.requests)
    shapes = {s.shipment_id: (held(s), packages_of(s)) for s in after.order_form.shipments}
    await send(omnium_client, plan)
    again = await omnium_client.get_order("ORD-1008")
    assert {s.shipment_id: (held(s), packages_of(s)) for s in again.order_form.shipments} == shapes


async def test_more_than_250_packages_land_in_chunks(omnium_client: OmniumClient) -> None:
    order = await omnium_client.get_order("ORD-1009")
    session = PackingSession(order, RULES)
    session.set_packer("anna")
    first = True
    for lv in session.lines():
        # Line 3 (6 units) gets one package per unit; every other line one package.
        portions = [Decimal(1)] * int(lv.packable) if lv.line_item_id == "3" else [lv.packable]
        for units in portions:
            if not first:
                assert session.new_package().ok
            first = False
            assert session.pack(lv.line_item_id, units).ok
            assert session.set_weight(Decimal("0.5")).ok
    assert len(session.packages()) == 255
    plan = plan_submission(session, sscc=Sscc())
    assert [len(p.shipment_info.packages or []) for p in plan.requests if p.shipment_info] == [
        250,
        5,
    ]
    assert [p.status for p in plan.requests] == ["InProgress", "PackedAndReady"]
    await send(omnium_client, plan)
    after = await omnium_client.get_order("ORD-1009")
    target = shipment(after, "1")
    assert {lid: d for lid, (_, d, _) in held(target).items()} == {
        lv.line_item_id: lv.packed for lv in session.lines()
    }
    assert packages_of(target) == expected_packages(session, plan)
    assert after.status == "PackedAndReady"


async def test_click_and_collect_waits_ready_for_pickup_without_a_weight(
    omnium_client: OmniumClient,
) -> None:
    order = await omnium_client.get_order("ORD-1012")
    assert order.order_type == "ClickAndCollect"
    session = PackingSession(order, RULES)
    session.handle_scan("USER-anna")
    assert is_pickup(session) and not weight_required(session)
    for lv in session.lines():
        for _ in range(int(lv.packable)):
            assert session.handle_scan(lv.ean or lv.code or "").ok
    plan = plan_submission(session, sscc=Sscc())  # no weight, no box: nothing refused
    assert len(plan.requests) == 1
    assert plan.requests[0].status == "ReadyForPickup"
    for patch in plan.requests:
        body = patch.to_json_dict()
        assert check_request("POST", ORDER_LINES_UPDATE, body) == []
        # Never weighed: the weight is left out (optional in the contract), not sent as 0 kg.
        assert all("weightInKg" not in p for p in body["shipmentInfo"]["packages"])
    await send(omnium_client, plan)

    after = await omnium_client.get_order("ORD-1012")
    target = shipment(after, plan.delivery_shipment_id)
    assert target.order_status == "ReadyForPickup" and after.status == "ReadyForPickup"
    ready = {c.line_item_id: c.ready_for_pickup_quantity for c in target.line_items}
    assert ready == {lv.line_item_id: lv.packed for lv in session.lines()}
    # Not delivered and not charged before the customer collects it.
    assert all(c.delivered_quantity == 0 for c in target.line_items)
