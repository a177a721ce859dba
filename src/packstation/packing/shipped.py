"""What an order already shipped elsewhere: said when a packer reopens a partly sent order."""

from __future__ import annotations

from decimal import Decimal

from packstation.i18n import _
from packstation.omnium.models import OmniumOrder, Shipment
from packstation.packing.views import fmt_qty


def shipped_before(order: OmniumOrder, shipment: Shipment) -> list[str]:
    """One note per other shipment with units delivered: "22 already shipped in shipment 2"."""
    notes: list[str] = []
    for other in order.order_form.shipments:
        if other.shipment_id == shipment.shipment_id:
            continue
        units = sum((line.delivered_quantity for line in other.line_items), Decimal(0))
        if units > 0:
            notes.append(
                _("{units} already shipped in shipment {shipment_id}").format(
                    units=fmt_qty(units), shipment_id=other.shipment_id
                )
            )
    return notes
