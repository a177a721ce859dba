"""Printing the carrier's labels: download each label link Omnium holds, print it, say so.

Per package where Omnium gives a link, else per shipment (`labels.carrier`). The download goes
through the Omnium client (the token only on Omnium's host, bounded in size and time); the
label goes to the `carrier_label` printer (`printers` setting) or the spool, with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from packstation.devices.documents import DocumentKind
from packstation.devices.print_result import PrintResult
from packstation.devices.routing import print_document
from packstation.i18n import _, ngettext
from packstation.labels.carrier import (
    CarrierLabelLink,
    carrier_label_filename,
    carrier_label_links,
    label_format,
)
from packstation.omnium.errors import OmniumError
from packstation.omnium.models import OmniumOrder
from packstation.tui.printer_wait import stopped_waiting, wait_for_printer
from packstation.tui.station import Station
from packstation.tui.waiting import RequestCancelled, Waiting


def carrier_label_message(
    links: Sequence[CarrierLabelLink],
    results: Sequence[tuple[CarrierLabelLink, PrintResult]],
    problems: Sequence[str],
    missing: Sequence[str],
) -> str:
    """ "Carrier label printed (2 packages)", or exactly why (some) were not."""
    printed = [link for link, result in results if result.printed]
    count = len(printed)
    if any(link.package_id for link in links):
        done = ngettext(
            "Carrier label printed ({count} package)",
            "Carrier label printed ({count} packages)",
            count,
        ).format(count=count)
    else:
        done = ngettext(
            "Carrier label printed ({count} shipment)",
            "Carrier label printed ({count} shipments)",
            count,
        ).format(count=count)
    reasons = list(problems)
    reasons.extend(
        f"{link.what} {result.where} ({result.why_not})"
        for link, result in results
        if not result.printed
    )
    reasons.extend(
        _("Omnium has no label link for {what} (not booked yet)").format(what=what)
        for what in missing
    )
    if not reasons:
        return done
    # "On paper": a label saved in the spool folder is a file, not a label on the parcel.
    not_printed = _("Carrier label not printed on paper: {reasons}").format(
        reasons="; ".join(reasons)
    )
    return f"{done}; {not_printed}" if printed else not_printed


async def print_carrier_labels(
    app: Station,
    order: OmniumOrder,
    shipment_ids: Sequence[str],
    *,
    package_id: str | None = None,
    waiting: Waiting | None = None,
) -> str:
    """Download and print the carrier labels of these shipments (or one package); the message
    ("" when none of them goes with a carrier). With `waiting`, Escape stops waiting for the
    printer (`tui.printer_wait`)."""
    message, _printed = await print_carrier_labels_checked(
        app, order, shipment_ids, package_id=package_id, waiting=waiting
    )
    return message


async def print_carrier_labels_checked(
    app: Station,
    order: OmniumOrder,
    shipment_ids: Sequence[str],
    *,
    package_id: str | None = None,
    waiting: Waiting | None = None,
) -> tuple[str, bool]:
    """As print_carrier_labels, and whether every label printed (the message is worded in the
    packer's language, so no one reads that from it)."""
    plan = carrier_label_links(order, shipment_ids, package_id)
    if not plan.links and not plan.missing:
        return "", False
    results: list[tuple[CarrierLabelLink, PrintResult]] = []
    problems: list[str] = []
    what = _("carrier labels of order {order_id}").format(order_id=order.id)
    for link in plan.links:
        try:
            document = await app.client.download(link.url)
        except OmniumError as err:
            problems.append(
                _("{what}: the label could not be downloaded ({reason})").format(
                    what=link.what, reason=err
                )
            )
            continue
        fmt = label_format(document.content)
        if fmt is None:
            served = document.content_type or _("no content type")
            problems.append(
                _("{what}: {url} did not answer a PDF or ZPL label ({served})").format(
                    what=link.what, url=document.url, served=served
                )
            )
            continue
        name = carrier_label_filename(link, fmt)
        work = partial(
            print_document, DocumentKind.CARRIER_LABEL, name, document.content, app.settings
        )
        try:
            result: PrintResult = await wait_for_printer(app, waiting, what, work)
        except RequestCancelled:
            return stopped_waiting(app, what), False
        results.append((link, result))
    message = carrier_label_message(plan.links, results, problems, plan.missing)
    title = _("Carrier label")
    if problems or plan.missing or any(not r.printed for _link, r in results):
        app.bell()
        app.notify(message, title=title, severity="warning", timeout=12, markup=False)
        return message, False
    app.notify(message, title=title, timeout=8, markup=False)
    return message, True
