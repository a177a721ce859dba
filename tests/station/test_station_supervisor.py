"""The supervisor desk's data and actions against the in-process sandbox, and history."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from station_sandbox import Fault, Rig, enqueue, packed_session

from packstation.cli import main
from packstation.config import Settings
from packstation.omnium.models import OmniumOrder
from packstation.station.history import format_table, history_rows
from packstation.station.results import StepView
from packstation.station.supervisor_actions import (
    actions,
    mark_reviewed,
    rerun_workflow,
    set_status_without_workflow,
)
from packstation.station.supervisor_cases import (
    SupervisorCase,
    merge_cases,
    omnium_cases,
    station_cases,
)
from packstation.station.supervisors import badge_id, is_supervisor


async def _pack_failing_once(rig: Rig, order_id: str = "ORD-T1") -> OmniumOrder:
    """Create a copy of ORD-1017 whose booking fails once, pack it all and send it."""
    template = await rig.client.get_order("ORD-1017")
    copy = template.model_copy(update={"id": order_id, "tags": ["fail-once:PrintShippingLabel"]})
    created = await rig.client.create_order(copy)
    scans = [
        line.code or ""
        for s in created.order_form.shipments
        for line in s.line_items
        for _ in range(int(line.quantity))
    ]
    session = packed_session(created, scans, packer="P7")
    submit_id, _ = enqueue(rig.store, session)
    outcome = await rig.sender().send(submit_id)
    assert outcome.state == "done" and outcome.aborted
    return created


def test_is_supervisor() -> None:
    settings = Settings(supervisors=["S1", "USER-S2"])
    assert is_supervisor("USER-S1", settings)
    assert is_supervisor("S1", settings)
    assert is_supervisor("user-S2", settings)
    assert not is_supervisor("USER-P7", settings)
    assert not is_supervisor("USER-", settings)
    assert not is_supervisor("", Settings())
    assert badge_id(" USER-42 ") == "42"


async def test_cases_rerun_and_history(rig: Rig) -> None:
    order = await _pack_failing_once(rig)
    cases = station_cases(rig.store)
    assert len(cases) == 1
    case = cases[0]
    assert (case.kind, case.order_id, case.packer) == ("aborted", order.id, "P7")
    assert case.shipment_id == order.order_form.shipments[0].shipment_id
    failing = [s for s in case.steps if s.aborted_here]
    assert [s.name for s in failing] == ["PrintShippingLabel"] and failing[0].reason
    assert case.error and "PrintShippingLabel" in case.error

    from_omnium = await omnium_cases(rig.client, rig.store)
    mine = [c for c in from_omnium if c.order_id == order.id]
    assert len(mine) == 1
    assert mine[0].packer == "P7" and mine[0].packed_at is not None
    assert any(s.name == "PrintShippingLabel" for s in mine[0].steps)

    result = await rerun_workflow(
        rig.client,
        rig.store,
        order_id=order.id,
        shipment_id=case.shipment_id or "",
        supervisor="USER-S1",
        case_key=case.key,
    )
    assert not result.is_aborted  # fail-once: the rerun books
    assert station_cases(rig.store) == []  # the latest run did not abort
    reruns = [r for r in rig.store.results.list(order_id=order.id) if r.kind == "rerun"]
    assert len(reruns) == 1 and reruns[0].user_id == "S1" and reruns[0].steps
    recorded = actions(rig.store, order.id)
    assert [(a.action, a.supervisor, a.case_key) for a in recorded] == [("rerun", "S1", case.key)]
    assert recorded[0].result_id == reruns[0].result_id

    table = format_table(history_rows(rig.store, order_id=order.id))
    lines = table.splitlines()
    assert lines[0].split() == ["When", "Order", "Shipment", "Who", "What", "Result"]
    assert "P7" in lines[2] and "ABORTED at PrintShippingLabel" in lines[2]
    assert "S1 (supervisor)" in lines[3] and "workflow ran" in lines[3]


async def test_set_status_needs_a_reason_and_review_needs_a_note(rig: Rig) -> None:
    order = await _pack_failing_once(rig, "ORD-T2")
    case = station_cases(rig.store)[0]
    with pytest.raises(ValueError, match="reason"):
        await set_status_without_workflow(
            rig.client,
            rig.store,
            order_id=order.id,
            shipment_id=case.shipment_id,
            status="Completed",
            reason="  ",
            supervisor="S1",
        )
    result = await set_status_without_workflow(
        rig.client,
        rig.store,
        order_id=order.id,
        shipment_id=case.shipment_id,
        status="Completed",
        reason="booked by phone with the carrier",
        supervisor="S1",
    )
    assert not result.is_aborted
    assert result.order_action_execution_results == []  # no workflow ran
    recorded = actions(rig.store, order.id)[-1]
    assert recorded.action == "set_status" and "booked by phone" in (recorded.detail or "")
    stored = rig.store.results.get(recorded.result_id or 0)
    assert stored.kind == "set_status" and stored.user_id == "S1"

    omnium = [c for c in await omnium_cases(rig.client, rig.store) if c.order_id == order.id]
    assert omnium
    with pytest.raises(ValueError, match="note"):
        mark_reviewed(rig.store, omnium[0], "S1", "")
    mark_reviewed(rig.store, omnium[0], "S1", "carrier booked by phone")
    assert [c for c in await omnium_cases(rig.client, rig.store) if c.order_id == order.id] == []
    again = await omnium_cases(rig.client, rig.store, include_reviewed=True)
    reviewed = [c for c in again if c.order_id == order.id]
    assert reviewed and reviewed[0].review is not None
    assert reviewed[0].review.supervisor == "S1"
    assert reviewed[0].review.note == "carrier booked by phone"


async def test_failed_submit_case_can_be_marked_reviewed_by_key(rig: Rig) -> None:
    order = await rig.client.get_order("ORD-1001")
    session = packed_session(order, [order.order_form.shipments[0].line_items[0].code or ""])
    submit_id, _ = enqueue(rig.store, session)
    rig.faults.add(Fault("OrderLinesUpdate", "answer", status=403))
    outcome = await rig.sender().send(submit_id)
    assert outcome.state == "failed"
    (case,) = station_cases(rig.store)
    assert case.key == f"submit:{submit_id}" and case.order_id == "ORD-1001"
    mark_reviewed(rig.store, case.key, "USER-S9", "API user fixed, repacked")
    assert station_cases(rig.store) == []
    assert actions(rig.store)[-1].order_id == "ORD-1001"


async def test_history_command_prints_the_table(
    rig: Rig, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    order = await _pack_failing_once(rig, "ORD-T3")
    config = tmp_path / "empty.toml"
    config.write_text("")
    for name in [n for n in os.environ if n.startswith("PACKSTATION_")]:
        monkeypatch.delenv(name)
    data_dir = str(rig.store.path.parent)
    assert main(["--config", str(config), "--data-dir", data_dir, "history"]) == 0
    out = capsys.readouterr().out
    assert order.id in out and "P7" in out and "ABORTED at PrintShippingLabel" in out
    assert (
        main(["--config", str(config), "--data-dir", data_dir, "history", "--order", "NOPE"]) == 0
    )
    assert "No packing history matches." in capsys.readouterr().out
    assert (
        main(["--config", str(config), "--data-dir", data_dir, "history", "--since", "2999-01-01"])
        == 0
    )
    assert "No packing history matches." in capsys.readouterr().out
    assert (
        main(["--config", str(config), "--data-dir", data_dir, "history", "--since", "2000-01-01"])
        == 0
    )
    assert order.id in capsys.readouterr().out
    empty = tmp_path / "nothing"
    assert main(["--config", str(config), "--data-dir", str(empty), "history"]) == 0
    assert "No packing history yet" in capsys.readouterr().out
    assert not empty.exists() or not any(empty.iterdir())


async def test_an_aborted_workflow_is_one_case_with_omniums_errors_and_one_review(
    rig: Rig,
) -> None:
    order = await _pack_failing_once(rig, "ORD-T3")
    ours = station_cases(rig.store)
    theirs = [c for c in await omnium_cases(rig.client, rig.store) if c.order_id == order.id]
    assert len(ours) == 1 and len(theirs) == 1  # the same problem, seen from both sides
    desk = merge_cases(ours, theirs)
    assert len(desk) == 1
    case = desk[0]
    assert case.key == ours[0].key and case.sources == "station+omnium"
    assert case.keys == (ours[0].key, theirs[0].key)
    assert case.packer == "P7" and case.steps == ours[0].steps
    assert [e.name for e in case.omnium_errors] == [s.name for s in theirs[0].steps]
    assert any(e.name == "PrintShippingLabel" for e in case.omnium_errors)

    mark_reviewed(rig.store, case, "S1", "carrier booked by phone")
    assert station_cases(rig.store) == []
    assert [c for c in await omnium_cases(rig.client, rig.store) if c.order_id == order.id] == []


def test_merge_keeps_cases_of_other_orders_apart() -> None:
    def case(key: str, source: str, order_id: str) -> SupervisorCase:
        return SupervisorCase(
            key=key,
            source=source,
            kind="aborted" if source == "station" else "order_errors",
            order_id=order_id,
            shipment_id=None,
            steps=[StepView(name="PrintShippingLabel", status="Error", reason="carrier down")],
            packer=None,
            packed_at=None,
            error=None,
        )

    station = [case("result:1", "station", "A"), case("result:2", "station", "B")]
    omnium = [case("omnium:C:x", "omnium", "C"), case("omnium:B:y", "omnium", "B")]
    merged = merge_cases(station, omnium)
    assert [(c.key, c.also_keys) for c in merged] == [
        ("result:1", ()),
        ("result:2", ("omnium:B:y",)),
        ("omnium:C:x", ()),
    ]
    assert [c.sources for c in merged] == ["station", "station+omnium", "omnium"]


async def test_history_and_cases_read_the_store_in_a_fixed_number_of_queries(rig: Rig) -> None:
    # Issue 16 item 5: one query per submit made the history quadratic over a long store.
    for n in range(3):
        await _pack_failing_once(rig, f"ORD-Q{n}")
    statements: list[str] = []
    with rig.store.reading() as conn:
        conn.set_trace_callback(statements.append)
    try:
        rows = history_rows(rig.store)
        cases = station_cases(rig.store)
    finally:
        with rig.store.reading() as conn:
            conn.set_trace_callback(None)
    assert [r.order_id for r in rows] == ["ORD-Q0", "ORD-Q1", "ORD-Q2"]
    assert all("ABORTED at PrintShippingLabel" in r.result for r in rows)
    assert [c.order_id for c in cases] == ["ORD-Q0", "ORD-Q1", "ORD-Q2"]
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    # History 4, desk 6 (SSCC conflicts, where each case's run of aborts began): none per submit.
    assert len(reads) <= 10, reads
    # The desk and the history never read the stored answers' order copies.
    assert not any("result_json" in s for s in reads)
