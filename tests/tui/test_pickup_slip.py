"""After a submit the station prints a pickup slip (click and collect) and Omnium's packing slip
(print_packing_slip), each through its printer route, against the sandbox."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

from fastapi import FastAPI
from textual.widgets import OptionList
from tui_support import SIZE, burst, open_order, scans, settle, wait_for

from packstation.sandbox.runtime import SandboxRuntime
from packstation.tui.app import StationApp
from packstation.tui.screens.reprint import PICKUP_SLIP, ReprintScreen
from packstation.tui.screens.workflow import WorkflowScreen


def svg_texts(path: Path) -> list[str]:
    return [html.unescape(t) for t in re.findall(r"<text[^>]*>(.*?)</text>", path.read_text())]


async def send_everything(app: StationApp, pilot: object, order_id: str) -> WorkflowScreen:
    pack = await open_order(app, pilot, order_id, packer="anna")  # type: ignore[arg-type]
    codes = [
        line.ean or line.code or ""
        for line in pack.session.lines()
        for _ in range(int(line.remaining))
    ]
    burst(app, scans(*codes, "CMD-SUBMIT", "CMD-SUBMIT"))
    await settle(pilot, app)  # type: ignore[arg-type]
    flow = app.screen
    assert isinstance(flow, WorkflowScreen)
    await wait_for(pilot, lambda: flow.tracker.finished)  # type: ignore[arg-type]
    return flow


async def test_a_click_and_collect_order_prints_its_pickup_slip_with_the_shelf(
    station: Callable[..., StationApp], sandbox_app: FastAPI, tmp_path: Path
) -> None:
    app = station(
        print_labels=True,
        label_format="svg",
        printers={"pickup_slip": "spool", "sscc_label": "spool"},
        pickup_shelf="C-3",
    )
    spool = app.settings.data_dir / "spool"
    async with app.run_test(size=SIZE) as pilot:
        flow = await send_everything(app, pilot, "ORD-1012")
        await wait_for(pilot, lambda: any(spool.glob("ORD-1012-pickup*.svg")))
        # Every print of the submit is done once its tracker leaves the app.
        await wait_for(pilot, lambda: flow.tracker.submit_id not in app.trackers)
        # The slip is the parcel's only label: no carrier label, no SSCC shipping label.
        assert [p.name for p in spool.glob("ORD-1012*")] == ["ORD-1012-pickup.svg"]
        assert not flow.tracker.carrier_labels
        # CMD-REPRINT on the workflow screen prints the slip again, still no package label.
        burst(app, scans("CMD-REPRINT"))
        await wait_for(pilot, lambda: len(list(spool.glob("ORD-1012*"))) == 2)
        assert all("pickup" in p.name for p in spool.glob("ORD-1012*"))
        # F3 offers the slip first; Enter prints it a third time.
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, ReprintScreen))
        choice = app.screen.query_one(OptionList)
        assert choice.get_option_at_index(0).id == PICKUP_SLIP
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(list(spool.glob("ORD-1012*"))) == 3)
        assert all("pickup" in p.name for p in spool.glob("ORD-1012*"))
    runtime: SandboxRuntime = sandbox_app.state.sandbox
    order = runtime.store.get_order("ORD-1012")
    assert order is not None and order.customer_name
    slip = spool / "ORD-1012-pickup.svg"
    texts = svg_texts(slip)
    assert texts[0] == "PICKUP - CLICK AND COLLECT"
    assert (order.order_number or order.id) in texts
    assert order.customer_name in texts and "C-3" in texts


async def test_an_online_order_prints_no_pickup_slip(
    station: Callable[..., StationApp], tmp_path: Path
) -> None:
    app = station(
        print_labels=True,
        label_format="svg",
        printers={"pickup_slip": "spool", "sscc_label": "spool"},
        pickup_shelf="C-3",
    )
    spool = app.settings.data_dir / "spool"
    async with app.run_test(size=SIZE) as pilot:
        pack = await open_order(app, pilot, "ORD-1001", packer="anna")
        codes = [line.ean or line.code or "" for line in pack.session.lines()]
        burst(app, scans(*codes, "3103000500", "CMD-SUBMIT", "CMD-SUBMIT"))
        await settle(pilot, app)
        flow = app.screen
        assert isinstance(flow, WorkflowScreen)
        await wait_for(pilot, lambda: flow.tracker.finished)
        await wait_for(pilot, lambda: any(spool.glob("ORD-1001-*.svg")))  # its SSCC label
        await settle(pilot, app)
    assert not list(spool.glob("*pickup*"))


async def test_print_packing_slip_prints_omniums_order_document_for_the_shipment(
    station: Callable[..., StationApp], tmp_path: Path
) -> None:
    app = station(
        print_packing_slip=True, packing_slip_template="slip", printers={"packing_slip": "spool"}
    )
    spool = app.settings.data_dir / "spool"
    async with app.run_test(size=SIZE) as pilot:
        pack = await open_order(app, pilot, "ORD-1001", packer="anna")
        codes = [line.ean or line.code or "" for line in pack.session.lines()]
        burst(app, scans(*codes, "3103000500", "CMD-SUBMIT", "CMD-SUBMIT"))
        await settle(pilot, app)
        flow = app.screen
        assert isinstance(flow, WorkflowScreen)
        await wait_for(pilot, lambda: flow.tracker.finished)
        await wait_for(pilot, lambda: any(spool.glob("ORD-1001-1-packing-slip*.pdf")))
    [slip] = spool.glob("ORD-1001-1-packing-slip*.pdf")
    assert slip.read_bytes().startswith(b"%PDF-")
