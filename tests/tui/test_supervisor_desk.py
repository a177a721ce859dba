"""The supervisor desk as a supervisor uses it: actions on cases, and the shift's figures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Static
from tui_support import SIZE, burst, open_order, scans, screen_text, settle, wait_for

from packstation.station.history import history_rows
from packstation.tui.app import StationApp
from packstation.tui.screens.order import OrderScreen
from packstation.tui.screens.pack import PackScreen
from packstation.tui.screens.reprint import ReprintScreen
from packstation.tui.screens.shift import ShiftScreen
from packstation.tui.screens.supervisor import SupervisorScreen
from packstation.tui.screens.workflow import WorkflowScreen

WEIGHT = "3103000500"  # 0.5 kg, a GS1 weight scan


async def pack_and_send(
    app: StationApp, pilot: Pilot[Any], order_id: str, packer: str, *, background: bool = False
) -> None:
    """Open the order with the packer's badge, pack every unit, weigh, send; wait for it (or,
    `background`, go on to the next order at once with F9)."""
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
    if background:
        await pilot.press("f9")
        await settle(pilot, app)
        if app.screen is flow:  # it aborted before F9: acknowledged here instead
            await pilot.press("f10")
        await wait_for(pilot, lambda: flow.tracker.finished)
    else:
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


def shown(desk: SupervisorScreen, selector: str) -> str:
    """The plain text a Static of the desk holds (unwrapped)."""
    return str(desk.query_one(selector, Static).content)


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


async def test_the_supervisor_settles_two_background_aborts(
    station: Callable[..., StationApp],
) -> None:
    app = station(supervisors=["boss"])
    async with app.run_test(size=SIZE) as pilot:
        # ORD-1023's booking fails the first time only; ORD-1016's always (unknown carrier).
        await pack_and_send(app, pilot, "ORD-1023", "anna", background=True)
        await pack_and_send(app, pilot, "ORD-1016", "anna", background=True)
        await wait_for(pilot, lambda: not app.trackers)
        while app.alerts:  # the packer acknowledges each alert
            await pilot.press("enter")
            await settle(pilot, app)
        assert isinstance(app.screen, OrderScreen)
        desk = await open_desk(app, pilot)
        await wait_for(pilot, lambda: len(desk.cases) == 2)
        by_order = {c.order_id: c for c in desk.cases.values()}
        assert {c.packer for c in by_order.values()} == {"anna"}
        table = desk.query_one("#cases", DataTable)

        # Rerun ORD-1023 (fixed meanwhile): booked, labels offered, the case closed.
        burst(app, scans("ORD-1023"))
        await settle(pilot, app)
        first = by_order["ORD-1023"]
        assert desk.selected_key() == first.key
        await pilot.press("f2")
        await wait_for(pilot, lambda: isinstance(app.screen, ReprintScreen))
        await pilot.press("escape")  # not now: F6 prints them later
        await settle(pilot, app)
        assert app.screen is desk
        assert "Rerun (order ORD-1023): done, case closed. Tracking number" in screen_text(app)
        text = shown(desk, "#action-result")
        assert text.startswith("Closed by boss at ")
        assert "Rerun by boss at " in text and ": done, the case is closed" in text
        assert "New tracking numbers" in text
        # The selection stayed on the case, still listed (closed), still packed by anna;
        # the count has its own line and did not replace the message.
        assert desk.selected_key() == first.key and first.key in desk.closed
        assert "✔ closed" in str(table.get_row(first.key)[1])
        assert str(table.get_row(first.key)[2]) == "anna"
        assert "1 open case, 1 closed here" in shown(desk, "#sup-count")
        assert "packed by anna   at" in shown(desk, "#case-detail")

        # Rerun ORD-1016: it aborts again and stays open, same case, with the new steps.
        burst(app, scans("ORD-1016"))
        await settle(pilot, app)
        second = by_order["ORD-1016"]
        assert desk.selected_key() == second.key
        await pilot.press("f2")
        await wait_for(pilot, lambda: "aborted again" in screen_text(app))
        text = shown(desk, "#action-result") + shown(desk, "#case-detail")
        assert "ABORTED again: the case stays open" in text
        assert desk.selected_key() == second.key and second.key not in desk.closed
        again = desk.cases[second.key]
        assert (again.packer, again.supervisor) == ("anna", "boss")
        assert again.result_id != second.result_id
        assert "packed by anna" in text and "Last rerun by supervisor boss" in text

        # Mark it reviewed: a note is required; then it is closed too.
        await pilot.press("f4")
        await settle(pilot, app)
        await pilot.press("f6")
        await settle(pilot, app)
        assert "required: say why" in screen_text(app)
        await pilot.press(*"carrier unknown, parcel reworked")
        await pilot.press("f6")
        await wait_for(pilot, lambda: second.key in desk.closed)
        assert desk.selected_key() == second.key
        assert shown(desk, "#action-result").startswith("Marked reviewed by boss at ")
        assert "0 open cases, 2 closed here" in shown(desk, "#sup-count")
        # Labels of a closed case still print on request.
        await pilot.press("f6")
        await wait_for(pilot, lambda: isinstance(app.screen, ReprintScreen))
        await pilot.press("escape")
        await settle(pilot, app)
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, OrderScreen)
    supervised = [r.who for r in history_rows(app.store) if "supervisor" in r.who]
    assert supervised == ["boss (supervisor), packed by anna"] * 2 + ["boss (supervisor)"]
