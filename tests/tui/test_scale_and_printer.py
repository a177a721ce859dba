"""The station with a simulated MT-SICS scale on a pty and a simulated ZPL printer."""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
from textual.widgets import Input
from tui_support import SIZE, burst, open_order, scans, settle, wait_for, workflow_done

from packstation.config import Settings
from packstation.devices.scale_reading import ScaleReading, ScaleState
from packstation.devices.simulators import SimulatedPrinter, SimulatedScale
from packstation.devices.zpl_status import PrinterStatus
from packstation.tui.app import StationApp
from packstation.tui.scale import ScaleFeed, ScaleReadout
from packstation.tui.screens.package import PackageScreen
from packstation.tui.screens.reprint import ReprintScreen

SPOOLED_NO_PAPER = "Printer out of paper: label not printed on paper, saved in the spool folder as "


@pytest.fixture
def scale() -> Iterator[SimulatedScale]:
    with SimulatedScale("sics") as sim:
        yield sim


@pytest.fixture
def printer() -> Iterator[SimulatedPrinter]:
    with SimulatedPrinter() as fake:
        yield fake


def readout(app: StationApp) -> str:
    return str(app.screen.query_one(ScaleReadout).render())


def notices(app: StationApp, title: str) -> list[str]:
    return [n.message for n in app._notifications if n.title == title]


async def test_package_dialog_shows_the_live_weight_and_takes_it_less_tare(
    station: Callable[..., StationApp], scale: SimulatedScale
) -> None:
    scale.show("1.234")
    app = station(scale_protocol="sics", scale_port=scale.port, scale_weigh_on="key")
    async with app.run_test(size=SIZE) as pilot:
        pack = await open_order(app, pilot, "ORD-1001", packer="anna")
        line = pack.session.lines()[0]
        burst(app, scans(line.ean or line.code or "", "BOX-S"))
        await settle(pilot, app)
        await wait_for(pilot, lambda: "1.234 kg (stable)" in readout(app))
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, PackageScreen))
        await wait_for(pilot, lambda: readout(app) == "Scale: 1.234 kg (stable)")
        scale.show("1.300", stable=False)
        await wait_for(pilot, lambda: "Scale unstable: settling (1.300 kg)" in readout(app))
        await pilot.press("f7")  # unstable: refused in words, nothing recorded
        await settle(pilot, app)
        assert pack.session.packages()[0].weight_kg is None
        assert app.screen.query_one("#weight-error").render().plain.startswith("Scale unstable")
        scale.show("1.234")
        await wait_for(pilot, lambda: readout(app) == "Scale: 1.234 kg (stable)")
        await pilot.press("f7")
        await settle(pilot, app)
        package = next(p for p in pack.session.packages() if p.is_open)
        assert package.weight_kg == Decimal("1.084")  # 1.234 less box S's 0.15 tare
        assert app.screen.query_one("#pkg-weight", Input).value == "1.084"
        assert "Weight 1.084 kg from the scale (1.234 kg less box S 0.15 kg)" in pack.last_banner[0]


async def test_weight_taken_on_submit_scan_and_the_label_reaches_the_printer(
    station: Callable[..., StationApp], scale: SimulatedScale, printer: SimulatedPrinter
) -> None:
    app = station(
        scale_protocol="sics",
        scale_port=scale.port,
        print_labels=True,
        printers={"sscc_label": printer.address},
    )
    async with app.run_test(size=SIZE) as pilot:
        pack = await open_order(app, pilot, "ORD-1001", packer="anna")
        line = pack.session.lines()[0]
        scale.show("0.5", stable=False)
        await wait_for(pilot, lambda: "unstable" in readout(app))
        burst(app, scans(line.ean or line.code or "", "BOX-M", "CMD-NEW-PACKAGE"))
        await settle(pilot, app)
        # Unstable: the command went on, no weight was recorded, the packer was told.
        assert pack.session.packages()[0].weight_kg is None
        assert any("Scale unstable" in m and "weight not taken" in m for m in notices(app, "Scale"))
        burst(app, scans("CMD-UNDO"))  # back into package 1
        await settle(pilot, app)
        scale.show("2.000")
        await wait_for(pilot, lambda: "2.000 kg (stable)" in readout(app))
        burst(app, scans("CMD-SUBMIT"))
        await settle(pilot, app)
        assert pack.session.packages()[0].weight_kg == Decimal("1.650")  # 2.000 less M 0.35
        burst(app, scans("CMD-SUBMIT"))
        await settle(pilot, app)
        screen = await workflow_done(pilot, app)
        assert screen.tracker.outcome is not None and screen.tracker.outcome.state == "done"
        (job,) = printer.wait_for_jobs(1, timeout=15)
    assert job.startswith(b"^XA") and b"1.65 kg" in job


async def test_paper_out_tells_the_packer_and_keeps_the_label(
    station: Callable[..., StationApp], printer: SimulatedPrinter
) -> None:
    printer.status = PrinterStatus(paper_out=True)
    app = station(
        print_labels=True,
        print_carrier_labels=False,
        printers={"sscc_label": printer.address},
    )
    async with app.run_test(size=SIZE) as pilot:
        pack = await open_order(app, pilot, "ORD-1001", packer="anna")
        line = pack.session.lines()[0]
        burst(app, scans(line.ean or line.code or "", "3103000500", "CMD-SUBMIT", "CMD-SUBMIT"))
        await settle(pilot, app)
        await workflow_done(pilot, app)
        await wait_for(pilot, lambda: notices(app, "Label"))
        (message,) = notices(app, "Label")
        assert message.startswith(SPOOLED_NO_PAPER)
        assert pack.session  # still usable
    spool = app.settings.data_dir / "spool"
    assert [p.suffix for p in spool.iterdir() if p.is_file()] == [".zpl"]
    assert printer.jobs == []


async def test_a_scale_unplugged_mid_order_does_not_stop_packing(
    station: Callable[..., StationApp],
) -> None:
    scale = SimulatedScale("sics")
    scale.start()
    scale.show("1.000")
    app = station(scale_protocol="sics", scale_port=scale.port)
    async with app.run_test(size=SIZE) as pilot:
        pack = await open_order(app, pilot, "ORD-1001", packer="anna")
        await wait_for(pilot, lambda: "1.000 kg (stable)" in readout(app))
        scale.stop()
        await wait_for(pilot, lambda: "Scale disconnected" in readout(app), seconds=20)
        assert any("packing goes on" in m for m in notices(app, "Scale"))
        line = pack.session.lines()[0]
        # The scale's GS1 weight label still works.
        burst(app, scans(line.ean or line.code or "", "3103000750"))
        await settle(pilot, app)
        assert pack.session.packages()[0].weight_kg == Decimal("0.75")


async def test_without_a_scale_there_is_no_readout_and_no_weigh_key(
    station: Callable[..., StationApp],
) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await open_order(app, pilot, "ORD-1001", packer="anna")
        assert app.scale_feed is None
        assert not app.screen.query(ScaleReadout)
        assert (
            "f7" not in app.screen.active_bindings or not app.screen.active_bindings["f7"].enabled
        )


async def test_reprint_offers_the_spooled_label_and_sends_it_when_the_printer_is_back(
    station: Callable[..., StationApp], printer: SimulatedPrinter
) -> None:
    printer.status = PrinterStatus(head_open=True)
    app = station(
        print_labels=True,
        print_carrier_labels=False,
        printers={"sscc_label": printer.address},
    )
    async with app.run_test(size=SIZE) as pilot:
        pack = await open_order(app, pilot, "ORD-1001", packer="anna")
        line = pack.session.lines()[0]
        burst(app, scans(line.ean or line.code or "", "3103000500", "CMD-SUBMIT", "CMD-SUBMIT"))
        await settle(pilot, app)
        await workflow_done(pilot, app)
        await wait_for(pilot, lambda: notices(app, "Label"))
        assert notices(app, "Label")[0].startswith(
            "Printer head open: label not printed on paper, saved in the spool folder as "
        )
        printer.status = PrinterStatus()
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, ReprintScreen))
        choices = app.screen.query_one("#reprint-choice")
        texts = [str(choices.get_option_at_index(i).prompt) for i in range(choices.option_count)]
        assert texts[-1].startswith("Waiting in the spool: ORD-1001-1of1-")
        assert texts[-1].endswith(".zpl (Printer head open)")
        await pilot.press("end", "enter")
        await wait_for(pilot, lambda: len(notices(app, "Label")) == 2)
        assert notices(app, "Label")[1].startswith("Printed ORD-1001-1of1-")
        (job,) = printer.wait_for_jobs(1)
    assert job.startswith(b"^XA")
    spool = app.settings.data_dir / "spool"
    assert [p for p in spool.iterdir() if p.is_file()] == []


async def test_a_burst_of_readings_reaches_the_loop_once_newest_first() -> None:
    class FakeApp:
        def __init__(self) -> None:
            self.screen_stack: list[object] = []

        def notify(self, *args: object, **kwargs: object) -> None:
            pass

    settings = Settings(scale_protocol="sics", scale_port="loop://")
    feed = ScaleFeed(FakeApp(), settings)  # type: ignore[arg-type]
    seen: list[ScaleReading] = []
    feed.deliver = seen.append  # type: ignore[method-assign]
    feed._loop = asyncio.get_running_loop()

    def burst() -> None:
        for grams in range(1, 501):
            feed._from_thread(ScaleReading(ScaleState.MOTION, Decimal(grams), "g"))

    thread = threading.Thread(target=burst)
    thread.start()
    thread.join()  # the loop is not free while the thread sends: all 500 wait for it
    await asyncio.sleep(0.01)
    assert seen == [ScaleReading(ScaleState.MOTION, Decimal(500), "g")]


async def test_station_starts_without_a_usable_hidapi_and_says_so(
    station: Callable[..., StationApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "hid", None)  # import hid -> ImportError
    app = station(scale_protocol="hid")
    async with app.run_test(size=SIZE) as pilot:
        pack = await open_order(app, pilot, "ORD-1001", packer="anna")
        await wait_for(pilot, lambda: "hidapi" in readout(app))
        assert readout(app).startswith("Scale disconnected: USB HID scales need hidapi")
        assert any("packing goes on" in m for m in notices(app, "Scale"))
        line = pack.session.lines()[0]
        burst(app, scans(line.ean or line.code or "", "3103000750"))
        await settle(pilot, app)
        assert pack.session.packages()[0].weight_kg == Decimal("0.75")
