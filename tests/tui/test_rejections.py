"""Every rejection: red banner with the reason, a bell, and nothing changed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from tui_support import SIZE, burst, make_app, scans, screen_text, settle, started

from packstation.omnium.client import OmniumClient
from packstation.omnium.errors import Forbidden
from packstation.omnium.models import OmniumOrder
from packstation.sandbox.auth import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from packstation.tui.app import StationApp
from packstation.tui.screens.order import OrderScreen
from packstation.tui.screens.pack import PackScreen
from packstation.tui.widgets import ScanBanner

EAN_1 = "7042113000020"
EAN_2 = "084213000064"
OTHER_ORDERS_EAN = "7042113000013"


def count_bells(app: StationApp) -> list[int]:
    rung = [0]

    def bell() -> None:
        rung[0] += 1

    app.bell = bell  # type: ignore[method-assign]
    return rung


def refused_scans(app: StationApp) -> list[tuple[int, str | None]]:
    """The refusals stored for the shift's figures: (session, packer) each."""
    with app.store.reading() as conn:
        rows = conn.execute("SELECT session_id, packer FROM refused_scans ORDER BY id")
        return [(int(r[0]), r[1]) for r in rows.fetchall()]


async def test_refusals_in_a_burst_are_each_counted_for_the_packer(
    station: Callable[..., StationApp],
) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        burst(app, scans("USER-anna", "ORD-1003"))
        await settle(pilot, app)
        pack = app.screen
        assert isinstance(pack, PackScreen)
        # One too many of a line, then a stray scan and the scan it holds (not counted again).
        burst(app, scans(EAN_1, EAN_1, EAN_1, "XYZ-1", EAN_2))
        await settle(pilot, app)
        assert refused_scans(app) == [(pack.session_id, "anna")] * 2
        assert pack.session.lines()[0].packed == 2


REJECTIONS = [
    ("unknown barcode", (), "XYZ-NOPE", "Unknown barcode XYZ-NOPE"),
    ("not on order", (), OTHER_ORDERS_EAN, "is not on order ORD-1003"),
    ("line complete", (EAN_2,), EAN_2, "all 1 units already packed"),
    ("too many", (), "01" + "0" + EAN_1 + "3099", "only 2 of 2 units left"),
    ("bad count", (), "01" + "0" + EAN_1 + "300", "not a number of units"),
    ("bad weight", (), "3103999999", "over the maximum 70 kg"),
    ("bad dimensions", (), "3312000000", "needs length, width and height"),
    ("unknown box", (), "BOX-NOPE", "Unknown box 'NOPE'"),
    ("empty package", (), "CMD-NEW-PACKAGE", "Package 1 is still empty"),
    ("nothing to undo", (), "CMD-UNDO", ""),
    ("not ready", (), "CMD-SUBMIT", "Cannot submit"),
    ("bad badge", (), "USER-", "Badge without a user id"),
    ("order already open", (), "ORD-1003", "ORD-1003 is open"),
]


@pytest.mark.parametrize(
    ("before", "rejected", "reason"),
    [r[1:] for r in REJECTIONS],
    ids=[r[0] for r in REJECTIONS],
)
async def test_pack_screen_rejection(
    station: Callable[..., StationApp], before: tuple[str, ...], rejected: str, reason: str
) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        burst(app, scans("ORD-1003", *before))
        await settle(pilot, app)
        pack = app.screen
        assert isinstance(pack, PackScreen)
        snapshot = pack.session.snapshot()
        events = len(pack.session.events)
        journalled = len(app.store.journal.events(pack.session_id))
        counted_before = refused_scans(app)
        bells = count_bells(app)
        burst(app, scans(rejected))
        await settle(pilot, app)
        assert app.screen is pack
        # Kept for the shift's figures (packstation stats), against this session; another
        # order's id is a question of which order is open, not a refused scan.
        counted = [] if rejected.startswith("ORD-") else [(pack.session_id, None)]
        assert refused_scans(app)[len(counted_before) :] == counted
        assert bells[0] == 1
        banner = pack.query_one("#pack-banner", ScanBanner)
        assert banner.has_class("bad")
        assert reason in pack.last_banner[0]
        assert reason in screen_text(app)
        assert pack.session.snapshot() == snapshot
        assert len(pack.session.events) == events
        assert len(app.store.journal.events(pack.session_id)) == journalled


class ForbiddenClient(OmniumClient):
    """A client whose API user lacks the order's store (Omnium answers 403)."""

    async def get_order(self, order_id: str) -> OmniumOrder:
        raise Forbidden("API user has no access to store 'nettbutikk'")


@pytest.mark.parametrize(
    ("order_id", "message"),
    [
        ("ORD-9999", "Order ORD-9999 does not exist (404)."),
        ("ORD-1014", "is queued"),
        ("ORD-1038", "Nothing to pack at WH-OSLO for order ORD-1038"),
        ("CMD-SUBMIT", "no order is open"),
    ],
    ids=["404", "queued", "nothing-to-pack", "command-without-order"],
)
async def test_order_screen_messages(
    station: Callable[..., StationApp], order_id: str, message: str
) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        bells = count_bells(app)
        burst(app, scans(order_id))
        await settle(pilot, app)
        assert isinstance(app.screen, OrderScreen)
        assert message in screen_text(app)
        assert app.screen.query_one("#order-banner", ScanBanner).has_class("bad")
        assert bells[0] == 1


async def test_forbidden_order_says_so(sandbox_app: FastAPI, tmp_path: Path) -> None:
    transport = httpx.ASGITransport(app=sandbox_app)
    client = ForbiddenClient(
        "http://sandbox.test", DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, transport=transport
    )
    app = make_app(client, tmp_path / "station")
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        burst(app, scans("ORD-1001"))
        await settle(pilot, app)
        assert isinstance(app.screen, OrderScreen)
        assert "not allowed to open order ORD-1001 (403)" in screen_text(app)
