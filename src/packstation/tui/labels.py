"""Reprinting package labels (the labels package renders and prints; this runs it off-loop).

The label renderers load python-barcode and Pillow (about 55 ms, `python -X importtime`, which
the station would pay before its first screen): they are imported where a label is printed or
named, not at the top.
"""

from __future__ import annotations

from functools import partial

from packstation.devices.routing import resend_spooled, spool_dir
from packstation.devices.spool import SpooledDocument, spooled_documents
from packstation.i18n import _
from packstation.labels.carrier import carrier_label_links
from packstation.labels.errors import LabelError
from packstation.labels.label import labels_for_shipment
from packstation.omnium.models import OmniumOrder, Shipment
from packstation.tui.carrier_labels import print_carrier_labels
from packstation.tui.pickup_slips import is_pickup_order, print_pickup_slip
from packstation.tui.printer_wait import stopped_waiting, wait_for_printer
from packstation.tui.screens.reprint import (
    ALL_PACKAGES,
    CARRIER,
    PICKUP_SLIP,
    SPOOLED,
    ReprintScreen,
)
from packstation.tui.station import Station
from packstation.tui.waiting import RequestCancelled, Waiting


def printable_shipments(
    app: Station, order: OmniumOrder, shipment_id: str | None = None
) -> list[Shipment]:
    """The shipments with packages to print: the one named, or the station's own."""
    return [
        s
        for s in order.order_form.shipments
        if s.packages
        and (shipment_id is None or s.shipment_id == shipment_id)
        and (shipment_id is not None or s.warehouse_code == app.settings.warehouse)
    ]


def spooled_for_order(app: Station, order_id: str) -> list[SpooledDocument]:
    """The documents of this order waiting in the spool (label files start with its id)."""
    from packstation.labels.render import label_filename_prefix  # deferred: see the docstring

    prefix = label_filename_prefix(order_id)
    return [d for d in spooled_documents(spool_dir(app.settings)) if d.name.startswith(prefix)]


async def choose_and_reprint(
    app: Station,
    order: OmniumOrder,
    shipment_id: str | None = None,
    *,
    waiting: Waiting | None = None,
) -> list[str]:
    """Ask which package (or all, or a spooled copy, or a pickup slip) to print; nothing when
    the packer closes. With `waiting`, Escape stops waiting for the printer (see
    reprint_order_labels)."""
    shipments = printable_shipments(app, order, shipment_id)
    spooled = await app.in_thread(spooled_for_order, app, order.id)
    shipment_ids = [s.shipment_id for s in shipments]
    carrier = carrier_label_links(order, shipment_ids).links
    pickup = is_pickup_order(app, order)
    if not shipments and not spooled and not pickup:
        return await reprint_order_labels(app, order, shipment_id, waiting=waiting)
    choice = await app.push_screen_wait(
        ReprintScreen(shipments, spooled, carrier, pickup_slip=pickup)
    )
    if choice is None:
        return []
    if choice == PICKUP_SLIP:
        return [await print_pickup_slip(app, order, waiting=waiting)]
    if str(choice).startswith(CARRIER):
        wanted = str(choice).removeprefix(CARRIER)
        if wanted.startswith("shipment:"):
            shipment_ids, package = [wanted.removeprefix("shipment:")], None
        else:
            package = None if wanted == "*" else wanted
        message = await print_carrier_labels(
            app, order, shipment_ids, package_id=package, waiting=waiting
        )
        return [message] if message else []
    if str(choice).startswith(SPOOLED):
        name = str(choice).removeprefix(SPOOLED)
        document = next(d for d in spooled if d.name == name)
        result = await app.in_thread(resend_spooled, document, app.settings)
        if not result.printed:
            app.bell()
        severity = "information" if result.printed else "warning"
        app.notify(result.message, title=_("Label"), severity=severity, timeout=8)
        return [result.message]
    package_id = None if choice == ALL_PACKAGES else str(choice)
    return await reprint_order_labels(
        app, order, shipment_id, package_id=package_id, waiting=waiting
    )


async def reprint_order_labels(
    app: Station,
    order: OmniumOrder,
    shipment_id: str | None = None,
    *,
    package_id: str | None = None,
    waiting: Waiting | None = None,
) -> list[str]:
    """Print (or spool) the labels of the station's shipments (or one package); say where.

    With `waiting`, the packer sees that the station waits for the printer and Escape stops
    waiting: a printer that takes the connection and then no data held the scans for up to
    the print timeout (30 s) per shipment. The write itself goes on in its thread until its
    timeout, so the printer may still print what it got."""
    from packstation.labels.printing import print_labels  # deferred: see the docstring

    shipments = printable_shipments(app, order, shipment_id)
    if not shipments:
        app.bell()
        app.notify(
            _("Order {order_id} has no packages to print").format(order_id=order.id),
            severity="warning",
        )
        return []
    messages: list[str] = []
    printed_flags: list[bool] = []
    what = _("labels of order {order_id}").format(order_id=order.id)
    spooled = 0
    try:
        for shipment in shipments:
            labels = labels_for_shipment(
                order, shipment.shipment_id, company_prefix=app.settings.gs1_company_prefix
            )
            if package_id is not None:
                labels = [label for label in labels if label.sscc == package_id]
                if not labels:
                    continue
            results = await wait_for_printer(
                app, waiting, what, partial(print_labels, labels, app.settings)
            )
            messages.extend(r.message for r in results)
            printed_flags.extend(r.printed for r in results)
            spooled += sum(1 for r in results if not r.printed)
    except RequestCancelled:
        messages.append(stopped_waiting(app, what))
        return messages
    except LabelError as err:
        app.bell()
        app.notify(_("Label not printed: {reason}").format(reason=err), severity="error")
        return messages
    if spooled:
        app.bell()  # a label in the spool folder is not on the parcel
    for message, printed in zip(messages, printed_flags, strict=True):
        severity = "information" if printed else "warning"
        app.notify(message, title=_("Label"), severity=severity, timeout=8)
    return messages
