"""At start: take up the carrier-booking waits a previous run was stopped in.

The station records each wait before it follows an order (`station.booking_waits`). A row
still waiting at start means the station quit (or crashed) before the carrier's tracking number
came: the order is followed again, bounded as after a submit, and then the carrier labels print,
or the step that failed meanwhile is raised like an abort (the parcel must not go out).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from packstation.i18n import _
from packstation.omnium.models import OmniumOrder
from packstation.station import booking_waits, follow_ups
from packstation.station.booking import WAITING_TEXT, follow_booking
from packstation.station.booking_waits import WaitRecord
from packstation.tui.after_answer import booking_alert
from packstation.tui.carrier_labels import print_carrier_labels
from packstation.tui.follow_up import close_follow_up, print_once
from packstation.tui.labels import reprint_order_labels
from packstation.tui.packing_slips import print_packing_slips
from packstation.tui.station import Station
from packstation.tui.tracker import SubmitTracker


async def resume_booking_waits(app: Station) -> None:
    """Follow again every wait the previous run left, one after the other."""
    records: list[WaitRecord] = await app.in_thread(booking_waits.waiting, app.store)
    for record in records:
        await resume_one(app, record)


async def resume_one(app: Station, record: WaitRecord) -> str:
    """Follow one order again until booked, failed or the wait ends; the message shown."""
    settings = app.settings
    app.notify(
        _("Order {order_id}: {waiting} (the station stopped while it waited)").format(
            order_id=record.order_id, waiting=WAITING_TEXT
        ),
        title=_("Carrier booking"),
        timeout=10,
    )
    wait = await follow_booking(
        app.client,
        record.order_id,
        record.shipment_ids,
        record.errors_before,
        wait_seconds=settings.booking_wait_seconds,
        poll_seconds=settings.booking_poll_seconds,
        sleep=asyncio.sleep,
    )
    if wait.errors:
        # Set aside, as after a submit: no label makes the parcel look ready to go.
        await app.in_thread(
            booking_waits.end, app.store, record.submit_id, booking_waits.FAILED, wait.summary
        )
        app.raise_alert(booking_alert(record.order_id, wait.summary))
        await close_follow_up(app, record.submit_id)
        return wait.summary
    order = wait.order
    if settings.print_labels and order is not None:
        # After a submit the package labels print once the wait ends (tui/flow.py run_sender):
        # the stop came before that, so they print now (once: not if they printed before the
        # stop), with the booked tracking numbers.
        await print_once(
            app,
            record.submit_id,
            follow_ups.PACKAGE_LABELS,
            "package labels",
            record.order_id,
            lambda: print_shipments_labels(app, order, record.shipment_ids),
        )
    if not wait.booked or order is None:
        message = f"Order {record.order_id}: {wait.summary}"
        await app.in_thread(
            booking_waits.end, app.store, record.submit_id, booking_waits.TIMED_OUT, message
        )
        app.bell()
        app.notify(message, title=_("Carrier booking"), severity="warning", timeout=30)
    else:
        message = f"Order {record.order_id}: {wait.summary}"
        if settings.print_carrier_labels:
            # print_carrier_labels says "Carrier label printed (…)" or why not, itself.
            printed = await print_once(
                app,
                record.submit_id,
                follow_ups.CARRIER_LABELS,
                "carrier label",
                record.order_id,
                lambda: print_carrier_labels(app, order, record.shipment_ids),
            )
            message = printed or message
        else:
            app.notify(message, title=_("Carrier booking"), timeout=10)
        await app.in_thread(
            booking_waits.end, app.store, record.submit_id, booking_waits.DONE, message
        )
    if settings.print_packing_slip:
        # Printed after the carrier labels after a submit: the stop came before them too.
        slips = SubmitTracker(
            submit_id=record.submit_id,
            order_id=record.order_id,
            request_count=0,
            package_shipments=list(record.shipment_ids),
        )
        await print_once(
            app,
            record.submit_id,
            follow_ups.PACKING_SLIPS,
            "packing slip",
            record.order_id,
            lambda: print_packing_slips(app, slips),
        )
    await close_follow_up(app, record.submit_id)

    return message


async def print_shipments_labels(
    app: Station, order: OmniumOrder, shipment_ids: Sequence[str]
) -> list[str]:
    """Print the package labels of these shipments of the order; the messages shown."""
    messages: list[str] = []
    for shipment_id in shipment_ids:
        messages.extend(await reprint_order_labels(app, order, shipment_id))
    return messages
