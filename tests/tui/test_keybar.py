"""The key bar: the current screen's keys on one line, following focus and screens; clickable."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.cells import cell_len
from textual.pilot import Pilot
from tui_support import (
    SIZE,
    burst,
    open_order,
    scans,
    screen_text,
    settle,
    started,
    wait_for,
    workflow_done,
)

from packstation.tui.app import StationApp
from packstation.tui.keybar import KeyBar
from packstation.tui.screens.order import OrderScreen
from packstation.tui.screens.review import ReviewScreen


def bar_text(app: StationApp) -> str:
    """What the key bar of the current screen draws."""
    return str(app.screen.query_one(KeyBar).render())


async def test_the_bar_shows_each_screens_keys_and_follows_screen_changes(
    station: Callable[..., StationApp],
) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        assert isinstance(app.screen, OrderScreen)
        assert bar_text(app) == " f5  Refresh queue  f7  Supervisor desk  ^q  Quit  ^p  Commands "
        await open_order(app, pilot, "ORD-1003")
        await pilot.pause()
        text = bar_text(app)
        keys = ("f2  New package", "f3  Box / weight", "f4  Undo", "f5  Review", "f6  Submit")
        for shown in keys:
            assert shown in text
        assert "Refresh queue" not in text
        assert " ".join(text.split()) in screen_text(app)


async def test_a_click_on_a_key_presses_it(station: Callable[..., StationApp]) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        bar = app.screen.query_one(KeyBar)
        column = bar_text(app).index("Supervisor desk")
        assert bar.key_at(column) == "f7"
        assert bar.key_at(SIZE[0] - 1) is None  # past the last key: nothing
        await pilot.click(KeyBar, offset=(column, 0))
        await settle(pilot, app)
        assert "Scan a supervisor badge" in screen_text(app)


async def test_on_a_narrow_terminal_keys_close_up_and_the_packages_panel_narrows(
    station: Callable[..., StationApp],
) -> None:
    app = station()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_order(app, pilot, "ORD-1003")
        await pilot.pause()
        text = bar_text(app)
        assert text.startswith("f2 New package f3 Box / weight f4 Undo")
        bar = app.screen.query_one(KeyBar)
        assert bar.key_at(text.index("Undo")) == "f4"  # clicks still find their key
        assert app.screen.query_one("#packages").outer_size.width == 26
        await pilot.resize_terminal(150, 40)
        await pilot.pause()
        assert bar_text(app).startswith(" f2  New package  f3  Box / weight")
        assert app.screen.query_one("#packages").outer_size.width == 40


async def offered_by_palette(
    app: StationApp, pilot: Pilot[Any], key: str, description: str
) -> bool:
    """True when the command palette, searched for `description`, offers that key's action."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*description)
    # Quit is the palette's own system command; every screen key is listed with its key.
    wanted = "Quit the application" if key == "ctrl+q" else f"key {key}"
    try:
        await wait_for(pilot, lambda: wanted in screen_text(app), seconds=5)
        return True
    except AssertionError:
        return False
    finally:
        await pilot.press("escape")
        await settle(pilot, app)


async def every_key_reachable(app: StationApp, pilot: Pilot[Any]) -> list[str]:
    """Check the bar fits 80 cells with the palette's key last and no key cut; return the
    descriptions it left out, each checked to be offered by the palette."""
    drawn = bar_text(app)
    text = " ".join(drawn.split()) + " "  # roomy or closed up alike
    assert cell_len(drawn) <= 80 and text.endswith("^p Commands ")
    left_out = []
    bar = app.screen.query_one(KeyBar)
    for key, shown, description, _enabled in bar.keys():  # noqa: SIM118 - not a dict
        if f"{shown} {description} " in text:
            continue
        assert description not in text  # a key is drawn whole or not at all
        left_out.append(description)
        assert await offered_by_palette(app, pilot, key, description), description
    if left_out:
        assert "…" in text
    return left_out


async def test_at_80x24_every_packer_key_is_on_the_bar_or_in_the_palette(
    station: Callable[..., StationApp],
) -> None:
    app = station(split_warehouses=["WH-BERGEN"])
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot, app)
        assert await every_key_reachable(app, pilot) == []  # the order screen: all fit
        pack = await open_order(app, pilot, "ORD-1003", packer="anna")
        await pilot.pause()
        # The keys no barcode replaces stay on the bar: typed box and weight, finding a line.
        text = bar_text(app)
        for shown in ("f3 Box / weight", "f11 Find line", "f6 Submit", "f4 Undo"):
            assert shown in text
        left_out = await every_key_reachable(app, pilot)
        assert "Open lines" in left_out and "Quit" in left_out
        # A key left out works from the palette.
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Open lines")
        await wait_for(pilot, lambda: "key f9" in screen_text(app))
        await pilot.press("enter")
        await settle(pilot, app)
        assert pack.open_only
        # The review keeps sending and going back on the bar.
        burst(app, scans("7042113000020", "3103000500", "CMD-SUBMIT"))
        await settle(pilot, app)
        assert isinstance(app.screen, ReviewScreen)
        text = bar_text(app)
        assert "f6 Confirm & send" in text and "esc Back to packing" in text
        await every_key_reachable(app, pilot)
        burst(app, scans("CMD-SUBMIT"))
        await settle(pilot, app)
        flow = await workflow_done(pilot, app)
        assert app.screen is flow
        assert "f10 Next order / acknowledge" in bar_text(app)
        await every_key_reachable(app, pilot)
