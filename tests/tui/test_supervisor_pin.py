"""The supervisor desk with a PIN: a badge identifies, the PIN (hashed in the settings) opens."""

from __future__ import annotations

from collections.abc import Callable

from tui_support import SIZE, burst, scans, screen_text, settle, started, wait_for

from packstation.pins import hash_pin
from packstation.tui.app import StationApp
from packstation.tui.screens.order import OrderScreen
from packstation.tui.screens.pin import PinScreen
from packstation.tui.screens.supervisor import SupervisorScreen

PIN = "4711"
BARCODE_SHAPED_PIN = "70421130"  # 8 digits: an EAN-8 if the scanner buffer took it


async def type_pin(pilot: object, app: StationApp, pin: str) -> None:
    await pilot.press(*pin, "enter")  # type: ignore[attr-defined]
    await settle(pilot, app)  # type: ignore[arg-type]


async def test_the_desk_asks_the_pin_and_opens_only_on_the_right_one(
    station: Callable[..., StationApp],
) -> None:
    app = station(supervisors=["boss", "anna"], supervisor_pins={"boss": hash_pin(PIN)})
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        burst(app, scans("USER-boss"))
        await settle(pilot, app)
        assert isinstance(app.screen, PinScreen)
        # A wrong PIN, also one shaped like a barcode: refused at the field, never a scan.
        for wrong in ("0000", BARCODE_SHAPED_PIN):
            await type_pin(pilot, app, wrong)
            await wait_for(pilot, lambda: "wrong PIN" in screen_text(app))
            assert isinstance(app.screen, PinScreen)
        text = screen_text(app)
        assert "1 try left" in text
        assert BARCODE_SHAPED_PIN not in text and "0000" not in text
        assert not any(BARCODE_SHAPED_PIN in n.message for n in app._notifications)
        await type_pin(pilot, app, PIN)
        await wait_for(pilot, lambda: isinstance(app.screen, SupervisorScreen))
        assert PIN not in screen_text(app)


async def test_three_wrong_pins_or_escape_leave_the_desk_closed(
    station: Callable[..., StationApp],
) -> None:
    app = station(supervisors=["boss"], supervisor_pins={"USER-boss": hash_pin(PIN)})
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        burst(app, scans("USER-boss"))
        await settle(pilot, app)
        assert isinstance(app.screen, PinScreen)
        for wrong in ("1111", "2222", "3333"):
            await type_pin(pilot, app, wrong)
            await pilot.pause(0.3)
        await wait_for(pilot, lambda: isinstance(app.screen, OrderScreen))
        assert "Supervisor desk not opened" in screen_text(app)
        burst(app, scans("USER-boss"))
        await settle(pilot, app)
        assert isinstance(app.screen, PinScreen)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, OrderScreen))
        assert not any(isinstance(s, SupervisorScreen) for s in app.screen_stack)


async def test_without_a_pin_set_the_badge_opens_the_desk_and_a_packer_never_does(
    station: Callable[..., StationApp],
) -> None:
    app = station(supervisors=["anna"], supervisor_pins={"boss": hash_pin(PIN)})
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        burst(app, scans("USER-bob"))  # not in supervisors (a PIN elsewhere changes nothing)
        await settle(pilot, app)
        assert isinstance(app.screen, OrderScreen)
        burst(app, scans("USER-anna"))
        await settle(pilot, app)
        assert isinstance(app.screen, SupervisorScreen)
