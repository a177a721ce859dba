"""A submit that ends badly while the packer is on another order raises an alert (issue 15)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from fastapi import FastAPI
from tui_support import SIZE, burst, fault, open_order, scans, screen_text, settle, wait_for

from packstation.omnium.client import OmniumClient
from packstation.packing.decisions import Decision
from packstation.station.retry_policy import RetryPolicy
from packstation.tui.alerts import Alert
from packstation.tui.app import StationApp
from packstation.tui.screens.order import OrderScreen
from packstation.tui.screens.workflow import WorkflowScreen
from packstation.tui.widgets import ScanBanner, StationBar

HELD = 600.0
"""A lock held until the test lets go (a lock of a few seconds ran out under load before F9
was taken, and the submit ended on its own screen)."""
LET_GO = 0.001
"""A lock fault this short replaces the held one: the order is free again."""


async def test_background_abort_alerts_until_acknowledged(
    station: Callable[..., StationApp], sandbox_app: FastAPI, omnium_client: OmniumClient
) -> None:
    app = station()
    app.retry_policy = RetryPolicy(base_delay=0.2, max_delay=0.4, jitter=0, max_conflicts=1000)
    bells = 0

    def bell() -> None:
        nonlocal bells
        bells += 1

    async def lock_order(seconds: float) -> None:
        await fault(sandbox_app, omnium_client, "ORD-1017", kind="lock", seconds=seconds)

    # Locked until the packer has gone on to the next order, then let go: a lock of a few
    # seconds from here ran out under load before F9 was handled (the abort came first).
    await lock_order(600)
    app.bell = bell  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        pack = await open_order(app, pilot, "ORD-1017", packer="anna")
        line = pack.session.lines()[0]
        code = line.ean or line.code or ""
        burst(app, scans(*[code] * int(line.packable), "3103000500", "CMD-SUBMIT"))
        await settle(pilot, app)
        flow = app.screen
        assert isinstance(flow, WorkflowScreen)
        await wait_for(pilot, lambda: "waiting" in screen_text(app))
        await pilot.press("f9")  # on to the next order while it waits
        await settle(pilot, app)
        order_screen = app.screen
        assert isinstance(order_screen, OrderScreen)
        assert not flow.tracker.finished
        await lock_order(0.001)  # let go: the next try goes through, then the step fails
        await wait_for(pilot, lambda: flow.tracker.finished, seconds=20)
        await settle(pilot, app)
        assert flow.tracker.aborted
        text = screen_text(app)
        assert "Set ORD-1017 aside: PrintShippingLabel failed" in text
        assert "still being sent" not in text
        assert "ALERTS: 1" in text
        assert order_screen.query_one(StationBar).alerts == 1
        # The aborted cue (three bells, a moment apart); nothing else rang: the scans were
        # all accepted.
        await wait_for(pilot, lambda: bells >= 3)
        assert bells == 3
        # The alert stays: a scan acknowledges it and is not taken as an order.
        burst(app, scans("ORD-1019"))
        await settle(pilot, app)
        assert app.alerts == []
        assert app.screen is order_screen
        assert "aside" not in screen_text(app)
        assert "ALERTS" not in screen_text(app)
        # A key acknowledges too; two alerts count as two on the bar.
        app.raise_alert(Alert("ORD-1", "Set ORD-1 aside: a"))
        app.raise_alert(Alert("ORD-2", "Set ORD-2 aside: b"))
        await settle(pilot, app)
        assert "ALERTS: 2" in screen_text(app) and "Set ORD-1 aside" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert "ALERTS: 1" in screen_text(app) and "Set ORD-2 aside" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.alerts == []


async def test_abort_in_view_raises_no_alert(station: Callable[..., StationApp]) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        pack = await open_order(app, pilot, "ORD-1017", packer="anna")
        line = pack.session.lines()[0]
        code = line.ean or line.code or ""
        burst(app, scans(*[code] * int(line.packable), "3103000500", "CMD-SUBMIT"))
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, WorkflowScreen)
        await wait_for(pilot, lambda: screen.tracker.finished)
        await settle(pilot, app)
        assert screen.tracker.aborted
        assert app.alerts == []  # the workflow screen itself shows it


async def test_queue_is_read_again_after_abort_and_acknowledgement(
    station: Callable[..., StationApp],
) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await open_order(app, pilot, "ORD-1001", packer="anna")
        order_screen = app.screen_stack[0]
        assert isinstance(order_screen, OrderScreen)
        reads = 0

        def counted_refresh() -> None:
            nonlocal reads
            reads += 1

        order_screen.action_refresh_queue = counted_refresh  # type: ignore[method-assign]
        burst(app, scans("CMD-ABORT", "CMD-ABORT"))  # abort, confirmed
        await settle(pilot, app)
        assert app.screen is order_screen
        assert reads == 1  # back from the abort: read without F5
        app.raise_alert(Alert("ORD-1", "Set ORD-1 aside: a"))
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert reads == 2  # the acknowledgement reads it again


async def test_pending_line_command_is_amber_and_refuses_other_scans(
    station: Callable[..., StationApp],
) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        pack = await open_order(app, pilot, "ORD-1003", packer="anna")
        banner = pack.query_one(ScanBanner)
        burst(app, scans("CMD-SPLIT-LINE"))
        await settle(pilot, app)
        assert banner.has_class("wait")
        burst(app, scans("3103000500"))  # a weight while the split waits: refused, not dropped
        await settle(pilot, app)
        assert banner.has_class("bad")
        assert "CMD-SPLIT-LINE is waiting" in screen_text(app)
        assert pack.session.package(1).weight_kg is None
        burst(app, scans("7042113000204"))  # line 4's item: now the split applies
        await settle(pilot, app)
        assert pack.session.line("4").decision is Decision.SPLIT
        # Back on the order screen, the banner no longer says "Loading order …".
        burst(app, scans("CMD-ABORT", "CMD-ABORT"))
        await settle(pilot, app)
        assert isinstance(app.screen, OrderScreen)
        assert "Loading order" not in screen_text(app)


@pytest.mark.parametrize(
    ("refusal", "policy", "why"),
    [
        # Omnium answers every write with 500: the sender gives up after its tries.
        (
            "server_error",
            RetryPolicy(base_delay=0.2, max_delay=0.4, jitter=0, max_server_errors=1),
            "Omnium kept failing",
        ),
        # Omnium refuses the write with a 400 (the order is queued): given up, not aborted.
        (
            "queued",
            RetryPolicy(base_delay=0.2, max_delay=0.4, jitter=0, queued_delay=0.2, max_queued=1),
            "stayed queued or read-only in Omnium",
        ),
    ],
    ids=["server-errors", "refused-400"],
)
async def test_background_failure_alerts_until_acknowledged(
    station: Callable[..., StationApp],
    sandbox_app: FastAPI,
    omnium_client: OmniumClient,
    refusal: str,
    policy: RetryPolicy,
    why: str,
) -> None:
    app = station()
    app.retry_policy = replace(policy, max_conflicts=100_000)  # the held lock: wait, never fail
    bells = 0

    def bell() -> None:
        nonlocal bells
        bells += 1

    app.bell = bell  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        pack = await open_order(app, pilot, "ORD-1002", packer="anna")
        line = pack.session.lines()[0]
        code = line.ean or line.code or ""
        # After the order was read, so that Omnium fails only the submit. The queued order
        # refuses writes behind its lock (409 first); the 500s come before the lock, so they
        # are injected once the packer is on the next order.
        if refusal == "queued":
            await fault(sandbox_app, omnium_client, "ORD-1002", kind="queued", seconds=HELD)
        await fault(sandbox_app, omnium_client, "ORD-1002", kind="lock", seconds=HELD)
        burst(app, scans(*[code] * int(line.packable), "3103000500", "CMD-SUBMIT"))
        await settle(pilot, app)
        flow = app.screen
        assert isinstance(flow, WorkflowScreen)
        await wait_for(pilot, lambda: "waiting" in screen_text(app))
        await pilot.press("f9")  # on to the next order while it waits
        await settle(pilot, app)
        order_screen = app.screen
        assert isinstance(order_screen, OrderScreen)
        if refusal == "server_error":
            await fault(sandbox_app, omnium_client, "ORD-1002", kind="server_error", count=50)
        await fault(sandbox_app, omnium_client, "ORD-1002", kind="lock", seconds=LET_GO)
        await wait_for(pilot, lambda: flow.tracker.finished, seconds=20)
        await settle(pilot, app)
        assert flow.tracker.failed and not flow.tracker.aborted
        text = screen_text(app)
        assert "Set ORD-1002 aside: the submit failed" in text
        # The banner no longer says it is being sent.
        assert "still being sent" not in text
        assert "Order ORD-1002 was NOT sent: set it aside" in text
        assert why in text
        assert "ALERTS: 1" in text
        assert order_screen.query_one(StationBar).alerts == 1
        await wait_for(pilot, lambda: bells >= 3)  # the aborted cue
        # It stays: the next order's scan acknowledges it and is not taken as an order.
        burst(app, scans("ORD-1001"))
        await settle(pilot, app)
        assert app.alerts == []
        assert app.screen is order_screen
        assert "ALERTS" not in screen_text(app)
        assert "Alert for ORD-1002 acknowledged: scan the next order" in screen_text(app)
