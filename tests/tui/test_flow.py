"""The packer's whole path against the sandbox, driven by scanner key bursts."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from fastapi import FastAPI
from textual.pilot import Pilot
from tui_support import (
    SIZE,
    burst,
    fault,
    open_order,
    scans,
    screen_text,
    settle,
    started,
    wait_for,
    workflow_done,
)

from packstation.omnium.client import OmniumClient
from packstation.omnium.models import Shipment
from packstation.tui.app import StationApp
from packstation.tui.screens.order import OrderScreen
from packstation.tui.screens.pack import PackScreen
from packstation.tui.screens.reprint import ReprintScreen
from packstation.tui.screens.review import ReviewScreen
from packstation.tui.screens.split import SplitTargetScreen
from packstation.tui.screens.workflow import WorkflowScreen

# ORD-1003 at WH-OSLO: line 1 NH-1002 x2, line 2 NH-1006 x1, line 3 NH-1014 x1, line 4 NH-1020 x1
EAN_1 = "7042113000020"
EAN_2 = "084213000064"  # UPC-A
EAN_3 = "084213000149"
EAN_4 = "7042113000204"


async def test_open_pack_two_packages_keep_cancel_split_submit(
    station: Callable[..., StationApp], omnium_client: OmniumClient
) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await open_order(app, pilot, "ORD-1003", packer="anna")
        # Package 1: one of the two units of line 1 (the other is kept for later), box M, 1.2 kg.
        burst(app, scans(EAN_1, "BOX-M", "3103001200", "CMD-NEW-PACKAGE"))
        # Package 2: line 2, 0.8 kg. Line 3 cancelled, line 4 split to a new shipment.
        burst(app, scans(EAN_2, "3103000800", "CMD-CANCEL-LINE", EAN_3))
        burst(app, scans("CMD-SPLIT-LINE", EAN_4))
        await settle(pilot, app)
        pack = app.screen
        assert isinstance(pack, PackScreen)
        assert pack.session.totals().summary == "2 / 5 units packed, 2 packages"
        assert "2 / 5 units packed, 2 packages" in screen_text(app)
        burst(app, scans("CMD-SUBMIT"))
        await settle(pilot, app)
        assert isinstance(app.screen, ReviewScreen)
        text = screen_text(app)
        assert "KEEP" in text and "CANCEL" in text and "SPLIT" in text
        burst(app, scans("CMD-SUBMIT"))
        await settle(pilot, app)
        tracker = (await workflow_done(pilot, app)).tracker
        assert tracker.outcome is not None and tracker.outcome.state == "done"
        text = screen_text(app)
        assert "SENT" in text
        assert "PrintShippingLabel" in text and "ValidateTrackingNumber" in text
        assert "HE0" in text  # a tracking number from the sandbox carrier
        # The next order's scan leaves the result and opens that order.
        burst(app, scans("ORD-1001"))
        await settle(pilot, app)
        assert isinstance(app.screen, PackScreen)
        assert app.screen.session.order.id == "ORD-1001"

    order = await omnium_client.get_order("ORD-1003")
    by_id = {s.shipment_id: s for s in order.order_form.shipments}
    completed = [s for s in by_id.values() if s.order_status == "PackedAndReady"]
    assert len(completed) == 1
    done = completed[0]
    lines = {line.line_item_id: line for line in done.line_items}
    assert lines["1"].delivered_quantity == Decimal(1)
    assert lines["2"].delivered_quantity == Decimal(1)
    assert lines["3"].canceled_quantity == Decimal(1)
    assert "4" not in lines
    assert len(done.packages) == 2
    weights = sorted(p.weight_in_kg for p in done.packages)
    assert weights == [0.8, 1.2]
    assert all(p.id and p.id == p.barcode and len(p.id) == 18 for p in done.packages)
    # The kept unit stays in the original shipment; the split line went to a new one.
    assert by_id["1"].order_status != "PackedAndReady"
    kept = {line.line_item_id: line for line in by_id["1"].line_items}
    assert kept["1"].quantity == Decimal(1) and kept["1"].delivered_quantity == 0
    split = [s for s in by_id.values() if s not in (done, by_id["1"])]
    assert len(split) == 1 and [line.line_item_id for line in split[0].line_items] == ["4"]


async def test_aborted_workflow_stays_until_acknowledged(
    station: Callable[..., StationApp], omnium_client: OmniumClient
) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        pack = await open_order(app, pilot, "ORD-1017", packer="anna")
        line = pack.session.lines()[0]
        code = line.ean or line.code or ""
        burst(app, scans(*[code] * int(line.packable), "3103000500", "CMD-SUBMIT", "CMD-SUBMIT"))
        await settle(pilot, app)
        screen = await workflow_done(pilot, app)
        text = screen_text(app)
        assert "WORKFLOW ABORTED" in text
        assert "PrintShippingLabel" in text
        assert "workflow stopped here" in text
        # Scanning the next order does not dismiss it.
        bells = 0

        def bell() -> None:
            nonlocal bells
            bells += 1

        app.bell = bell  # type: ignore[method-assign]
        burst(app, scans("ORD-1019"))
        await settle(pilot, app)
        assert app.screen is screen
        assert bells == 1
        await pilot.press("f10")
        await settle(pilot, app)
        assert isinstance(app.screen, OrderScreen)
    order = await omnium_client.get_order("ORD-1017")
    assert any(e.key == "PrintShippingLabel" for e in order.errors)


async def test_queue_opens_with_the_keyboard(station: Callable[..., StationApp]) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        screen = app.screen
        assert isinstance(screen, OrderScreen)
        from textual.widgets import DataTable

        table = screen.query_one("#queue", DataTable)
        await wait_for(pilot, lambda: table.row_count > 0)
        assert "ORD-1038" not in [str(k.value) for k in table.rows]  # ships from WH-BERGEN
        first = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, PackScreen)
        assert app.screen.session.order.id == first


async def test_typing_an_order_id_on_the_keyboard(station: Callable[..., StationApp]) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        await pilot.press(*"ORD-1001", "enter")
        await settle(pilot, app)
        assert isinstance(app.screen, PackScreen)
        assert app.screen.session.order.id == "ORD-1001"


async def test_review_decisions_by_key_and_reprint_labels(
    station: Callable[..., StationApp], omnium_client: OmniumClient, tmp_path: object
) -> None:
    app = station(print_carrier_labels=False, split_warehouses=["WH-BERGEN"])
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        burst(app, scans("USER-anna", "ORD-1003", EAN_1, EAN_2, "3103001000", "CMD-SUBMIT"))
        await settle(pilot, app)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        pack = review.pack
        # Cursor on the first unpacked line (line 1, one unit left): cancel it by key.
        await pilot.press("f3")
        await settle(pilot, app)
        assert str(pack.session.line("1").decision) == "cancel"
        await pilot.press("down", "f4")  # line 3: split
        await settle(pilot, app)
        assert str(pack.session.line("3").decision) == "split"
        await pilot.press("down", "f5")  # line 4: split to another warehouse, from the list
        await settle(pilot, app)
        assert isinstance(app.screen, SplitTargetScreen)
        assert "NH-1020" in screen_text(app)  # the dialog names the line being split
        await pilot.press("down", "enter")  # a new shipment here, then WH-BERGEN
        await settle(pilot, app)
        line4 = pack.session.line("4")
        assert str(line4.decision) == "split"
        assert line4.split_target is not None and line4.split_target.warehouse_code == "WH-BERGEN"
        await pilot.press("f2")  # back to keep? no: cursor is on line 4 -> keep
        await settle(pilot, app)
        assert str(pack.session.line("4").decision) == "keep"
        assert isinstance(app.screen, ReviewScreen)
        # Changes made on the review are part of it: one CMD-SUBMIT sends.
        burst(app, scans("CMD-SUBMIT"))
        await settle(pilot, app)
        screen = await workflow_done(pilot, app)
        assert screen.tracker.outcome is not None and screen.tracker.outcome.state == "done"
        await pilot.press("f3")  # reprint: a list of the sent packages, "all" first
        await wait_for(pilot, lambda: isinstance(app.screen, ReprintScreen))
        await pilot.press("enter")
        spool = app.settings.data_dir / "spool"
        await wait_for(pilot, lambda: spool.is_dir() and any(spool.iterdir()))
        assert len(list(spool.iterdir())) == 1
    order = await omnium_client.get_order("ORD-1003")
    assert order.line("1") is not None and order.line("1").canceled_quantity == Decimal(1)


async def test_locked_order_waits_and_the_packer_goes_on(
    station: Callable[..., StationApp], sandbox_app: FastAPI, omnium_client: OmniumClient
) -> None:
    from packstation.station.retry_policy import RetryPolicy
    from packstation.tui.widgets import StationBar

    app = station()
    app.retry_policy = RetryPolicy(base_delay=0.2, max_delay=0.4, jitter=0, max_conflicts=1000)

    async def lock_order(seconds: float) -> None:
        await fault(sandbox_app, omnium_client, "ORD-1001", kind="lock", seconds=seconds)

    # Locked until the packer has gone on to the next order, then let go: a 5 s lock counted
    # from before the station started ran out under load before F9 (the submit went through).
    await lock_order(600)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        burst(app, scans("USER-anna", "ORD-1001", "7042113000037", "3103000300"))
        burst(app, scans("CMD-SUBMIT", "CMD-SUBMIT"))
        await settle(pilot, app)
        flow = app.screen
        assert isinstance(flow, WorkflowScreen)
        await wait_for(pilot, lambda: "waiting" in screen_text(app))
        assert "locked" in screen_text(app)
        await pilot.press("f9")  # go on to the next order while it waits
        await settle(pilot, app)
        assert isinstance(app.screen, OrderScreen)
        bar = app.screen.query_one(StationBar)
        assert bar.pending == 1
        assert "Pending submits: 1" in screen_text(app)
        assert not flow.tracker.finished
        await lock_order(0.001)  # let go: the next try goes through
        burst(app, scans("ORD-1002"))
        await settle(pilot, app)
        assert isinstance(app.screen, PackScreen)
        await wait_for(pilot, lambda: flow.tracker.finished, seconds=20)
        await wait_for(pilot, lambda: "Pending submits: 0" in screen_text(app))
        assert flow.tracker.outcome is not None and flow.tracker.outcome.state == "done"
    order = await omnium_client.get_order("ORD-1001")
    assert [s.order_status for s in order.order_form.shipments] == ["PackedAndReady"]
    assert len(order.order_form.shipments[0].packages) == 1


async def submit_in_two_packages(pilot: Pilot[Any], app: StationApp) -> WorkflowScreen:
    """Pack all of ORD-1003 into two weighed packages, submit, wait for the outcome."""
    await started(pilot, app)
    burst(app, scans("USER-anna", "ORD-1003", EAN_1, EAN_1, "3103001000"))
    burst(app, scans("CMD-NEW-PACKAGE", EAN_2, EAN_3, EAN_4, "3103000500"))
    burst(app, scans("CMD-SUBMIT", "CMD-SUBMIT"))
    await settle(pilot, app)
    return await workflow_done(pilot, app)


def sent_shipment(screen: WorkflowScreen) -> Shipment:
    """The shipment holding the two packages, as the last workflow result left it."""
    result = screen.tracker.results[-1]
    assert result is not None and result.order is not None
    shipment = result.order.shipment(screen.tracker.package_shipments[0])
    assert shipment is not None and len(shipment.packages) == 2
    return shipment


async def test_labels_print_after_a_successful_submit(
    station: Callable[..., StationApp],
) -> None:
    # print_labels on and no print command: each sent package's label lands in the spool.
    app = station(print_carrier_labels=False, print_labels=True, label_format="zpl")
    async with app.run_test(size=SIZE) as pilot:
        screen = await submit_in_two_packages(pilot, app)
        spool = app.settings.data_dir / "spool"
        await wait_for(pilot, lambda: spool.is_dir() and len(list(spool.iterdir())) == 2)
        labels = sorted(path.read_text() for path in spool.iterdir())
    shipment = sent_shipment(screen)
    for package in shipment.packages:
        tracking = package.shipment_tracking
        assert tracking is not None and tracking.shipment_tracking_number
        # The label carries the SSCC and the tracking number booking returned.
        assert any(
            package.id in label and tracking.shipment_tracking_number in label for label in labels
        )


async def test_no_labels_print_when_printing_is_off(station: Callable[..., StationApp]) -> None:
    app = station(print_carrier_labels=False)
    async with app.run_test(size=SIZE) as pilot:
        pack = await open_order(app, pilot, "ORD-1001", packer="anna")
        line = pack.session.lines()[0]
        burst(app, scans(line.ean or line.code or "", "3103000500", "CMD-SUBMIT", "CMD-SUBMIT"))
        await settle(pilot, app)
        screen = await workflow_done(pilot, app)
        assert screen.tracker.outcome is not None and screen.tracker.outcome.state == "done"
    assert not (app.settings.data_dir / "spool").exists()


async def test_reprint_one_package_of_several(station: Callable[..., StationApp]) -> None:
    app = station(print_carrier_labels=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await submit_in_two_packages(pilot, app)
        await settle(pilot, app)
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, ReprintScreen))
        await pilot.press("down", "down", "enter")  # the second package only
        spool = app.settings.data_dir / "spool"
        await wait_for(pilot, lambda: spool.is_dir() and any(spool.iterdir()))
        await settle(pilot, app)
        printed = list(spool.iterdir())
    shipment = sent_shipment(screen)
    second = shipment.packages[1].id
    assert second is not None
    assert len(printed) == 1
    assert second in printed[0].read_text()
    assert shipment.packages[0].id not in printed[0].read_text()


async def test_a_finished_submit_is_let_go(station: Callable[..., StationApp]) -> None:
    # Issue 12 item 10: the app kept every submit (and its results) for the whole shift.
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        pack = await open_order(app, pilot, "ORD-1003", packer="anna")
        codes = [ln.ean or ln.code or "" for ln in pack.session.lines() for _ in range(2)]
        burst(app, scans(*codes[:1], "3103000500", "CMD-SUBMIT"))
        await settle(pilot, app)
        assert isinstance(app.screen, ReviewScreen)
        burst(app, scans("CMD-SUBMIT"))
        await settle(pilot, app)
        screen = await workflow_done(pilot, app)
        await wait_for(pilot, lambda: not app.trackers)
        assert screen.tracker.outcome is not None and screen.tracker.outcome.state == "done"
        assert app.sender._order_locks == {}
        await pilot.press("f10")
        await settle(pilot, app)
        assert isinstance(app.screen, OrderScreen)
