"""After a click-and-collect submit: print the pickup slip (off the event loop).

Deferred imports: the label renderers load Pillow and python-barcode, which a station start
does not need (the same reason as in `tui.labels`).
"""

from __future__ import annotations

from packstation.devices.documents import DocumentKind
from packstation.omnium.errors import OmniumError
from packstation.omnium.models import OmniumOrder
from packstation.packing.rules import PackingRules
from packstation.tui.station import Station
from packstation.tui.tracker import SubmitTracker


async def print_pickup_slip(app: Station, tracker: SubmitTracker) -> str | None:
    """Print the slip when the sent order is collected in a store; the message shown, or None."""
    order: OmniumOrder | None = tracker.latest_order
    if order is None:  # confirmed by re-reading: the answer with the order never came
        try:
            order = await app.client.get_order(tracker.order_id)
        except OmniumError as err:
            app.notify(f"Pickup slip not printed: {err}", severity="error")
            return None
    if not PackingRules.from_settings(app.settings).is_pickup(order.order_type):
        return None
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
    result = await app.in_thread(print_document, DocumentKind.PICKUP_SLIP, name, content, settings)
    app.notify(result.message, title="Pickup slip", timeout=8)
    return result.message
