"""What follows a submit's answer survives a stop (quit, crash, kill): not lost, not twice.

Each test stops the first station at one point after Omnium's answer (the follow-up patched to
stop there, as a kill leaves the store) and starts a second one on the same store. Against the
in-process sandbox (tests/conftest.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from test_carrier_booking import hold_background_steps, pack_all
from tui_support import SIZE, settle, started, wait_for

from packstation.station import booking_waits, follow_ups
from packstation.tui import flow
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


def kinds(names: list[str]) -> list[str]:
    """What each spooled document is: carrier label, packing slip or the station's label."""
    return sorted(
        "carrier" if "-carrier-" in n else "slip" if "packing-slip" in n else "label" for n in names
    )


async def never(*_args: Any, **_kwargs: Any) -> None:
    """A step the station is stopped in (it never ends)."""
    await asyncio.Event().wait()


async def stopped_after_the_answer(app: StationApp, order_id: str) -> int:
    """Pack and send the order; the station stops once the answer is stored: its submit id
    (the app's store can still be read afterwards)."""
    async with app.run_test(size=SIZE) as pilot:
        screen = await pack_all(app, pilot, order_id)
        tracker = screen.tracker
        await wait_for(pilot, lambda: tracker.finished)
        await settle(pilot, app)
    return tracker.submit_id


async def start_again(app: StationApp, done: Callable[[], bool]) -> None:
    """Start the station on the same store and wait until `done()`."""
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        await wait_for(pilot, done)
        await settle(pilot, app)


async def test_a_stop_between_the_answer_and_the_follow_up_loses_nothing(
    station: Callable[..., StationApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as stop:
        stop.setattr(flow, "after_the_answer", never)  # killed right after the answer
        first = station(**PRINTING)
        submit_id = await stopped_after_the_answer(first, "ORD-1001")
    assert spooled(first, "ORD-1001") == []
    assert follow_ups.state_of(first.store, submit_id) == follow_ups.DUE
    again = station(**PRINTING)
    await start_again(again, lambda: follow_ups.state_of(again.store, submit_id) == follow_ups.DONE)
    # The package label, the carrier label and the packing slip, each once.
    assert kinds(spooled(again, "ORD-1001")) == ["carrier", "label", "slip"]
    # Once more: nothing is owed, nothing prints again.
    third = station(**PRINTING)
    await start_again(third, lambda: True)
    assert kinds(spooled(third, "ORD-1001")) == ["carrier", "label", "slip"]


async def test_labels_printed_before_a_stop_in_the_booking_wait_are_not_printed_again(
    station: Callable[..., StationApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as stop:
        # Killed after the package label printed, before the carrier label's turn.
        real = flow.print_once

        async def until_the_carrier_label(*args: Any) -> Any:
            if args[2] == follow_ups.CARRIER_LABELS:
                await never()
            return await real(*args)

        stop.setattr(flow, "print_once", until_the_carrier_label)
        first = station(**PRINTING)
        submit_id = await stopped_after_the_answer(first, "ORD-1035")
    assert kinds(spooled(first, "ORD-1035")) == ["label"]
    assert booking_waits.state_of(first.store, submit_id) == (booking_waits.WAITING, None)
    again = station(**PRINTING)
    await start_again(again, lambda: follow_ups.state_of(again.store, submit_id) == follow_ups.DONE)
    # Taken up as a booking wait: the carrier label and the slip, and the label not again.
    assert kinds(spooled(again, "ORD-1035")) == ["carrier", "label", "slip"]


async def test_a_print_cut_short_is_not_repeated_and_the_packer_is_told(
    station: Callable[..., StationApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as stop:
        stop.setattr(flow, "print_submitted_labels", never)  # killed while it printed
        submit_id = await stopped_after_the_answer(station(**PRINTING), "ORD-1001")
    again = station(**PRINTING)
    await start_again(again, lambda: follow_ups.state_of(again.store, submit_id) == follow_ups.DONE)
    said = [n.message for n in again._notifications if n.title == "Printing cut short"]
    assert len(said) == 1
    assert "Order ORD-1001: the station stopped while it printed the package labels" in said[0]
    # It may have reached the printer: not printed again by itself; the rest follows.
    assert kinds(spooled(again, "ORD-1001")) == ["carrier", "slip"]


async def test_a_stop_before_the_booking_wait_is_recorded_still_waits_for_the_booking(
    station: Callable[..., StationApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = hold_background_steps(monkeypatch)
    with monkeypatch.context() as stop:
        stop.setattr(flow, "after_the_answer", never)  # before booking_waits.begin
        submit_id = await stopped_after_the_answer(station(**PRINTING), "ORD-1035")
    again = station(**PRINTING)
    async with again.run_test(size=SIZE) as pilot:
        await started(pilot, again)
        # Not booked yet when the station starts again: it waits, then Omnium books.
        await wait_for(pilot, lambda: booking_waits.state_of(again.store, submit_id) is not None)
        gate.set()
        await wait_for(pilot, lambda: follow_ups.state_of(again.store, submit_id) == "done")
        await settle(pilot, again)
    state = booking_waits.state_of(again.store, submit_id)
    assert state is not None and state[0] == booking_waits.DONE
    assert kinds(spooled(again, "ORD-1035")) == ["carrier", "label", "slip"]
