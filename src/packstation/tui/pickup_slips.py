"""Click and collect: print the pickup slip in place of package labels (off the event loop).

A click-and-collect parcel never leaves the store: it gets neither a carrier label nor the
station's SSCC shipping label, only the slip the shelf needs (issue 14 item 2).

Deferred imports: the label renderers load Pillow and python-barcode, which a station start
does not need (the same reason as in `tui.labels`).
"""

from __future__ import annotations

from functools import partial

from packstation.devices.documents import DocumentKind
from packstation.i18n import _
from packstation.omnium.models import OmniumOrder
from packstation.packing.rules import PackingRules
from packstation.tui.printer_wait import stopped_waiting, wait_for_printer
from packstation.tui.station import Station
from packstation.tui.waiting import RequestCancelled, Waiting


def is_pickup_order(app: Station, order: OmniumOrder) -> bool:
    """True when the order is collected in a store (its type is in `pickup_order_types`)."""
    return PackingRules.from_settings(app.settings).is_pickup(order.order_type)


async def print_pickup_slip(
    app: Station, order: OmniumOrder, *, waiting: Waiting | None = None
) -> str:
    """Print (or spool) the order's pickup slip; the message shown. With `waiting`, Escape
    stops waiting for the printer (`tui.printer_wait`)."""
    from packstation.devices.routing import print_document  # deferred: see the docstring
    from packstation.labels.pickup_slip import (
        pickup_slip_filename,
        pickup_slip_for,
        render_pickup_slip,
    )

    settings = app.settings
    slip = pickup_slip_for(order, settings.pickup_shelf)
    content = render_pickup_slip(slip, settings.label_format, settings.label_size)
    name = pickup_slip_filename(slip, settings.label_format)
    what = _("pickup slip of order {order_id}").format(order_id=order.id)
    work = partial(print_document, DocumentKind.PICKUP_SLIP, name, content, settings)
    try:
        result = await wait_for_printer(app, waiting, what, work)
    except RequestCancelled:
        return stopped_waiting(app, what)
    severity = "information" if result.printed else "warning"
    app.notify(result.message, title=_("Pickup slip"), severity=severity, timeout=8)
    return result.message
