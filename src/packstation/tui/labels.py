"""Reprinting package labels (the labels package renders and prints; this runs it off-loop)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from packstation.omnium.models import OmniumOrder

if TYPE_CHECKING:
    from packstation.tui.app import StationApp


async def reprint_order_labels(
    app: StationApp, order: OmniumOrder, shipment_id: str | None = None
) -> list[str]:
    """Print (or spool) the labels of every package of the station's shipments; say where."""
    from packstation.labels.errors import LabelError
    from packstation.labels.label import labels_for_shipment
    from packstation.labels.printing import print_labels

    shipments = [
        s
        for s in order.order_form.shipments
        if s.packages
        and (shipment_id is None or s.shipment_id == shipment_id)
        and (shipment_id is not None or s.warehouse_code == app.settings.warehouse)
    ]
    if not shipments:
        app.bell()
        app.notify(f"Order {order.id} has no packages to print", severity="warning")
        return []
    messages: list[str] = []
    try:
        for shipment in shipments:
            labels = labels_for_shipment(
                order, shipment.shipment_id, company_prefix=app.settings.gs1_company_prefix
            )
            results = await app.in_thread(print_labels, labels, app.settings)
            messages.extend(r.message for r in results)
    except LabelError as err:
        app.bell()
        app.notify(f"Label not printed: {err}", severity="error")
        return messages
    for message in messages:
        app.notify(message, title="Label", timeout=8)
    return messages
