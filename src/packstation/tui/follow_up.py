"""Each print after a submit's answer happens once, also across a quit or a crash.

A print step is claimed in the store (`station.follow_ups`) before its document goes out and
marked done after. Started again after a stop, a step already done is skipped, and a step the
stop cut short is not printed again by itself: it may have reached the printer, and a second
carrier label or SSCC label on the bench is a parcel mix-up waiting to happen. The packer is
told to look at the printer and reprint if nothing came out.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from packstation.station import follow_ups
from packstation.tui.station import Station

T = TypeVar("T")


async def print_once(
    app: Station,
    submit_id: int,
    step: str,
    what: str,
    order_id: str,
    run: Callable[[], Awaitable[T]],
) -> T | None:
    """Run the print step `run` unless an earlier run did it or was stopped in it (None then)."""
    state = await app.in_thread(follow_ups.begin_step, app.store, submit_id, step)
    if state == follow_ups.INTERRUPTED:
        app.bell()
        app.notify(
            f"Order {order_id}: the station stopped while it printed the {what}, so it may or "
            "may not have printed; it is not printed again by itself. Look at the printer: "
            "if it is not there, CMD-REPRINT (or F6 on the desk) prints it.",
            title="Printing cut short",
            severity="warning",
            timeout=60,
            markup=False,
        )
        return None
    if state is not None:
        return None  # printed before the station stopped
    result = await run()
    await app.in_thread(follow_ups.end_step, app.store, submit_id, step)
    return result


async def close_follow_up(app: Station, submit_id: int) -> None:
    """Record that nothing more follows this submit's answer."""
    await app.in_thread(follow_ups.close, app.store, submit_id)
