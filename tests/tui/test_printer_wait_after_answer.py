"""What is printed after a submit's answer (carrier label, pickup slip, packing slip) is under
the same Escape handling as CMD-REPRINT (issue 12 item 6): the packer sees that the station
waits for the printer, Escape stops waiting, and the stopped print sends nothing more."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_carrier_booking import pack_all
from test_pickup_slip import send_everything
from tui_support import SIZE, wait_for

from packstation.devices import routing
from packstation.devices.documents import DocumentKind
from packstation.devices.print_result import PrintOutcome, PrintResult
from packstation.tui import carrier_labels
from packstation.tui.app import StationApp


class HungPrinter:
    """Stands in for print_document: the kind asked for takes the connection and no data."""

    def __init__(self, kind: DocumentKind) -> None:
        self.kind = kind
        self.asked = threading.Event()
        self.release = threading.Event()
        self.stops: list[threading.Event] = []

    def __call__(
        self, kind: DocumentKind, name: str, *_args: Any, stop: Any = None, **_kwargs: Any
    ) -> PrintResult:
        if kind is self.kind:
            self.stops.append(stop)
            self.asked.set()
            self.release.wait(60)
        return PrintResult(PrintOutcome.PRINTED, name, None, None, noun=kind.noun)


CASES = {
    "carrier label": ("ORD-1001", DocumentKind.CARRIER_LABEL, "carrier labels of order ORD-1001"),
    "pickup slip": ("ORD-1012", DocumentKind.PICKUP_SLIP, "pickup slip of order ORD-1012"),
    "packing slip": ("ORD-1001", DocumentKind.PACKING_SLIP, "packing slip of order ORD-1001"),
}


@pytest.mark.parametrize("case", CASES)
async def test_escape_stops_waiting_for_a_print_after_the_answer(
    case: str,
    station: Callable[..., StationApp],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    order_id, kind, what = CASES[case]
    hung = HungPrinter(kind)
    monkeypatch.setattr(carrier_labels, "print_document", hung)
    monkeypatch.setattr(routing, "print_document", hung)
    app = station(
        print_labels=True,  # the pickup slip is printed in place of the package labels
        print_packing_slip=kind is DocumentKind.PACKING_SLIP,
        packing_slip_template="slip",
        pickup_shelf="C-3",
    )
    try:
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            if kind is DocumentKind.PICKUP_SLIP:
                flow = await send_everything(app, pilot, order_id)
            else:
                flow = await pack_all(app, pilot, order_id)  # with the parcel's weight
            await wait_for(pilot, hung.asked.is_set)
            await wait_for(pilot, lambda: f"Waiting for the printer ({what})" in said(app))
            await pilot.press("escape")
            await wait_for(pilot, lambda: f"Stopped waiting for the printer ({what})" in said(app))
            assert "cannot be cancelled" not in said(app)
            # The abandoned print sends nothing more, and the submit's printing is over.
            assert [stop.is_set() for stop in hung.stops] == [True]
            await wait_for(pilot, lambda: flow.tracker.submit_id not in app.trackers)
    finally:
        hung.release.set()


def said(app: StationApp) -> str:
    """Every notification the app has shown, one per line."""
    return "\n".join(n.message for n in app._notifications)
