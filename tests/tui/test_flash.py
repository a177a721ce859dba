"""The line just scanned flashes in the lines table, then shows as the cursor row again."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from rich.style import Style
from tui_support import SIZE, burst, scans, settle, started

from packstation.tui.app import StationApp
from packstation.tui.lines_view import LinesView
from packstation.tui.screens.pack import PackScreen

# ORD-1003 at WH-OSLO: line 1 NH-1002 x2, line 2 NH-1006 x1 (UPC-A).
EAN_1 = "7042113000020"
EAN_2 = "084213000064"


async def scan_now(app: StationApp, code: str) -> None:
    """Type one scan and wait only until it is applied (no pilot pause: it waits for idle)."""
    before = app.scans_applied
    burst(app, scans(code))
    async with asyncio.timeout(15):
        while app.scans_applied <= before:  # noqa: ASYNC110 (a counter, no event to wait on)
            await asyncio.sleep(0.005)
    await app.wait_for_scans()


def row_style(table: LinesView, key: str) -> Style:
    """The style the table draws a row with right now."""
    y = table.index[key] - table.scroll_offset.y
    segments = list(table.render_line(y))
    return segments[0].style or Style()


async def test_scanned_line_flashes_then_goes_back(
    station: Callable[..., StationApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Long enough that a loaded test machine still sees the flash before it ends.
    monkeypatch.setattr("packstation.tui.lines_view.FLASH_SECONDS", 2.0)
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        burst(app, scans("ORD-1003"))
        await settle(pilot, app)
        pack = app.screen
        assert isinstance(pack, PackScreen)
        table = pack.query_one("#lines", LinesView)
        flash = table.get_component_rich_style("lines--flash")
        cursor = table.get_component_rich_style("lines--cursor")
        assert flash != cursor
        first, second = table.keys[0], table.keys[1]
        assert table.flashing_key is None
        assert row_style(table, first) == cursor

        await scan_now(app, EAN_2)
        assert table.flashing_key == second
        assert table.cursor_key == second
        assert row_style(table, second) == flash
        assert row_style(table, first) != flash

        # A second scan moves the flash to its line; the earlier line is drawn plainly again.
        await scan_now(app, EAN_1)
        assert table.flashing_key == first
        assert row_style(table, first) == flash
        assert row_style(table, second) != flash

        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        assert table.flashing_key is None
        assert row_style(table, first) == cursor
        assert row_style(table, second) != flash


async def test_rejected_scan_does_not_flash(station: Callable[..., StationApp]) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        burst(app, scans("ORD-1003"))
        await settle(pilot, app)
        table = app.screen.query_one("#lines", LinesView)
        await scan_now(app, "7042113000013")  # not on this order
        assert "✘" in str(app.screen.last_banner)
        assert table.flashing_key is None
