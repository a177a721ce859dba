"""The supervisor desk as a supervisor uses it: actions on cases, and the shift's figures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable
from tui_support import SIZE, burst, open_order, scans, screen_text, settle, wait_for

from packstation.tui.app import StationApp
from packstation.tui.screens.pack import PackScreen
from packstation.tui.screens.shift import ShiftScreen
from packstation.tui.screens.supervisor import SupervisorScreen
from packstation.tui.screens.workflow import WorkflowScreen

WEIGHT = "3103000500"  # 0.5 kg, a GS1 weight scan


async def pack_and_send(app: StationApp, pilot: Pilot[Any], order_id: str, packer: str) -> None:
    """Open the order with the packer's badge, pack every unit, weigh, send; wait for it."""
    pack = await open_order(app, pilot, order_id, packer=packer)
    codes = [
        line.ean or line.code or ""
        for line in pack.session.lines()
        for _ in range(int(line.remaining))
    ]
    burst(app, scans(*codes, WEIGHT, "CMD-SUBMIT"))
    await settle(pilot, app)
    if isinstance(app.screen, PackScreen) or not isinstance(app.screen, WorkflowScreen):
        burst(app, scans("CMD-SUBMIT"))  # confirms the review where one is shown
        await settle(pilot, app)
    flow = app.screen
    assert isinstance(flow, WorkflowScreen)
    await wait_for(pilot, lambda: flow.tracker.finished)
    await pilot.press("f10")
    await settle(pilot, app)


async def open_desk(
    app: StationApp, pilot: Pilot[Any], badge: str = "USER-boss"
) -> SupervisorScreen:
    """Scan the supervisor's badge on the order screen; wait for the cases."""
    burst(app, scans(badge))
    await settle(pilot, app)
    desk = app.screen
    assert isinstance(desk, SupervisorScreen)
    await wait_for(pilot, lambda: "Loading cases" not in screen_text(app))
    return desk


def rows(table: DataTable[Any]) -> list[list[str]]:
    """A table's cells as plain text."""
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_the_desk_shows_the_shifts_figures_and_history(
    station: Callable[..., StationApp],
) -> None:
    app = station(supervisors=["boss"])
    async with app.run_test(size=SIZE) as pilot:
        await pack_and_send(app, pilot, "ORD-1001", "anna")
        # One refused scan on the next order, which anna then abandons.
        await open_order(app, pilot, "ORD-1003")
        burst(app, scans("XYZ-NOPE", "ORD-1003", "CMD-ABORT", "CMD-ABORT"))
        await settle(pilot, app)
        await open_desk(app, pilot)
        await pilot.press("f8")
        await settle(pilot, app)
        shift = app.screen
        assert isinstance(shift, ShiftScreen)
        await wait_for(pilot, lambda: shift.stats is not None)
        figures = rows(shift.query_one("#shift-figures", DataTable))
        # Packer, hour, orders, units, packages, refused, aborted, abandoned.
        assert [r[0] for r in figures] == ["anna", "anna"] and figures[-1][1] == "whole shift"
        assert figures[-1][2:] == ["1", "1", "1", "1", "0", "1"]
        history = rows(shift.query_one("#shift-history", DataTable))
        assert [(r[1], r[3], r[5]) for r in history] == [("ORD-1001", "anna", "done")]
        assert "Shift " in screen_text(app) and "(local time)" in screen_text(app)
        # The day before: nothing; a scan here is not applied to the desk underneath.
        await pilot.press("f2")
        await wait_for(pilot, lambda: "Nothing packed in this shift" in screen_text(app))
        assert shift.query_one("#shift-figures", DataTable).row_count == 0
        await pilot.press("f3")
        await wait_for(pilot, lambda: shift.query_one("#shift-figures", DataTable).row_count == 2)
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, SupervisorScreen)
