"""Settling cases (issue 15 items 13, 14): who packed never changes, the supervisor is named
beside it; a rerun that works closes the case, one that aborts again keeps it open."""

from __future__ import annotations

import pytest
from station_sandbox import Fault, Rig, enqueue, packed_session

from packstation.omnium.models import OmniumOrder
from packstation.station.history import history_rows
from packstation.station.supervisor_actions import (
    mark_reviewed,
    packer_of,
    rerun_workflow,
    set_status_without_workflow,
)
from packstation.station.supervisor_cases import SupervisorCase, station_cases


async def pack_failing(rig: Rig, order_id: str, tag: str) -> OmniumOrder:
    """A copy of ORD-1017 tagged `tag` (e.g. fail:PrintShippingLabel), packed by P7 and sent."""
    template = await rig.client.get_order("ORD-1017")
    created = await rig.client.create_order(
        template.model_copy(update={"id": order_id, "tags": [tag]})
    )
    scans = [
        line.code or ""
        for s in created.order_form.shipments
        for line in s.line_items
        for _ in range(int(line.quantity))
    ]
    submit_id, _ = enqueue(rig.store, packed_session(created, scans, packer="P7"))
    outcome = await rig.sender().send(submit_id)
    assert outcome.state == "done" and outcome.aborted
    return created


def reviews(rig: Rig) -> dict[str, tuple[str, str]]:
    """Case key -> (supervisor, note) of every stored review."""
    with rig.store.reading() as conn:
        rows = conn.execute("SELECT case_key, supervisor, note FROM reviews").fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


async def rerun(rig: Rig, case: SupervisorCase, supervisor: str = "USER-S1") -> bool:
    """Rerun the case's workflow from the desk; True when it aborted."""
    result = await rerun_workflow(
        rig.client,
        rig.store,
        order_id=case.order_id,
        shipment_id=case.shipment_id or "",
        supervisor=supervisor,
        case_key=case.key,
        case_keys=case.keys,
    )
    return result.is_aborted


async def test_a_rerun_that_aborts_again_keeps_the_case_with_its_packer(rig: Rig) -> None:
    order = await pack_failing(rig, "ORD-S1", "fail:PrintShippingLabel")
    (case,) = station_cases(rig.store)
    assert (case.packer, case.supervisor) == ("P7", None)
    assert await rerun(rig, case)
    (again,) = station_cases(rig.store)
    # The same case (same key, so the desk keeps it selected), the new run's steps.
    assert again.key == case.key and again.result_id != case.result_id
    assert (again.packer, again.packed_at) == ("P7", case.packed_at)
    assert (again.supervisor, again.supervisor_action) == ("S1", "rerun")
    assert again.supervised_at is not None and again.supervised_at > (case.packed_at or 0)
    assert any(s.aborted_here for s in again.steps)
    # The store keeps the packer beside the supervisor on the supervisor's result.
    rerun_result = rig.store.results.get(again.result_id or 0)
    assert (rerun_result.kind, rerun_result.user_id, rerun_result.packer) == ("rerun", "S1", "P7")
    assert packer_of(rig.store, order.id, case.shipment_id) == "P7"
    assert reviews(rig) == {}  # an abort closes nothing
    # A second supervisor's rerun: still P7's case.
    assert await rerun(rig, again, "S2")
    (third,) = station_cases(rig.store)
    assert (third.key, third.packer, third.supervisor) == (case.key, "P7", "S2")
    rows = [r for r in history_rows(rig.store, order_id=order.id) if "supervisor" in r.who]
    assert [r.who for r in rows] == [
        "S1 (supervisor), packed by P7",
        "S2 (supervisor), packed by P7",
    ]
    assert all(r.result == "ABORTED at PrintShippingLabel" for r in rows)


async def test_a_rerun_that_works_closes_the_case_with_the_supervisor_and_time(rig: Rig) -> None:
    await pack_failing(rig, "ORD-S2", "fail-once:PrintShippingLabel")
    (case,) = station_cases(rig.store)
    assert not await rerun(rig, case)
    assert station_cases(rig.store) == []
    supervisor, note = reviews(rig)[case.key]
    assert supervisor == "S1" and note.startswith("closed: rerun workflow")


async def test_a_review_then_a_new_abort_reopens_the_case(rig: Rig) -> None:
    await pack_failing(rig, "ORD-S3", "fail:PrintShippingLabel")
    (case,) = station_cases(rig.store)
    mark_reviewed(rig.store, case, "S1", "carrier called")
    assert station_cases(rig.store) == []
    # Rerun from the order (as from its Omnium case): it aborts again, the case is back.
    await rerun_workflow(
        rig.client,
        rig.store,
        order_id=case.order_id,
        shipment_id=case.shipment_id or "",
        supervisor="S1",
    )
    (back,) = station_cases(rig.store)
    assert back.key == case.key and back.review is None and back.packer == "P7"


async def test_set_status_closes_a_failed_submit_case(rig: Rig) -> None:
    order = await rig.client.get_order("ORD-1001")
    session = packed_session(order, [order.order_form.shipments[0].line_items[0].code or ""])
    submit_id, _ = enqueue(rig.store, session)
    rig.faults.add(Fault("OrderLinesUpdate", "answer", status=403))
    assert (await rig.sender().send(submit_id)).state == "failed"
    (case,) = station_cases(rig.store)
    with pytest.raises(ValueError, match="reason"):
        await set_status_without_workflow(
            rig.client,
            rig.store,
            order_id=case.order_id,
            shipment_id=case.shipment_id,
            status="PackedAndReady",
            reason=" ",
            supervisor="S1",
            case_key=case.key,
        )
    assert station_cases(rig.store) == [case]
    await set_status_without_workflow(
        rig.client,
        rig.store,
        order_id=case.order_id,
        shipment_id=case.shipment_id,
        status="PackedAndReady",
        reason="packed again by hand",
        supervisor="S1",
        case_key=case.key,
    )
    assert station_cases(rig.store) == []
    supervisor, note = reviews(rig)[case.key]
    assert supervisor == "S1" and "packed again by hand" in note
    stored = rig.store.results.list(order_id="ORD-1001")[-1]
    assert (stored.kind, stored.user_id, stored.packer) == ("set_status", "S1", session.packer_id)
