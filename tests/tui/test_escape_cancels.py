"""While a request waits, the screen says what for and Escape cancels it (issue 12 item 6):
the order screen (an order, the queue), the supervisor desk (cases, rerun, status, reprint);
a submit being sent is not cancelled, and the workflow screen says why."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from textual.widgets import DataTable, Static
from tui_support import SIZE, burst, scans, screen_text, settle, started, wait_for

from packstation.tui.app import StationApp
from packstation.tui.screens.order import QUEUE_TITLE, OrderScreen
from packstation.tui.screens.pack import PackScreen
from packstation.tui.screens.supervisor import SupervisorScreen
from packstation.tui.screens.workflow import WorkflowScreen


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
