"""The key bar: the current screen's keys on one line, following focus and screens; clickable."""

from __future__ import annotations

from collections.abc import Callable

from tui_support import SIZE, open_order, screen_text, settle, started

from packstation.tui.app import StationApp
from packstation.tui.keybar import KeyBar
from packstation.tui.screens.order import OrderScreen


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
