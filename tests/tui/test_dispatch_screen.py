"""Dispatch at the dock in the app: the order packed on this station, then its package scanned
on the dispatch screen (F4 on the order screen, or `--dispatch`), moves to Ship."""

from __future__ import annotations

from collections.abc import Callable

from test_carrier_booking import pack_all
from tui_support import SIZE, burst, scans, screen_text, settle, started, wait_for

from packstation.omnium.client import OmniumClient
from packstation.tui.app import StationApp
from packstation.tui.screens.dispatch import DispatchScreen
from packstation.tui.screens.order import OrderScreen


async def test_a_packed_order_scanned_at_dispatch_ships_and_captures_its_payment(
    station: Callable[..., StationApp], omnium_client: OmniumClient
) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        screen = await pack_all(app, pilot, "ORD-1001")
        await wait_for(pilot, lambda: bool(screen.tracker.carrier_labels))
        order = screen.tracker.latest_order
        assert order is not None and order.status == "PackedAndReady"
        sscc = order.order_form.shipments[0].packages[0].id
        assert sscc
        await pilot.press("f10")
        await settle(pilot, app)
        assert isinstance(app.screen, OrderScreen)
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, DispatchScreen))
        burst(app, scans(sscc))
        await settle(pilot, app)
        dock = app.screen
        assert isinstance(dock, DispatchScreen)
        await wait_for(pilot, lambda: bool(dock.outcomes))
        await settle(pilot, app)
        text = screen_text(app)
        assert "✔ Shipment 1 of order ORD-1001 → Ship" in text
        assert "CapturePayments" in text
        burst(app, scans(sscc))
        await settle(pilot, app)
        await wait_for(pilot, lambda: len(dock.outcomes) == 2)
        await settle(pilot, app)
        assert f"Package {sscc} was already dispatched" in screen_text(app)
    shipped = await omnium_client.get_order("ORD-1001")
    assert shipped.order_form.shipments[0].order_status == "Ship" or shipped.status == "Ship"
    assert [p.transaction_type for p in shipped.order_form.payments].count("Capture") == 1


async def test_the_dispatch_flag_opens_the_dispatch_screen(
    station: Callable[..., StationApp],
) -> None:
    app = station()
    app.services.dispatch = True
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        await wait_for(pilot, lambda: isinstance(app.screen, DispatchScreen))
        burst(app, scans("NOT-A-PACKAGE"))
        await settle(pilot, app)
        assert "'NOT-A-PACKAGE' is not a package's SSCC" in screen_text(app)
