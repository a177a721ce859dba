"""While a request waits, the screen says what for and Escape cancels it (issue 12 item 6):
the order screen (an order, the queue), the supervisor desk (cases, rerun, status, reprint);
a submit being sent is not cancelled, and the workflow screen says why."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

import pytest
from textual.widgets import DataTable, Static
from tui_support import SIZE, burst, scans, screen_text, settle, started, wait_for

from packstation.labels import printing
from packstation.tui.app import StationApp
from packstation.tui.screens.connection import ConnectionErrorScreen
from packstation.tui.screens.order import QUEUE_TITLE, OrderScreen
from packstation.tui.screens.pack import PackScreen
from packstation.tui.screens.supervisor import SupervisorScreen
from packstation.tui.screens.workflow import WorkflowScreen
from packstation.tui.startup import CHECK_CANCELLED

ITEM_1001 = "7042113000037"  # ORD-1001's only line, one unit


class Hang:
    """Stands in for a client method: never answers until released, counts the calls."""

    def __init__(self) -> None:
        self.asked = asyncio.Event()
        self.release = asyncio.Event()
        self.calls = 0

    async def __call__(self, *_args: Any, **_kwargs: Any) -> Any:
        self.calls += 1
        self.asked.set()
        await self.release.wait()
        raise AssertionError("a cancelled request must not be answered")


async def hanging(app: StationApp, name: str, pilot: Any) -> tuple[Hang, Any]:
    """Replace the client's `name` by a Hang; return it and the real method."""
    real = getattr(app.client, name)
    hang = Hang()
    setattr(app.client, name, hang)
    return hang, real


async def test_escape_cancels_reading_the_queue(station: Callable[..., StationApp]) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        # The queue read at start has come (so the one below is the only one waiting).
        queue = app.screen.query_one("#queue", DataTable)
        await wait_for(pilot, lambda: queue.row_count > 0)
        hang, real = await hanging(app, "search_orders", pilot)
        await pilot.press("f5")
        await asyncio.wait_for(hang.asked.wait(), 10)
        await pilot.pause()
        assert "reading the queue from Omnium… Esc to cancel" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot, app)
        text = screen_text(app)
        assert "Reading the queue cancelled (F5 reads it again)" in text
        assert "Esc to cancel" not in text and QUEUE_TITLE in text
        app.client.search_orders = real  # type: ignore[method-assign]
        # The scanner goes on: an order opens.
        burst(app, scans("ORD-1001"))
        await settle(pilot, app)
        assert isinstance(app.screen, PackScreen)


async def aborted_case(app: StationApp, pilot: Any) -> SupervisorScreen:
    """Pack and send ORD-1017 (its workflow aborts), then open the desk on its case."""
    burst(app, scans("USER-anna", "ORD-1017"))
    await settle(pilot, app)
    pack = app.screen
    assert isinstance(pack, PackScreen)
    line = pack.session.lines()[0]
    burst(app, scans(*[line.ean or ""] * int(line.remaining)))
    burst(app, scans("3103000500", "CMD-SUBMIT", "CMD-SUBMIT"))
    await settle(pilot, app)
    await wait_for(pilot, lambda: isinstance(app.screen, WorkflowScreen))
    flow = app.screen
    assert isinstance(flow, WorkflowScreen)
    await wait_for(pilot, lambda: flow.tracker.finished)
    await pilot.press("f10")
    await settle(pilot, app)
    await wait_for(pilot, lambda: isinstance(app.screen, OrderScreen))
    burst(app, scans("USER-boss"))
    await settle(pilot, app)
    await wait_for(pilot, lambda: isinstance(app.screen, SupervisorScreen))
    desk = app.screen
    assert isinstance(desk, SupervisorScreen)
    await wait_for(pilot, lambda: any(c.order_id == "ORD-1017" for c in desk.cases.values()))
    burst(app, scans("ORD-1017"))
    await settle(pilot, app)
    return desk


async def test_escape_cancels_the_desks_requests_then_closes_it(
    station: Callable[..., StationApp],
) -> None:
    app = station(supervisors=["boss"])
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        desk = await aborted_case(app, pilot)
        # Reading the cases from Omnium.
        hang, real_search = await hanging(app, "search_orders", pilot)
        await pilot.press("f5")
        await asyncio.wait_for(hang.asked.wait(), 10)
        await pilot.pause()
        assert "Reading the cases from Omnium… Esc to cancel" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.screen is desk
        assert "Omnium not read: cancelled with Esc; F5 reads it again" in screen_text(app)
        app.client.search_orders = real_search  # type: ignore[method-assign]
        # A rerun whose answer does not come: cancelled, and logged as perhaps applied.
        hang, real_update = await hanging(app, "update_status", pilot)
        await pilot.press("f2")
        await asyncio.wait_for(hang.asked.wait(), 10)
        await pilot.pause()
        assert "Rerunning the workflow of order ORD-1017… Esc to cancel" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.screen is desk
        shown = str(desk.query_one("#action-result", Static).render())
        assert "Rerun of order ORD-1017 cancelled: Omnium may still have done it" in shown
        with app.store.reading() as conn:
            logged = conn.execute(
                "SELECT action, error FROM supervisor_actions ORDER BY id DESC LIMIT 1"
            ).fetchone()
        assert tuple(logged) == (
            "rerun",
            "cancelled while waiting for Omnium's answer; it may have been applied",
        )
        app.client.update_status = real_update  # type: ignore[method-assign]
        await wait_for(pilot, lambda: any(c.order_id == "ORD-1017" for c in desk.cases.values()))
        burst(app, scans("ORD-1017"))
        await settle(pilot, app)
        # Reading the order to reprint its labels.
        hang, real_get = await hanging(app, "get_order", pilot)
        await pilot.press("f6")
        await asyncio.wait_for(hang.asked.wait(), 10)
        await pilot.pause()
        assert "Reading order ORD-1017 for its labels… Esc to cancel" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.screen is desk
        assert "Reprint of order ORD-1017 cancelled: nothing printed" in screen_text(app)
        app.client.get_order = real_get  # type: ignore[method-assign]
        # Nothing waits now: Escape closes the desk.
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, OrderScreen)


async def test_escape_while_a_submit_is_sent_says_it_is_not_cancelled(
    station: Callable[..., StationApp],
) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        hang, real = await hanging(app, "order_lines_update", pilot)
        burst(app, scans("USER-anna", "ORD-1001"))
        await settle(pilot, app)
        pack = app.screen
        assert isinstance(pack, PackScreen)
        line = pack.session.lines()[0]
        burst(app, scans(*[line.ean or line.code or ""] * int(line.remaining)))
        burst(app, scans("3103000500", "CMD-SUBMIT", "CMD-SUBMIT"))
        await settle(pilot, app)
        flow = app.screen
        assert isinstance(flow, WorkflowScreen)
        await asyncio.wait_for(hang.asked.wait(), 10)
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.screen is flow and not flow.tracker.finished
        said = [n.message for n in app._notifications]
        assert any("cannot be cancelled: it is in the station's outbox" in m for m in said)
        assert len(app.store.outbox.pending()) == 1
        app.client.order_lines_update = real  # type: ignore[method-assign]


async def test_escape_cancels_the_start_up_check(station: Callable[..., StationApp]) -> None:
    # A back end that accepts and never answers: the station said nothing for 35 s.
    app = station()
    token, real_token = await hanging(app, "get_token", None)
    async with app.run_test(size=SIZE) as pilot:
        await asyncio.wait_for(token.asked.wait(), 10)
        await pilot.pause()
        url = app.client.base_url
        assert f"Starting: connecting to Omnium at {url}… Esc to cancel" in screen_text(app)
        burst(app, scans("ORD-1001"))  # typed meanwhile: waits for the start, then applies
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConnectionErrorScreen))
        assert isinstance(app.screen, ConnectionErrorScreen)
        assert f"Reason: {CHECK_CANCELLED}" in screen_text(app)
        assert not app.started.is_set()
        # F5 tries again; now the order types do not come.
        app.client.get_token = real_token  # type: ignore[method-assign]
        types, real_types = await hanging(app, "order_types", None)
        await pilot.press("f5")
        await asyncio.wait_for(types.asked.wait(), 10)
        await pilot.pause()
        assert "Starting: reading Omnium's order types… Esc to cancel" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConnectionErrorScreen))
        assert isinstance(app.screen, ConnectionErrorScreen)
        assert f"Reason: order types: {CHECK_CANCELLED}" in screen_text(app)
        app.client.order_types = real_types  # type: ignore[method-assign]
        await pilot.press("f5")
        await started(pilot, app)
        await settle(pilot, app)
        # The scan typed during the start applied once the station had started.
        assert isinstance(app.screen, PackScreen) and app.screen.session.order.id == "ORD-1001"
        assert token.calls == 1 and types.calls == 1


async def test_escape_stops_waiting_for_a_printer_that_takes_no_data(
    station: Callable[..., StationApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A printer that takes the connection and then no data: CMD-REPRINT held every scan for
    # the print timeout (30 s) per shipment; the labels after a submit waited as long.
    stuck, asked = threading.Event(), threading.Event()
    calls: list[int] = []
    stops: list[threading.Event] = []

    def printer_taking_no_data(labels: list[Any], *_args: Any, **kwargs: Any) -> list[Any]:
        calls.append(len(labels))
        stops.append(kwargs["stop"])
        asked.set()
        stuck.wait(60)
        return []

    monkeypatch.setattr(printing, "print_labels", printer_taking_no_data)
    app = station(print_labels=True)
    try:
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await started(pilot, app)
            burst(app, scans("USER-anna", "ORD-1001", ITEM_1001, "3103000500"))
            burst(app, scans("CMD-SUBMIT", "CMD-SUBMIT"))
            await settle(pilot, app)
            flow = app.screen
            assert isinstance(flow, WorkflowScreen)
            # The labels printed after the answer.
            await asyncio.wait_for(asyncio.to_thread(asked.wait, 20), 30)
            asked.clear()
            await wait_for(pilot, lambda: "Waiting for the printer" in said(app))
            await pilot.press("escape")
            await wait_for(pilot, lambda: "Stopped waiting for the printer" in said(app))
            assert "cannot be cancelled" not in said(app)
            # The print given up on sends nothing more (its labels would mix with the next).
            assert [stop.is_set() for stop in stops] == [True]
            # CMD-REPRINT waits in the scan queue: the order scanned after it waits too.
            burst(app, scans("CMD-REPRINT", "ORD-1002"))
            await asyncio.wait_for(asyncio.to_thread(asked.wait, 20), 30)
            await pilot.pause()
            assert app.screen is flow
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, PackScreen))
            assert app.screen.session.order.id == "ORD-1002"
            assert (
                said(app).count("Stopped waiting for the printer (labels of order ORD-1001)") == 2
            )
            assert calls == [1, 1] and [stop.is_set() for stop in stops] == [True, True]
    finally:
        stuck.set()


def said(app: StationApp) -> str:
    """Every notification the app has shown, one per line."""
    return "\n".join(n.message for n in app._notifications)
