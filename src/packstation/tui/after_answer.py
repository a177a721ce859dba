"""What the station does once a submit's answer is in: follow the order for the steps Omnium
runs after its answer, then print the carrier's labels.

Runs in the submit's worker (never on the event loop's critical path); the workflow screen
shows the tracker's `booking` line while it waits.
"""

from __future__ import annotations

import asyncio

from packstation.i18n import _
from packstation.omnium.errors import OmniumError
from packstation.omnium.models import OmniumOrder
from packstation.omnium.order_types import OrderType
from packstation.station import booking_waits
from packstation.station.booking import WAITING_TEXT, follow_booking, needs_following
from packstation.tui.alerts import Alert
from packstation.tui.carrier_labels import print_carrier_labels_checked
from packstation.tui.pickup_slips import is_pickup_order
from packstation.tui.station import Station
from packstation.tui.tracker import SubmitTracker


def order_types(app: Station) -> list[OrderType] | None:
    """Omnium's order type settings as read at start (None when they could not be read)."""
    return list(app.services.order_types) or None


async def follow_after_answer(app: Station, tracker: SubmitTracker) -> None:
    """Re-read the order (bounded) until the shipments sent are booked or a step fails."""
    if not tracker.package_shipments:
        return
    settings = app.settings
    if settings.booking_wait_seconds <= 0:
        return
    order = tracker.answered_order
    if order is None:
        # No answer carried the order (confirmed by re-reading, or an answer stored by a run
        # that stopped before its follow-up): read it, or the booking is never waited for.
        try:
            order = await app.client.get_order(tracker.order_id)
        except OmniumError as err:
            tracker.booking = f"the order could not be read to follow its booking ({err})"
            tracker.changed()
            return
        tracker.followed_order = order
    types = order_types(app)
    if not needs_following(order, tracker.package_shipments, types):
        return
    # Recorded first: a station stopped while it waits takes the wait up at its next start.
    await app.in_thread(
        booking_waits.begin,
        app.store,
        tracker.submit_id,
        tracker.order_id,
        tracker.package_shipments,
        order.errors,
    )
    tracker.wait_recorded = True
    tracker.following = True

    def on_poll(waited: float) -> None:
        tracker.booking = f"{WAITING_TEXT} ({waited:.0f} s)" if waited >= 1 else WAITING_TEXT
        tracker.changed()

    try:
        wait = await follow_booking(
            app.client,
            tracker.order_id,
            tracker.package_shipments,
            order.errors,
            wait_seconds=settings.booking_wait_seconds,
            poll_seconds=settings.booking_poll_seconds,
            sleep=asyncio.sleep,
            on_poll=on_poll,
        )
    finally:
        tracker.following = False
    if wait.order is not None:
        tracker.followed_order = wait.order
    tracker.booking_errors = wait.errors
    tracker.booking = wait.summary
    if not wait.booked:  # booked: the wait ends with its carrier labels
        state = booking_waits.FAILED if wait.errors else booking_waits.TIMED_OUT
        await end_wait(app, tracker, state, wait.summary)
    tracker.changed()
    if wait.errors and not app.showing_submit(tracker):
        app.raise_alert(booking_alert(tracker.order_id, wait.summary))


async def end_wait(app: Station, tracker: SubmitTracker, state: str, message: str) -> None:
    """Record how the submit's booking wait ended (nothing when there was no wait)."""
    if tracker.wait_recorded:
        tracker.wait_recorded = False
        await app.in_thread(booking_waits.end, app.store, tracker.submit_id, state, message)


def booking_alert(order_id: str, why: str) -> Alert:
    """The alert for a step that failed after Omnium's answer (the parcel must not go out)."""
    return Alert(
        order_id,
        _("Set {order_id} aside: {reason}. Do not ship it; it is a supervisor case.").format(
            order_id=order_id, reason=why
        ),
    )


async def carrier_labels_after_answer(app: Station, tracker: SubmitTracker) -> None:
    """Print the carrier labels of the shipments a submit sent (unless it went wrong, or
    `print_carrier_labels` is off); then the booking wait, if there was one, is over."""
    if tracker.failed or tracker.aborted or tracker.failed_later:
        return
    if not app.settings.print_carrier_labels:
        await end_wait(app, tracker, booking_waits.DONE, "print_carrier_labels is off")
        return
    order: OmniumOrder | None = tracker.latest_order
    if order is None:
        try:
            order = await app.client.get_order(tracker.order_id)
        except OmniumError as err:
            tracker.carrier_labels = _(
                "Carrier label not printed: the order could not be read ({reason})"
            ).format(reason=err)
            await end_wait(app, tracker, booking_waits.DONE, tracker.carrier_labels)
            tracker.changed()
            return
    if is_pickup_order(app, order):
        return  # collected in the store: no carrier, whatever the shipment names
    tracker.carrier_labels, tracker.carrier_labels_printed = await print_carrier_labels_checked(
        app, order, tracker.package_shipments, waiting=tracker.printing
    )
    await end_wait(app, tracker, booking_waits.DONE, tracker.carrier_labels)
    tracker.changed()
