"""Scanner bursts: key events posted with no pause between them (not Pilot.press)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input
from tui_support import SIZE, burst, open_order, scans, screen_text, settle, started

from packstation.tui.app import StationApp
from packstation.tui.scanner import Scan
from packstation.tui.screens.pack import PackScreen
from packstation.tui.screens.package import PackageScreen

EAN_1 = "7042113000020"  # ORD-1003 line 1, 2 units
EAN_2 = "084213000064"  # ORD-1003 line 2, 1 unit
GS = "\x1d"


async def open_package_dialog(
    app: StationApp, pilot: Pilot[Any]
) -> tuple[PackScreen, PackageScreen]:
    """Open ORD-1003, pack one unit of line 1 and open its package dialog (F3)."""
    pack = await open_order(app, pilot, "ORD-1003")
    burst(app, scans(EAN_1))
    await settle(pilot, app)
    await pilot.press("f3")
    await settle(pilot, app)
    dialog = app.screen
    assert isinstance(dialog, PackageScreen)
    return pack, dialog


async def test_two_back_to_back_scans_stay_two(station: Callable[..., StationApp]) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        pack = await open_order(app, pilot, "ORD-1003")
        burst(app, f"{EAN_1}\r{EAN_1}\r")
        await settle(pilot, app)
        assert pack.session.line("1").packed == Decimal(2)
        assert "2 / 5 units packed" in screen_text(app)


async def test_gs_inside_a_scan_survives(station: Callable[..., StationApp]) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        pack = await open_order(app, pilot, "ORD-1003")
        # AI 30 (count, variable length) must be ended by GS before AI 01; without the GS the
        # count would swallow the GTIN and the scan would be refused.
        burst(app, f"302{GS}010{EAN_1}\r")
        await settle(pilot, app)
        assert pack.session.line("1").packed == Decimal(2)
        assert not pack.query_one("#pack-banner").has_class("bad")


async def test_two_hundred_scans_in_one_burst(station: Callable[..., StationApp]) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        pack = await open_order(app, pilot, "ORD-1009")
        codes = [
            line.ean
            for line in pack.session.lines()
            if line.ean and len(line.ean) == 13
            for _ in range(int(line.packable))
        ][:200]
        assert len(codes) == 200
        applied_before = app.scans_applied
        burst(app, scans(*codes))
        await settle(pilot, app)
        assert app.scans_applied - applied_before == 200
        assert pack.session.totals().units_packed == Decimal(200)
        assert len(app.store.journal.events(pack.session_id)) == 200


async def test_scans_typed_while_the_order_loads_apply_to_it(
    station: Callable[..., StationApp],
) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        # The order id and its items in one burst: the items arrive before the order is loaded.
        burst(app, scans("ORD-1003", EAN_1, EAN_2, "CMD-NEW-PACKAGE"))
        await settle(pilot, app)
        pack = app.screen
        assert isinstance(pack, PackScreen)
        assert pack.session.totals().units_packed == Decimal(2)


async def test_scan_for_a_closed_order_is_not_applied_to_the_next(
    station: Callable[..., StationApp],
) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        pack = await open_order(app, pilot, "ORD-1003")
        # Abort (confirmed), then an item typed while the pack screen was still showing.
        burst(app, scans("CMD-ABORT", "CMD-ABORT"))
        app.scans.put(Scan(EAN_1, seq=99, typed_under=pack.context))
        burst(app, scans("ORD-1001"))
        await settle(pilot, app)
        assert isinstance(app.screen, PackScreen)
        assert app.screen.session.order.id == "ORD-1001"
        assert app.screen.session.totals().units_packed == 0


async def test_typing_in_a_field_and_scanning_over_it(station: Callable[..., StationApp]) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        pack, dialog = await open_package_dialog(app, pilot)
        weight = dialog.query_one("#pkg-weight", Input)
        assert weight.has_focus
        # A box scan while the weight field has focus: it is a scan, the field is untouched.
        burst(app, "BOX-S\r")
        await settle(pilot, app)
        assert pack.session.packages()[0].box == "S"
        assert weight.value == ""
        assert dialog.query_one("#pkg-length", Input).value == "25"
        # Typed by hand: the value goes to the field; Enter saves the package.
        burst(app, "1,25\r")
        await settle(pilot, app)
        assert pack.session.packages()[0].weight_kg == Decimal("1.25")
        assert app.screen is pack


async def test_invalid_value_refused_at_the_field(station: Callable[..., StationApp]) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        pack, dialog = await open_package_dialog(app, pilot)
        burst(app, "abc\r")
        await settle(pilot, app)
        assert app.screen is dialog
        assert "'abc' is not a number" in screen_text(app)
        dialog.query_one("#pkg-weight", Input).value = ""
        burst(app, "250\r")
        await settle(pilot, app)
        assert app.screen is dialog
        assert "over the maximum 70 kg" in screen_text(app)
        assert pack.session.packages()[0].weight_kg is None
        dialog.query_one("#pkg-length", Input).focus()
        dialog.query_one("#pkg-weight", Input).value = ""
        burst(app, "0.5\r")
        await settle(pilot, app)
        assert "whole centimetres" not in screen_text(app)


async def test_box_preset_picked_with_the_keyboard(station: Callable[..., StationApp]) -> None:
    from textual.widgets import OptionList

    app = station()
    async with app.run_test(size=SIZE) as pilot:
        pack, dialog = await open_package_dialog(app, pilot)
        presets = dialog.query_one("#presets", OptionList)
        presets.focus()
        await pilot.pause()
        presets.highlighted = 0
        await pilot.press("down", "down", "enter")
        await settle(pilot, app)
        assert pack.session.packages()[0].box == "M"
        assert dialog.query_one("#pkg-length", Input).value == "40"
        # A scale's GS1 weight label scanned while the dialog is open fills the weight.
        burst(app, "3103001750\r")
        await settle(pilot, app)
        assert pack.session.packages()[0].weight_kg == Decimal("1.75")
        assert dialog.query_one("#pkg-weight", Input).value == "1.75"
