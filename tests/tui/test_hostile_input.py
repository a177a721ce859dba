"""Hostile input at the station: absurd numbers, over-long scans, symbology prefixes, quitting
with submits pending. Each case was reproduced on the station before its fix (issue 12)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from decimal import Decimal

import pytest
from textual.widgets import Input
from tui_support import SIZE, burst, open_order, scans, screen_text, settle, started

from packstation.packing.symbology import MAX_SCAN_CHARS, scan_body
from packstation.tui.app import StationApp
from packstation.tui.screens.order import OrderScreen
from packstation.tui.screens.pack import PackScreen
from packstation.tui.screens.package import PackageScreen, parse_cm, parse_decimal
from packstation.tui.screens.quit import QuitScreen
from packstation.tui.screens.review import ReviewScreen
from packstation.tui.screens.workflow import WorkflowScreen

EAN_A = "7042113000037"  # ORD-1001: one unit


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("1e1000000", "is not a number"),
        ("1e5000", "is not a number"),
        ("NaN", "is not a number"),
        ("Infinity", "is not a number"),
        ("0x10", "is not a number"),
        ("1.2345", "is not a number"),
        ("9" * 13, "too long"),
        ("١٢", "is not a number"),  # Arabic-Indic digits: Decimal reads them, the field does not
    ],
)
def test_typed_numbers_are_bounded_before_parsing(typed: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_decimal(typed)
    with pytest.raises(ValueError, match=reason):
        parse_cm(typed)


def test_ordinary_numbers_still_parse() -> None:
    assert parse_decimal(" 1,25 ") == Decimal("1.25")
    assert parse_decimal("70") == Decimal(70)
    assert parse_cm("40") == 40
    with pytest.raises(ValueError, match="whole centimetres"):
        parse_cm("40.5")


@pytest.mark.parametrize("typed", ["1e1000000", "1e5000"])
@pytest.mark.parametrize("field", ["length", "weight"])
async def test_absurd_number_refused_at_the_field(
    station: Callable[..., StationApp], typed: str, field: str
) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        pack = await open_order(app, pilot, "ORD-1001")
        await pilot.press("f3")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, PackageScreen)
        for name in ("length", "width", "height"):
            dialog.query_one(f"#pkg-{name}", Input).value = "10"
        dialog.query_one(f"#pkg-{field}", Input).value = typed
        await pilot.press("f6")
        await settle(pilot, app)
        assert app.screen is dialog
        assert f"{typed!r} is not a number" in screen_text(app)
        assert "Traceback" not in screen_text(app)
        package = pack.session.packages()[0]
        assert package.weight_kg is None and package.dimensions is None


async def test_an_over_long_scan_is_refused_whole(station: Callable[..., StationApp]) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        pack = await open_order(app, pilot, "ORD-1001")
        burst(app, scans("9" * (MAX_SCAN_CHARS * 3)))
        await settle(pilot, app)
        assert "Scan too long" in pack.last_banner[0]
        assert pack.session.totals().units_packed == 0
        # The buffer stopped growing at the limit: what is typed meanwhile is bounded too.
        assert app.scans_applied > 0 and not app.capture.buffer


async def test_an_over_long_order_id_is_not_looked_up(station: Callable[..., StationApp]) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        burst(app, scans("ORD-" + "1" * 200))
        await settle(pilot, app)
        assert isinstance(app.screen, OrderScreen)
        assert "too long for an order id" in screen_text(app)


@pytest.mark.parametrize("prefix", ["]C0", "]E0", "]d2", "]Q3", "]C1"])
def test_one_rule_strips_a_symbology_prefix(prefix: str) -> None:
    assert scan_body(f"{prefix}CMD-SUBMIT") == "CMD-SUBMIT"
    assert scan_body(f" {prefix}ORD-1003\r") == "ORD-1003"


async def test_symbology_prefixes_work_on_every_screen(station: Callable[..., StationApp]) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        # Order screen: the badge and the order id arrive with a prefix.
        burst(app, scans("]C0USER-anna", "]C0ORD-1001"))
        await settle(pilot, app)
        pack = app.screen
        assert isinstance(pack, PackScreen)
        assert app.packer == "anna"
        # Inside one burst: item, weight, and both CMD-SUBMITs with a prefix.
        burst(app, scans(f"]E0{EAN_A}", "]C13302000250", "]C0CMD-SUBMIT", "]C0CMD-SUBMIT"))
        await settle(pilot, app)
        flow = app.screen
        assert isinstance(flow, WorkflowScreen)
        assert flow.tracker.order_id == "ORD-1001"
        record = app.store.outbox.get(flow.tracker.submit_id)
        info = record.requests[0].patch.shipment_info
        assert info is not None and info.packages
        assert Decimal(str(info.packages[0].weight_in_kg)) == Decimal("2.5")
        # The workflow screen: the next order id with a prefix opens it.
        burst(app, scans("]C0ORD-1002"))
        await settle(pilot, app)
        assert isinstance(app.screen, PackScreen)
        assert app.screen.session.order.id == "ORD-1002"


async def test_prefixed_abort_confirms(station: Callable[..., StationApp]) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await open_order(app, pilot, "ORD-1001")
        burst(app, scans("]C0CMD-ABORT", "]C0CMD-ABORT"))
        await settle(pilot, app)
        assert isinstance(app.screen, OrderScreen)
        assert "abandoned" in screen_text(app)


async def test_quit_with_pending_submits_asks_and_says_how_many(
    station: Callable[..., StationApp],
) -> None:
    app = station()
    app.send_submit = lambda tracker: None  # type: ignore[method-assign]  # stays pending
    async with app.run_test(size=SIZE) as pilot:
        await open_order(app, pilot, "ORD-1001", packer="anna")
        burst(app, scans(EAN_A, "3302000250", "CMD-SUBMIT", "CMD-SUBMIT"))
        await settle(pilot, app)
        assert app.pending_submits == 1
        await pilot.press("ctrl+q")
        await settle(pilot, app)
        assert isinstance(app.screen, QuitScreen)
        text = screen_text(app)
        assert "1 submit not sent yet" in text
        assert "sent when it starts next" in text
        # Esc (and Enter, on the focused Stay button) keeps the station running.
        await pilot.press("escape")
        await settle(pilot, app)
        assert not isinstance(app.screen, QuitScreen) and app.is_running
        await pilot.press("ctrl+q")
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.is_running
        # ctrl+q twice quits.
        await pilot.press("ctrl+q")
        await settle(pilot, app)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code in (None, 0)
    assert app.store.outbox.pending_count() == 1


async def test_quit_with_nothing_pending_quits_at_once(station: Callable[..., StationApp]) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not isinstance(app.screen, QuitScreen)
    assert app.return_code in (None, 0)


async def test_review_screen_scans_take_the_prefix_too(station: Callable[..., StationApp]) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await open_order(app, pilot, "ORD-1001", packer="anna")
        burst(app, scans(EAN_A, "3302000250", "]C0CMD-REVIEW"))
        await settle(pilot, app)
        assert isinstance(app.screen, ReviewScreen)


async def test_escape_cancels_an_order_that_does_not_come(
    station: Callable[..., StationApp],
) -> None:
    app = station()
    asked = asyncio.Event()
    real_get_order = app.client.get_order

    async def never(order_id: str) -> object:
        asked.set()
        await asyncio.Event().wait()  # a back end that never answers
        raise AssertionError("unreachable")

    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        app.client.get_order = never  # type: ignore[method-assign]
        burst(app, scans("ORD-1003"))
        await asyncio.wait_for(asked.wait(), 10)
        await pilot.pause()
        assert "Loading order ORD-1003… Esc to cancel" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, OrderScreen)
        assert "Loading order ORD-1003 cancelled: nothing was opened" in screen_text(app)
        assert app.store.journal.unfinished_session() is None
        # The scanner goes on: the next order opens.
        app.client.get_order = real_get_order  # type: ignore[method-assign]
        burst(app, scans("ORD-1001"))
        await settle(pilot, app)
        assert isinstance(app.screen, PackScreen)
