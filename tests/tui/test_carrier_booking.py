"""An Online order packed on the station: booked (in the answer or after it), its carrier label
downloaded and printed; a booking that fails after the answer shows like an abort and is a
case on the desk. Against the in-process sandbox (tests/conftest.py)."""

from __future__ import annotations

import asyncio
import dataclasses
import io
import sys
from collections.abc import Callable
from pathlib import Path

import pypdfium2
import pytest
from fastapi import FastAPI
from textual.widgets import OptionList
from tui_support import SIZE, burst, open_order, scans, screen_text, settle, started, wait_for

from packstation.omnium.client import OmniumClient
from packstation.sandbox import background
from packstation.sandbox.runtime import SandboxRuntime
from packstation.station import booking_waits
from packstation.station.booking import WAITING_TEXT
from packstation.tui.app import StationApp
from packstation.tui.screens.reprint import ALL_PACKAGES, CARRIER, ReprintScreen
from packstation.tui.screens.supervisor import SupervisorScreen
from packstation.tui.screens.workflow import WorkflowScreen

# The labels tests' independent decoder (zxing-cpp).
sys.path.insert(0, str(Path(__file__).parents[1] / "labels"))
from labels_support import decode_image, decode_modules, zpl_barcodes, zpl_bc_modules


def pdf_codes(content: bytes) -> list[str]:
    """The Code 128 symbols on the PDF's first page, rendered by pdfium."""
    pdf = pypdfium2.PdfDocument(io.BytesIO(content))
    return [d.raw for d in decode_image(pdf[0].render(scale=300 / 72).to_pil().convert("L"))]


async def pack_all(app: StationApp, pilot: object, order_id: str) -> WorkflowScreen:
    pack = await open_order(app, pilot, order_id, packer="anna")  # type: ignore[arg-type]
    codes = [
        line.ean or line.code or ""
        for line in pack.session.lines()
        for _ in range(int(line.packable))
    ]
    burst(app, scans(*codes, "3103000500", "CMD-SUBMIT", "CMD-SUBMIT"))
    await settle(pilot, app)  # type: ignore[arg-type]
    screen = app.screen
    assert isinstance(screen, WorkflowScreen)
    return screen


async def test_an_online_order_is_booked_and_its_carrier_label_printed(
    station: Callable[..., StationApp], omnium_client: OmniumClient, tmp_path: Path
) -> None:
    printed = tmp_path / "printed"
    printed.mkdir()
    app = station(printers={"carrier_label": f"command:cp {{file}} {printed}"})
    async with app.run_test(size=SIZE) as pilot:
        screen = await pack_all(app, pilot, "ORD-1001")
        tracker = screen.tracker
        await wait_for(pilot, lambda: bool(tracker.carrier_labels))
        await settle(pilot, app)
        text = screen_text(app)
        assert tracker.carrier_labels == "Carrier label printed (1 package)"
        assert "Carrier label printed (1 package)" in text
    order = await omnium_client.get_order("ORD-1001")
    shipment = order.order_form.shipments[0]
    assert order.status == "PackedAndReady"
    tracking = shipment.packages[0].shipment_tracking
    assert tracking is not None and tracking.shipment_tracking_number
    assert tracking.shipment_tracking_number in text
    [label] = printed.iterdir()
    assert label.name.startswith("ORD-1001-carrier-") and label.suffix == ".pdf"
    assert pdf_codes(label.read_bytes()) == [tracking.shipment_tracking_number]


async def test_without_a_printer_the_zpl_label_is_spooled_and_says_why(
    station: Callable[..., StationApp], omnium_client: OmniumClient
) -> None:
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        screen = await pack_all(app, pilot, "ORD-1002")  # PostNord: ZPL labels
        await wait_for(pilot, lambda: bool(screen.tracker.carrier_labels))
        message = screen.tracker.carrier_labels
    assert message.startswith("Carrier label not printed on paper: package ")
    assert "saved in the spool folder as " in message and "(no printer set)" in message
    order = await omnium_client.get_order("ORD-1002")
    tracking = order.order_form.shipments[0].packages[0].shipment_tracking
    assert tracking is not None
    [spooled] = (app.settings.data_dir / "spool").glob("ORD-1002-carrier-*.zpl")
    [(_, data)] = zpl_barcodes(spooled.read_text())
    assert [d.raw for d in decode_modules(zpl_bc_modules(data))] == [
        tracking.shipment_tracking_number
    ]


async def test_a_booking_after_the_answer_is_waited_for(
    station: Callable[..., StationApp],
    omnium_client: OmniumClient,
    sandbox_app: FastAPI,
    tmp_path: Path,
) -> None:
    # The booking takes its (scaled) time after the answer, so the wait is seen.
    runtime = sandbox_app.state.sandbox
    runtime.workflow_config = dataclasses.replace(runtime.workflow_config, latency_scale=1.0)
    printed = tmp_path / "printed"
    printed.mkdir()
    app = station(
        booking_poll_seconds=0.05,
        printers={"carrier_label": f"command:cp {{file}} {printed}"},
    )
    seen: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        screen = await pack_all(app, pilot, "ORD-1035")  # Budbee books after the answer
        tracker = screen.tracker
        tracker.listeners.append(lambda t: seen.append(t.booking))
        answered = tracker.answered_order
        await wait_for(pilot, lambda: bool(tracker.carrier_labels))
        await settle(pilot, app)
        text = screen_text(app)
    assert answered is not None
    assert not answered.order_form.shipments[0].shipment_tracking_number  # not in the answer
    assert any(b.startswith(WAITING_TEXT) for b in seen), (
        seen,
        tracker.booking,
        tracker.carrier_labels,
    )
    assert tracker.booking == "the carrier's tracking number arrived"
    order = await omnium_client.get_order("ORD-1035")
    number = order.order_form.shipments[0].shipment_tracking_number
    assert number and number in text
    assert tracker.carrier_labels == "Carrier label printed (1 package)"
    assert len(list(printed.iterdir())) == 1


async def test_a_booking_that_fails_after_the_answer_is_an_abort_and_a_desk_case(
    station: Callable[..., StationApp], omnium_client: OmniumClient
) -> None:
    app = station(booking_poll_seconds=0.05, supervisors=["boss"])
    async with app.run_test(size=SIZE) as pilot:
        screen = await pack_all(app, pilot, "ORD-1036")  # Budbee, fail:PrintShippingLabel
        tracker = screen.tracker
        await wait_for(pilot, lambda: tracker.failed_later)
        await settle(pilot, app)
        text = screen_text(app)
        assert "WORKFLOW FAILED AFTER THE ANSWER" in text
        assert "PrintShippingLabel failed after the answer: Booking rejected by carrier" in text
        assert screen.needs_acknowledgement
        assert not tracker.carrier_labels  # nothing printed for a parcel that must wait
        await pilot.press("f10")
        await settle(pilot, app)
        burst(app, scans("USER-boss"))
        await wait_for(pilot, lambda: isinstance(app.screen, SupervisorScreen))
        desk = app.screen
        assert isinstance(desk, SupervisorScreen)
        await wait_for(pilot, lambda: any(c.order_id == "ORD-1036" for c in desk.cases.values()))
        await settle(pilot, app)
        assert "Booking rejected by carrier" in screen_text(app)


async def test_reprint_offers_the_carrier_label_beside_the_sscc_labels(
    station: Callable[..., StationApp], tmp_path: Path
) -> None:
    printed = tmp_path / "printed"
    printed.mkdir()
    app = station(printers={"carrier_label": f"command:cp {{file}} {printed}"})
    async with app.run_test(size=SIZE) as pilot:
        screen = await pack_all(app, pilot, "ORD-1001")
        await wait_for(pilot, lambda: bool(screen.tracker.carrier_labels))
        [first] = list(printed.iterdir())
        first.unlink()
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, ReprintScreen))
        choices = app.screen.query_one("#reprint-choice", OptionList)
        ids = [choices.get_option_at_index(i).id for i in range(choices.option_count)]
        assert ALL_PACKAGES in ids and CARRIER + "*" in ids
        choices.highlighted = ids.index(CARRIER + "*")
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(list(printed.iterdir())) == 1)
    [again] = list(printed.iterdir())
    assert again.name == first.name


def hold_background_steps(monkeypatch: pytest.MonkeyPatch) -> asyncio.Event:
    """The sandbox's steps after the answer wait until the returned event is set."""
    gate = asyncio.Event()
    run = background._run

    async def held(runtime: SandboxRuntime, what: background.BackgroundRun) -> None:
        await gate.wait()
        await run(runtime, what)

    monkeypatch.setattr(background, "_run", held)
    return gate


async def quit_while_waiting(app: StationApp, order_id: str, gate: asyncio.Event) -> int:
    """Pack the order, quit while the station waits for its booking, then let the booking
    run (as Omnium goes on while the station is stopped); the submit's id."""
    async with app.run_test(size=SIZE) as pilot:
        screen = await pack_all(app, pilot, order_id)
        tracker = screen.tracker
        await wait_for(pilot, lambda: tracker.following)
    assert not tracker.carrier_labels
    assert booking_waits.state_of(app.store, tracker.submit_id) == (booking_waits.WAITING, None)
    gate.set()
    return tracker.submit_id


async def test_a_booking_wait_cut_short_by_a_quit_is_taken_up_at_the_next_start(
    station: Callable[..., StationApp],
    omnium_client: OmniumClient,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    gate = hold_background_steps(monkeypatch)
    printed = tmp_path / "printed"
    printed.mkdir()
    settings = {
        "booking_poll_seconds": 0.05,
        "print_labels": True,
        "label_format": "svg",
        "printers": {"carrier_label": f"command:cp {{file}} {printed}", "sscc_label": "spool"},
    }
    submit_id = await quit_while_waiting(station(**settings), "ORD-1035", gate)
    spool = tmp_path / "station" / "spool"
    assert not list(printed.iterdir())  # the label never printed before the quit
    assert not list(spool.glob("ORD-1035-*"))  # nor the package label
    again = station(**settings)
    async with again.run_test(size=SIZE) as pilot:
        await started(pilot, again)
        await wait_for(pilot, lambda: len(list(printed.iterdir())) == 1)
        await wait_for(
            pilot, lambda: booking_waits.state_of(again.store, submit_id)[0] == booking_waits.DONE
        )
        said = [n.message for n in again._notifications if n.title == "Carrier label"]
        state = booking_waits.state_of(again.store, submit_id)
    assert said == ["Carrier label printed (1 package)"]
    assert state == (booking_waits.DONE, "Carrier label printed (1 package)")
    order = await omnium_client.get_order("ORD-1035")
    tracking = order.order_form.shipments[0].packages[0].shipment_tracking
    assert tracking is not None and tracking.shipment_tracking_number
    [label] = printed.iterdir()
    assert pdf_codes(label.read_bytes()) == [tracking.shipment_tracking_number]
    # The station's own package label printed too, once, with the booked tracking number.
    [package_label] = spool.glob("ORD-1035-*.svg")
    assert tracking.shipment_tracking_number in package_label.read_text()


async def test_a_booking_that_failed_while_the_station_was_stopped_is_raised_at_start(
    station: Callable[..., StationApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = hold_background_steps(monkeypatch)
    settings = {"booking_poll_seconds": 0.05}
    submit_id = await quit_while_waiting(station(**settings), "ORD-1036", gate)
    again = station(**settings)
    async with again.run_test(size=SIZE) as pilot:
        await started(pilot, again)
        await wait_for(pilot, lambda: bool(again.alerts))
        await settle(pilot, again)
        text = screen_text(again)
        state = booking_waits.state_of(again.store, submit_id)
    [alert] = again.alerts
    assert alert.order_id == "ORD-1036"
    failed = "PrintShippingLabel failed after the answer: Booking rejected by carrier"
    assert failed in alert.message
    assert "Do not ship it" in text
    assert state is not None and state[0] == booking_waits.FAILED
    assert not list((again.settings.data_dir / "spool").glob("ORD-1036-carrier-*"))


async def test_a_submit_left_in_the_outbox_is_booked_and_labelled_when_sent_at_the_next_start(
    station: Callable[..., StationApp], omnium_client: OmniumClient, tmp_path: Path
) -> None:
    printed = tmp_path / "printed"
    printed.mkdir()
    settings = {
        "booking_poll_seconds": 0.05,
        "print_labels": True,
        "label_format": "svg",
        "printers": {"carrier_label": f"command:cp {{file}} {printed}", "sscc_label": "spool"},
    }
    first = station(**settings)
    first.send_submit = lambda tracker: None  # type: ignore[method-assign]  # stays in the outbox
    async with first.run_test(size=SIZE) as pilot:
        await pack_all(first, pilot, "ORD-1035")  # Budbee: booked after the answer
        await wait_for(pilot, lambda: first.pending_submits == 1)
    spool = tmp_path / "station" / "spool"
    again = station(**settings)
    async with again.run_test(size=SIZE) as pilot:
        await started(pilot, again)
        await wait_for(pilot, lambda: len(list(printed.iterdir())) == 1)
        await wait_for(pilot, lambda: any(spool.glob("ORD-1035-*.svg")))
        assert again.pending_submits == 0
    order = await omnium_client.get_order("ORD-1035")
    assert order.status == "PackedAndReady"
    tracking = order.order_form.shipments[0].packages[0].shipment_tracking
    assert tracking is not None and tracking.shipment_tracking_number
    [label] = printed.iterdir()
    assert pdf_codes(label.read_bytes()) == [tracking.shipment_tracking_number]
    [package_label] = spool.glob("ORD-1035-*.svg")
    assert tracking.shipment_tracking_number in package_label.read_text()
