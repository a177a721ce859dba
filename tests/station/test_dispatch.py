"""Dispatch at the dock against the in-process sandbox: a package's SSCC moves its shipment to
Ship (capturing the payment), exactly once, however the answer is lost or the package scanned."""

from __future__ import annotations

from decimal import Decimal
from itertools import count

from station_sandbox import FAST, Fault, Rig

from packstation.config import Settings
from packstation.labels.sscc import make_sscc
from packstation.omnium.models import LineItemReference, OmniumOrder, ShipmentPackage
from packstation.omnium.workflow import (
    LineItemUpdate,
    UpdateLineItemStatusPatch,
    UpdateShipmentInfo,
)
from packstation.station import dispatches
from packstation.station.dispatch import ABORTED, ALREADY, REFUSED, SENT, Dispatcher

_serials = count(1)


def new_sscc() -> str:
    return make_sscc(3, "7099999", f"{next(_serials):09d}")


async def packed(rig: Rig, order_id: str, *ssccs: str) -> OmniumOrder:
    """Deliver every open unit of shipment 1 in these packages, to PackedAndReady."""
    order = await rig.client.get_order(order_id)
    shipment = order.order_form.shipments[0]
    lines = [line for line in shipment.line_items if line.quantity > line.canceled_quantity]
    patch = UpdateLineItemStatusPatch(
        status="PackedAndReady",
        line_item_updates=[
            LineItemUpdate(
                line_item_id=line.line_item_id,
                delivered_quantity=line.quantity - line.canceled_quantity,
            )
            for line in lines
        ],
        shipment_info=UpdateShipmentInfo(
            shipment_id=shipment.shipment_id,
            packages=[
                ShipmentPackage(
                    id=sscc,
                    barcode=sscc,
                    weight_in_kg=1.0,
                    line_item_references=[
                        LineItemReference(line_item_id=line.line_item_id) for line in lines
                    ],
                )
                for sscc in ssccs
            ],
        ),
    )
    result = await rig.client.order_lines_update(order_id, patch)
    assert not result.is_aborted, result.failing_step
    assert result.order is not None
    return result.order


def dispatcher(rig: Rig) -> Dispatcher:
    return Dispatcher(rig.store, rig.client, Settings(), policy=FAST, sleep=rig.recorder.sleep)


def captures(order: OmniumOrder) -> list[Decimal]:
    return [p.amount for p in order.order_form.payments if p.transaction_type == "Capture"]


async def test_a_scanned_package_ships_its_shipment_and_captures_the_payment(rig: Rig) -> None:
    sscc = new_sscc()
    await packed(rig, "ORD-1001", sscc)
    writes = rig.faults.applied_writes
    outcome = await dispatcher(rig).scan(f"]C100{sscc}", user_id="dock-1")
    assert outcome.kind == SENT, outcome.message
    assert outcome.message == "Shipment 1 of order ORD-1001 → Ship"
    assert outcome.result is not None
    assert "CapturePayments" in [
        s.action_type for s in outcome.result.order_action_execution_results
    ]
    order = await rig.client.get_order("ORD-1001")
    assert order.order_form.shipments[0].order_status == "Ship" or order.status == "Ship"
    assert len(captures(order)) == 1
    assert rig.faults.applied_writes == writes + 1
    [stored] = rig.store.results.list("ORD-1001")[-1:]
    assert stored.kind == "dispatch" and stored.user_id == "dock-1"


async def test_a_package_scanned_twice_says_so_and_sends_nothing(rig: Rig) -> None:
    first, second = new_sscc(), new_sscc()
    await packed(rig, "ORD-1002", first, second)
    dock = dispatcher(rig)
    assert (await dock.scan(first)).kind == SENT
    writes = rig.faults.applied_writes
    again = await dock.scan(first)
    assert again.kind == ALREADY
    assert again.message.startswith(f"Package {first} was already dispatched at ")
    assert again.message.endswith("nothing sent")
    other = await dock.scan(second)  # the same shipment's other package
    assert other.kind == ALREADY
    assert f"already dispatched with package {first}" in other.message
    assert rig.faults.applied_writes == writes


async def test_a_lost_answer_is_checked_before_anything_is_sent_again(rig: Rig) -> None:
    sscc = new_sscc()
    await packed(rig, "ORD-1003", sscc)
    writes = rig.faults.applied_writes
    rig.faults.add(Fault("/UpdateStatus", "drop_after"))
    outcome = await dispatcher(rig).scan(sscc)
    assert outcome.kind == SENT, outcome.message
    assert outcome.message.endswith("(confirmed by re-reading the order)")
    assert rig.faults.applied_writes == writes + 1  # applied once, never resent
    order = await rig.client.get_order("ORD-1003")
    assert len(captures(order)) == 1
    assert dispatches.dispatch_of(rig.store, sscc).state == dispatches.DONE  # type: ignore[union-attr]


async def test_after_a_crash_mid_dispatch_the_next_scan_reads_omnium_first(rig: Rig) -> None:
    sscc = new_sscc()
    await packed(rig, "ORD-1004", sscc)
    assert (await dispatcher(rig).scan(sscc)).kind == SENT
    # As if the station died after sending, before recording the answer.
    dispatches.begin(rig.store, sscc, "ORD-1004", "1", "Ship")
    writes = rig.faults.applied_writes
    outcome = await dispatcher(rig).scan(sscc)
    assert outcome.kind == ALREADY
    assert outcome.message == "Shipment 1 of order ORD-1004 is already Ship in Omnium; nothing sent"
    assert rig.faults.applied_writes == writes


async def test_an_aborted_ship_workflow_is_a_desk_case(rig: Rig) -> None:
    sscc = new_sscc()
    await packed(rig, "ORD-1018", sscc)  # tag fail:CapturePayments
    outcome = await dispatcher(rig).scan(sscc)
    assert outcome.kind == ABORTED
    assert "CapturePayments" in outcome.message and "supervisor case" in outcome.message
    assert [r.order_id for r in rig.store.results.latest_aborted()] == ["ORD-1018"]


async def test_scans_that_are_not_a_packed_package_are_refused(rig: Rig) -> None:
    dock = dispatcher(rig)
    assert (await dock.scan("ORD-1001")).kind == REFUSED
    unknown = await dock.scan(new_sscc())
    assert unknown.kind == REFUSED and "unknown" in unknown.message
    valid = new_sscc()
    bad_digit = valid[:-1] + str((int(valid[-1]) + 1) % 10)
    assert (await dock.scan(bad_digit)).kind == REFUSED
