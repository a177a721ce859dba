"""Two stations with one station id (two data dirs, one Omnium): the second one notices.

A package from this station's SSCC range that its store never issued for that order is said
loudly at once, on opening the order, on sending it and on scanning it at the dispatch dock,
and becomes a supervisor desk case.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from tui_support import (
    SIZE,
    burst,
    make_app,
    open_order,
    scans,
    settle,
    started,
    wait_for,
    workflow_done,
)

from packstation.labels.sscc import SsccAllocator
from packstation.omnium.client import OmniumClient
from packstation.omnium.models import ShipmentPackage
from packstation.station.ssccs import recorded_conflicts
from packstation.station.supervisor_cases import station_cases
from packstation.tui.app import StationApp
from packstation.tui.screens.dispatch import DispatchScreen
from packstation.tui.screens.pack import PackScreen


def alarms_of(app: StationApp) -> list[str]:
    """The duplicated-station-id alarms the app raised (error notifications, 10 minutes)."""
    return [
        n.message
        for n in app._notifications
        if n.title == "DUPLICATED STATION ID?" and n.severity == "error"
    ]


EAN_1003_LINE_1 = "7042113000020"  # ORD-1003 line 1, NH-1002 x2
EAN_1001 = "7042113000037"  # ORD-1001, NH-1003 x1


async def test_an_order_with_a_twin_stations_package_is_called_out_on_opening(
    omnium_client: OmniumClient, tmp_path: Path
) -> None:
    first = make_app(omnium_client, tmp_path / "first")  # both station 01, prefix 7012345
    async with first.run_test(size=SIZE) as pilot:
        await open_order(first, pilot, "ORD-1003", packer="anna")
        burst(first, scans(EAN_1003_LINE_1, "3103001200", "CMD-SUBMIT", "CMD-SUBMIT"))
        await settle(pilot, first)
        tracker = (await workflow_done(pilot, first)).tracker
        assert tracker.outcome is not None and tracker.outcome.state == "done"
    order = await omnium_client.get_order("ORD-1003")
    sent = [p.id for s in order.order_form.shipments for p in s.packages]
    assert len(sent) == 1

    second = make_app(omnium_client, tmp_path / "second")
    async with second.run_test(size=SIZE) as pilot:
        pack = await open_order(second, pilot, "ORD-1003", packer="bob")
        assert isinstance(pack, PackScreen)  # the packer may go on; the alarm stays on screen
        alarms = alarms_of(second)
        assert len(alarms) == 1 and sent[0] in alarms[0] and "supervisor desk" in alarms[0]
        conflicts = recorded_conflicts(second.store)
        assert [(c.sscc, c.order_id, c.issued_for) for c in conflicts] == [
            (sent[0], "ORD-1003", None)
        ]
        cases = [c for c in station_cases(second.store) if c.kind == "sscc_conflict"]
        assert len(cases) == 1 and "Duplicated station id?" in (cases[0].error or "")
        # The second station's own package never takes a number already on the order.
        burst(second, scans(EAN_1003_LINE_1, "3103000500", "CMD-SUBMIT", "CMD-SUBMIT"))
        await settle(pilot, second)
        await workflow_done(pilot, second)
    order = await omnium_client.get_order("ORD-1003")
    packages = [p.id for s in order.order_form.shipments for p in s.packages]
    assert len(packages) == 2 and len(set(packages)) == 2


async def test_a_twin_stations_package_that_arrives_while_packing_is_called_out_on_sending(
    omnium_client: OmniumClient, sandbox_app: FastAPI, tmp_path: Path
) -> None:
    app = make_app(omnium_client, tmp_path / "station")
    twin_sscc = SsccAllocator("7012345", "01", lambda: 0).sscc_for(777)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        await open_order(app, pilot, "ORD-1001", packer="anna")
        assert recorded_conflicts(app.store) == []
        # Meanwhile the twin station puts a package on the order.
        store = sandbox_app.state.sandbox.store
        order = store.get_order("ORD-1001")
        order.order_form.shipments[0].packages.append(ShipmentPackage(id=twin_sscc))
        store.save_order(order)
        burst(app, scans(EAN_1001, "3103000500", "CMD-SUBMIT", "CMD-SUBMIT"))
        await settle(pilot, app)
        await workflow_done(pilot, app)
        await settle(pilot, app)
        assert [c.sscc for c in recorded_conflicts(app.store)] == [twin_sscc]
        alarms = alarms_of(app)
        assert len(alarms) == 1 and twin_sscc in alarms[0]


async def test_a_twin_stations_package_scanned_at_the_dispatch_dock_is_called_out(
    omnium_client: OmniumClient, tmp_path: Path
) -> None:
    first = make_app(omnium_client, tmp_path / "first")  # both station 01, prefix 7012345
    async with first.run_test(size=SIZE) as pilot:
        await open_order(first, pilot, "ORD-1003", packer="anna")
        burst(first, scans(EAN_1003_LINE_1, "3103001200", "CMD-SUBMIT", "CMD-SUBMIT"))
        await settle(pilot, first)
        await workflow_done(pilot, first)
    order = await omnium_client.get_order("ORD-1003")
    [sent] = [p.id for s in order.order_form.shipments for p in s.packages]

    # The twin station never opened the order: it sees the package only at its dock.
    second = make_app(omnium_client, tmp_path / "second")
    second.services.dispatch = True
    async with second.run_test(size=SIZE) as pilot:
        await started(pilot, second)
        await wait_for(pilot, lambda: isinstance(second.screen, DispatchScreen))
        dock = second.screen
        assert isinstance(dock, DispatchScreen)
        burst(second, scans(sent))
        await settle(pilot, second)
        await wait_for(pilot, lambda: bool(dock.outcomes))
        alarms = alarms_of(second)
        assert len(alarms) == 1 and sent in alarms[0] and "supervisor desk" in alarms[0]
        assert [(c.sscc, c.order_id) for c in recorded_conflicts(second.store)] == [
            (sent, "ORD-1003")
        ]
        cases = [c for c in station_cases(second.store) if c.kind == "sscc_conflict"]
        assert len(cases) == 1
