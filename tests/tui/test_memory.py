"""What the station lets go of: nothing of an order outlives its screens (issue 12 item 10,
issue 16 item 3); bench/shift_memory.py measures the memory itself."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable

from textual.screen import Screen
from textual.widgets import Static
from tui_support import SIZE, burst, open_order, scans, settle, started, wait_for, workflow_done

from packstation.tui.app import StationApp
from packstation.tui.screens.order import OrderScreen


async def test_a_removed_widgets_render_cache_is_let_go(
    station: Callable[..., StationApp],
) -> None:
    # Textual's StylesCache.get_inner_outer is an lru_cache on the instance method: it held the
    # last 1,024 widgets' render caches (every line they drew) after the widgets were gone, so
    # memory grew with every order's screens (tui/textual_fixes.py).
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        widget = Static("drawn once, then gone with its screen")
        await app.push_screen(Screen())
        await app.screen.mount(widget)
        await pilot.pause()
        assert widget._styles_cache._cache, "the widget was drawn"
        cache = weakref.ref(widget._styles_cache)
        del widget
        await app.pop_screen()
        await pilot.pause()
        gc.collect()
        assert cache() is None


async def test_the_order_and_its_screens_are_let_go_after_the_submit(
    station: Callable[..., StationApp],
) -> None:
    # Issue 16 item 3: back on the order screen after a submit, nothing holds the order that
    # was packed (the scan queue's worker held the last screen that took a scan, and with it
    # the pack screen, its session and the whole order, until the next scan came).
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        pack = await open_order(app, pilot, "ORD-1001", packer="anna")
        line = pack.session.lines()[0]
        code = line.ean or line.code or ""
        gone = [weakref.ref(pack), weakref.ref(pack.session), weakref.ref(pack.session.order)]
        del pack, line
        burst(app, scans(code, "3103000500", "CMD-SUBMIT", "CMD-SUBMIT"))
        await settle(pilot, app)
        flow = await workflow_done(pilot, app)
        assert flow.tracker.outcome is not None and flow.tracker.outcome.state == "done"
        gone.append(weakref.ref(flow))
        del flow
        await wait_for(pilot, lambda: not app.trackers)
        await pilot.press("f10")
        await settle(pilot, app)
        assert isinstance(app.screen, OrderScreen)
        gc.collect()
        assert [ref() for ref in gone] == [None, None, None, None]
