"""Random packing outcomes (partial, cancel, split, several packages) with a random fault on a
random request: every request kind must reconcile or resend correctly (seeded, bounded)."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from station_sandbox import Fault, Rig, assert_exactly_once, enqueue, packed_session

from packstation.packing.decisions import Decision

FAULTS = ["drop_after", "503", "409", "refuse", "429"]


def _fault(kind: str) -> Fault:
    if kind == "drop_after":
        return Fault("OrderLinesUpdate", "drop_after")
    if kind == "refuse":
        return Fault("OrderLinesUpdate", "refuse")
    headers = {"Retry-After": "0"} if kind == "429" else {}
    return Fault("OrderLinesUpdate", "answer", status=int(kind), headers=headers)


SHAPES = ["all packed", "rest cancelled", "rest kept", "mixed with split"]


@pytest.mark.parametrize("seed", range(12))
async def test_random_submit_with_a_random_fault_lands_exactly_once(rig: Rig, seed: int) -> None:
    rng = random.Random(seed)
    shape = SHAPES[seed % len(SHAPES)]
    before = await rig.client.get_order("ORD-1008")  # 15 lines, quantities above 1
    shipment = before.order_form.shipments[0]
    units = [
        line.code or ""
        for line in shipment.line_items
        for _ in range(
            int(line.quantity) if shape == "all packed" else rng.randint(0, int(line.quantity))
        )
    ]
    if not units:
        units = [shipment.line_items[0].code or ""]
    rng.shuffle(units)
    scans: list[str] = []
    in_package = 0
    for code in units:
        if in_package and rng.random() < 0.15:
            scans.append("CMD-NEW-PACKAGE")
            in_package = 0
        scans.append(code)
        in_package += 1
    probe = packed_session(before, scans)
    choices = {
        "all packed": [Decision.KEEP],
        "rest cancelled": [Decision.CANCEL],
        "rest kept": [Decision.KEEP, Decision.CANCEL],
        "mixed with split": [Decision.KEEP, Decision.CANCEL, Decision.SPLIT],
    }[shape]
    decisions = {
        view.line_item_id: rng.choice(choices) for view in probe.lines() if view.remaining > 0
    }
    session = packed_session(before, scans, decisions=decisions)
    submit_id, plan = enqueue(rig.store, session)
    kinds = {r.kind for r in rig.store.outbox.get(submit_id).requests}
    expected_kinds = {
        "all packed": {"deliver"},
        "rest cancelled": {"deliver"},
        "rest kept": {"new_shipment"},
        "mixed with split": {"split", "new_shipment"},
    }[shape]
    assert kinds == expected_kinds or (shape == "rest kept" and kinds == {"deliver"})
    target = (seed // len(SHAPES)) % len(plan.requests)
    fault = FAULTS[0] if seed < 2 * len(SHAPES) else rng.choice(FAULTS)
    rig.faults.add(*[Fault("OrderLinesUpdate", "pass") for _ in range(target)], _fault(fault))

    outcome = await rig.sender().send(submit_id, rig.recorder)

    assert outcome.state == "done", (seed, fault, outcome.error)
    assert outcome.reconciled == (fault == "drop_after")
    assert rig.faults.applied_writes == len(plan.requests), (seed, fault, kinds)
    after = await rig.client.get_order("ORD-1008")
    assert_exactly_once(before, after, session, plan)
    for view in session.lines():
        line = after.line(view.line_item_id)
        assert line is not None
        if view.decision is Decision.CANCEL:
            assert line.canceled_quantity == view.remaining
        else:
            assert line.canceled_quantity == Decimal(0)
    for target_split, shipment_id in plan.split_shipments:
        split = after.shipment(shipment_id)
        assert split is not None, target_split
        split_units = {ln.line_item_id: ln.quantity for ln in split.line_items}
        expected = {
            v.line_item_id: v.remaining for v in session.lines() if v.decision is Decision.SPLIT
        }
        assert split_units == expected
