"""The pickup slip of a click-and-collect parcel: order number, customer, shelf or bin.

Printed instead of a carrier label (the parcel never leaves the store): staff find the parcel
by the customer's name or order number and put it on the shelf the slip names.
"""

from __future__ import annotations

from dataclasses import dataclass

from packstation.i18n import _
from packstation.labels.label import LabelSize
from packstation.labels.layout import Page, Rule, Text, fit_text, wrap_text
from packstation.labels.render import LabelFormat, label_filename_prefix
from packstation.labels.render_png import DEFAULT_DPI, render_png
from packstation.labels.render_svg import render_svg
from packstation.labels.render_zpl import render_zpl
from packstation.omnium.models import OmniumOrder

MARGIN = 6.0


@dataclass(frozen=True)
class PickupSlip:
    """What a pickup slip shows."""

    order_id: str
    order_number: str
    customer_name: str
    shelf: str = ""
    """The shelf or bin the parcel waits on (the `pickup_shelf` setting); empty: none printed."""


def pickup_slip_for(order: OmniumOrder, shelf: str = "") -> PickupSlip:
    """The slip of a click-and-collect order (its number, else its id)."""
    return PickupSlip(
        order_id=order.id,
        order_number=order.order_number or order.id,
        customer_name=order.customer_name or "",
        shelf=shelf.strip(),
    )


def pickup_slip_page(slip: PickupSlip, size: LabelSize = LabelSize.INCH_4X6) -> Page:
    """The slip laid out on label stock: big order number, the customer, the shelf."""
    width, height = size.mm
    inner = width - 2 * MARGIN
    items: list[Text | Rule] = [
        Text(MARGIN, 14, 5, fit_text(_("PICKUP - CLICK AND COLLECT"), 5, inner), bold=True),
        Rule(MARGIN, 18, inner, 0.6),
        Text(MARGIN, 28, 4, _("Order")),
        Text(MARGIN, 42, 10, fit_text(slip.order_number, 10, inner), bold=True),
        Text(MARGIN, 56, 4, _("Customer")),
    ]
    y = 66.0
    for line in wrap_text(slip.customer_name or "-", 7, inner, max_lines=2):
        items.append(Text(MARGIN, y, 7, line, bold=True))
        y += 10
    if slip.shelf:
        items += [
            Rule(MARGIN, y, inner, 0.6),
            Text(MARGIN, y + 10, 4, _("Shelf / bin")),
            Text(MARGIN, y + 26, 12, fit_text(slip.shelf, 12, inner), bold=True),
        ]
    if slip.order_number != slip.order_id:
        order_id = _("Id {order_id}").format(order_id=slip.order_id)
        items.append(Text(MARGIN, height - MARGIN, 3.5, fit_text(order_id, 3.5, inner)))
    return Page(width, height, tuple(items))


def pickup_slip_filename(slip: PickupSlip, fmt: LabelFormat | str) -> str:
    """`<order>-pickup.<ext>`."""
    return f"{label_filename_prefix(slip.order_id)}pickup.{LabelFormat(fmt).value}"


def render_pickup_slip(
    slip: PickupSlip,
    fmt: LabelFormat | str = LabelFormat.ZPL,
    size: LabelSize | str = LabelSize.INCH_4X6,
) -> bytes:
    """The slip as file content in the station's label format, on its label stock."""
    page = pickup_slip_page(slip, LabelSize(size))
    match LabelFormat(fmt):
        case LabelFormat.ZPL:
            return render_zpl(page).encode("utf-8")
        case LabelFormat.PNG:
            return render_png([page], DEFAULT_DPI)
        case LabelFormat.SVG:
            return render_svg([page])
