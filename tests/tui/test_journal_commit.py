"""A scan's events reach the journal in one commit: all of them or none."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from tui_support import SIZE, burst, open_order, scans, screen_text, settle, started

from packstation.omnium.models import OmniumOrder
from packstation.packing.events import DimensionsSet, WeightSet, event_to_dict
from packstation.packing.outcome import Outcome
from packstation.packing.session import PackingSession
from packstation.station.store import StationStore
from packstation.tui.app import StationApp
from packstation.tui.flow import journal, rules_for
from packstation.tui.screens.order import OrderScreen
from packstation.tui.screens.pack import PackScreen
from packstation.tui.screens.review import ReviewScreen
from packstation.tui.screens.workflow import WorkflowScreen

# ORD-1003 at WH-OSLO: line 1 NH-1002 x2, line 2 NH-1006 x1, line 3 NH-1014 x1, line 4 NH-1020 x1
EAN_1 = "7042113000020"
EAN_2 = "084213000064"
EAN_3 = "084213000149"
EAN_4 = "7042113000204"


async def _in_thread(func: Callable[..., Any], *args: Any) -> Any:
    return await asyncio.to_thread(func, *args)


async def test_a_measuring_scan_is_journaled_in_one_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = StationStore.open(tmp_path)
    try:
        sid = store.journal.start(OmniumOrder(id="ORD-1"), "1", "anna")

        def one_at_a_time(*_args: object) -> None:
            raise AssertionError("events of one scan must not be committed one by one")

        # A scan carrying dimensions and weight makes two events; a crash between two
        # separate commits would leave a state no scan sequence can produce.
        monkeypatch.setattr(store.journal, "append", one_at_a_time)
        events = (
            DimensionsSet(package_no=1, length_cm=40, width_cm=30, height_cm=20),
            WeightSet(package_no=1, weight_kg=Decimal("2.5")),
        )
        app = SimpleNamespace(store=store, in_thread=_in_thread)
        await journal(app, sid, Outcome(events=events))  # type: ignore[arg-type]
        unfinished = store.journal.unfinished_session()
        assert unfinished is not None
        assert unfinished.events == [event_to_dict(e) for e in events]
    finally:
        store.close()


def journalled_session(app: StationApp, pack: PackScreen) -> PackingSession:
    """The session as a restart would rebuild it from the journal."""
    events = app.store.journal.events(pack.session_id)
    return PackingSession.replay(
        pack.session.order, rules_for(app), events, shipment_id=pack.session.shipment.shipment_id
    )


async def test_scans_the_journal_cannot_write_change_nothing(
    station: Callable[..., StationApp], full_disk: Callable[[StationStore], Any]
) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        pack = await open_order(app, pilot, "ORD-1003", packer="anna")
        burst(app, scans(EAN_1))
        await settle(pilot, app)
        before = pack.session.snapshot()
        assert before.packages[0].contents
        disk = full_disk(app.store)
        # One scan alone, a burst (applied together), a command, a line command + item.
        for codes in (
            (EAN_2,),
            (EAN_3, EAN_4, "BOX-M", "3103001200"),
            ("CMD-NEW-PACKAGE",),
            ("CMD-CANCEL-LINE", EAN_3),
        ):
            burst(app, scans(*codes))
            await settle(pilot, app)
            assert pack.session.snapshot() == before
            text = screen_text(app)
            assert "Nothing was recorded" in text and "database or disk is full" in text
            assert "1 / 5 units packed, 1 package" in text
        disk.full = False
        # CMD-CANCEL-LINE was shown as waiting before the refused item: it still waits.
        assert pack.session.pending_command is not None
        burst(app, scans(EAN_3, EAN_2))
        await settle(pilot, app)
        assert pack.session.line(pack.session.lines()[2].line_item_id).decision.value == "cancel"
        # The refused scans never come back: only the two recorded units count.
        assert pack.session.totals().summary == "2 / 5 units packed, 1 package"
        assert "2 / 5 units packed, 1 package" in screen_text(app)
        assert journalled_session(app, pack).snapshot() == pack.session.snapshot()
        # CMD-UNDO takes back the last recorded changes, none of those refused.
        burst(app, scans("CMD-UNDO", "CMD-UNDO", "CMD-UNDO"))
        await settle(pilot, app)
        assert pack.session.snapshot().packages[0].contents == ()
        assert journalled_session(app, pack).snapshot() == pack.session.snapshot()


async def test_an_order_the_journal_cannot_record_is_not_opened(
    station: Callable[..., StationApp], full_disk: Callable[[StationStore], Any]
) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        disk = full_disk(app.store)
        burst(app, scans("USER-anna", "ORD-1003"))
        await settle(pilot, app)
        assert isinstance(app.screen, OrderScreen)
        text = screen_text(app)
        assert "Order ORD-1003 not opened" in text and "database or disk is full" in text
        assert app.store.journal.unfinished_session() is None
        disk.full = False
        burst(app, scans("ORD-1003"))
        await settle(pilot, app)
        assert isinstance(app.screen, PackScreen)
        unfinished = app.store.journal.unfinished_session()
        assert unfinished is not None and unfinished.packer == "anna"
        assert unfinished.events == [{"type": "packer_set", "user_id": "anna"}]


async def test_a_submit_the_outbox_cannot_record_says_the_disk_is_full(
    station: Callable[..., StationApp], full_disk: Callable[[StationStore], Any]
) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        pack = await open_order(app, pilot, "ORD-1003", packer="anna")
        burst(app, scans(EAN_1, EAN_1, EAN_2, EAN_3, EAN_4, "3103001000", "CMD-REVIEW"))
        await settle(pilot, app)
        assert isinstance(app.screen, ReviewScreen)
        disk = full_disk(app.store)
        burst(app, scans("CMD-SUBMIT"))
        await settle(pilot, app)
        text = screen_text(app)
        assert "Order ORD-1003 NOT sent: the station's disk is full" in text
        assert "Nothing was recorded and nothing was sent to Omnium" in text
        assert "scan CMD-SUBMIT again" in text
        assert app.store.outbox.list() == []
        assert app.store.journal.unfinished_session() is not None
        assert not isinstance(app.screen, WorkflowScreen)
        disk.full = False
        burst(app, scans("CMD-SUBMIT"))
        await settle(pilot, app)
        assert isinstance(app.screen, WorkflowScreen)
        assert len(app.store.outbox.list()) == 1
        assert pack.session.order.id == "ORD-1003"
