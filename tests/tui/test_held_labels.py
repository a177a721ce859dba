"""A parcel whose workflow aborted (or failed after the answer) is set aside: no package label,
carrier label or packing slip prints for it, and the packer is told what was not printed.
Against the in-process sandbox (tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from test_carrier_booking import hold_background_steps, pack_all, quit_while_waiting
from tui_support import SIZE, burst, scans, screen_text, settle, started, wait_for

from packstation.station import booking_waits
from packstation.tui.app import StationApp

PRINTING = {
    "booking_poll_seconds": 0.05,
    "print_labels": True,
    "print_packing_slip": True,
    "label_format": "svg",
}


def spooled(app: StationApp, order_id: str) -> list[str]:
    """The names of the order's documents in the spool folder."""
    return sorted(p.name for p in (app.settings.data_dir / "spool").glob(f"{order_id}*"))


async def test_an_aborted_workflow_prints_no_label_and_says_what_was_held(
    station: Callable[..., StationApp],
) -> None:
    app = station(**PRINTING)
    async with app.run_test(size=SIZE) as pilot:
        screen = await pack_all(app, pilot, "ORD-1017")  # fail:PrintShippingLabel, in the answer
        tracker = screen.tracker
        await wait_for(pilot, lambda: bool(tracker.held))
        await settle(pilot, app)
        text = screen_text(app)
        burst(app, scans("CMD-REPRINT"))  # the packer tries anyway
        await settle(pilot, app)
        said = [n.message for n in app._notifications]
    assert tracker.aborted
    assert tracker.held.startswith(
        "Not printed: package labels, carrier label, packing slip — the workflow aborted"
    )
    assert "Not printed: package labels, carrier label, packing slip" in text
    assert any("is set aside (the workflow aborted): no label prints here" in m for m in said)
    assert spooled(app, "ORD-1017") == []


async def test_a_booking_that_fails_after_the_answer_prints_no_package_label(
    station: Callable[..., StationApp],
) -> None:
    app = station(**PRINTING)
    async with app.run_test(size=SIZE) as pilot:
        screen = await pack_all(app, pilot, "ORD-1036")  # Budbee, fails after the answer
        tracker = screen.tracker
        await wait_for(pilot, lambda: bool(tracker.held))
        await settle(pilot, app)
        text = screen_text(app)
    assert tracker.failed_later
    assert "a step failed after Omnium's answer" in tracker.held
    assert "Not printed: package labels, carrier label, packing slip" in text
    assert spooled(app, "ORD-1036") == []


async def test_a_successful_submit_still_prints_everything(
    station: Callable[..., StationApp],
) -> None:
    app = station(**PRINTING)
    async with app.run_test(size=SIZE) as pilot:
        screen = await pack_all(app, pilot, "ORD-1001")
        tracker = screen.tracker
        await wait_for(pilot, lambda: len(spooled(app, "ORD-1001")) == 3)
    assert not tracker.held
    names = spooled(app, "ORD-1001")
    assert any(n.endswith(".svg") for n in names)  # the station's own package label
    assert any("-carrier-" in n for n in names) and any("packing-slip" in n for n in names)


async def test_a_booking_that_failed_while_stopped_prints_no_package_label_at_start(
    station: Callable[..., StationApp], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    gate = hold_background_steps(monkeypatch)
    submit_id = await quit_while_waiting(station(**PRINTING), "ORD-1036", gate)
    again = station(**PRINTING)
    async with again.run_test(size=SIZE) as pilot:
        await started(pilot, again)
        await wait_for(
            pilot, lambda: booking_waits.state_of(again.store, submit_id)[0] != "waiting"
        )
        await settle(pilot, again)
    assert booking_waits.state_of(again.store, submit_id)[0] == booking_waits.FAILED
    assert spooled(again, "ORD-1036") == []
