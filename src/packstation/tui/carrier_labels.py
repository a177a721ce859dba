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
from packstation.tui.wording import counted


def carrier_label_message(
    links: Sequence[CarrierLabelLink],
    results: Sequence[tuple[CarrierLabelLink, PrintResult]],
    problems: Sequence[str],
    missing: Sequence[str],
) -> str:
    """ "Carrier label printed (2 packages)", or exactly why (some) were not."""
    noun = "package" if any(link.package_id for link in links) else "shipment"
    printed = [link for link, result in results if result.printed]
    reasons = list(problems)
    reasons.extend(
        f"{link.what}: {result.message}" for link, result in results if not result.printed
    )
    reasons.extend(f"Omnium has no label link for {what} (not booked yet)" for what in missing)
    if not reasons:
        return f"Carrier label printed ({counted(len(printed), noun)})"
    head = f"Carrier label printed ({counted(len(printed), noun)}); " if printed else ""
    return f"{head}Carrier label not printed: " + "; ".join(reasons)


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
    plan = carrier_label_links(order, shipment_ids, package_id)
    if not plan.links and not plan.missing:
        return ""
    results: list[tuple[CarrierLabelLink, PrintResult]] = []
    problems: list[str] = []
    what = f"carrier labels of order {order.id}"
    for link in plan.links:
        try:
            document = await app.client.download(link.url)
        except OmniumError as err:
            problems.append(f"{link.what}: the label could not be downloaded ({err})")
            continue
        fmt = label_format(document.content)
        if fmt is None:
            served = document.content_type or "no content type"
            problems.append(
                f"{link.what}: {document.url} did not answer a PDF or ZPL label ({served})"
            )
            continue
        name = carrier_label_filename(link, fmt)
        work = partial(
            print_document, DocumentKind.CARRIER_LABEL, name, document.content, app.settings
        )
        try:
            result: PrintResult = await wait_for_printer(app, waiting, what, work)
        except RequestCancelled:
            return stopped_waiting(app, what)
        results.append((link, result))
    message = carrier_label_message(plan.links, results, problems, plan.missing)
    if problems or plan.missing or any(not r.printed for _, r in results):
        app.bell()
        app.notify(message, title="Carrier label", severity="warning", timeout=12, markup=False)
    else:
        app.notify(message, title="Carrier label", timeout=8, markup=False)
    return message
