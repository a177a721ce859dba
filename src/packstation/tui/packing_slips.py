"""After a submit: print Omnium's order document (packing slip) for each shipment sent.

The printer routing is imported where a slip is printed, as in `tui.labels`: the station's start
does not need it.
"""

from __future__ import annotations

from functools import partial

from packstation.devices.documents import DocumentKind
from packstation.i18n import _, ngettext
from packstation.omnium.errors import OmniumError
from packstation.tui.printer_wait import stopped_waiting, wait_for_printer
from packstation.tui.station import Station
from packstation.tui.tracker import SubmitTracker
from packstation.tui.waiting import RequestCancelled


async def print_packing_slips(app: Station, tracker: SubmitTracker) -> list[str]:
    """Fetch `GET /api/Orders/GetAsPdf/{orderId}?shipmentId=…` per shipment and print it
    (Escape on the workflow screen stops waiting for the printer: `tracker.printing`)."""
    from packstation.devices.routing import print_document  # deferred: see the docstring

    settings = app.settings
    messages: list[str] = []
    printed: set[str] = set()  # messages of the slips a printer took (not spooled, not failed)
    shipments = tracker.package_shipments or [""]
    what = _("packing slip of order {order_id}").format(order_id=tracker.order_id)
    for shipment_id in dict.fromkeys(shipments):
        try:
            pdf = await app.client.get_order_pdf(
                tracker.order_id,
                shipment_id=shipment_id or None,
                template_file=settings.packing_slip_template or None,
            )
        except OmniumError as err:
            app.bell()
            messages.append(_("Packing slip not printed: {reason}").format(reason=err))
            continue
        suffix = f"-{shipment_id}" if shipment_id else ""
        name = f"{tracker.order_id}{suffix}-packing-slip.pdf".replace("/", "_")
        work = partial(print_document, DocumentKind.PACKING_SLIP, name, pdf, settings)
        try:
            result = await wait_for_printer(app, tracker.printing, what, work)
        except RequestCancelled:
            messages.append(stopped_waiting(app, what))
            return messages
        messages.append(result.message)
        if result.printed:
            printed.add(result.message)
    for message in messages:
        severity = "information" if message in printed else "warning"
        count = len(messages)
        title = ngettext("{count} packing slip", "{count} packing slips", count)
        app.notify(message, title=title.format(count=count), severity=severity, timeout=8)
    return messages
