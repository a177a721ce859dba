"""The sandbox's carrier: the shipping label it serves at each label link, as PDF or ZPL.

PrintShippingLabel puts links of the form `<sandbox>/labels/<order>/<shipment>/<tracking>.pdf`
(or `.zpl`) on shipments and packages. `GET` on such a link answers a 4x6 inch label with the
carrier, the recipient and the tracking number, as text and as a Code 128 barcode. Like
everything on the sandbox's host it needs the bearer token; a tracking number the shipment
does not carry is 404.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from packstation.labels.barcodes import QUIET_ZONE_MODULES, code128
from packstation.labels.layout import Bars, Page, Rule, Text, fit_text
from packstation.labels.render_png import render_pdf
from packstation.labels.render_zpl import render_zpl
from packstation.omnium.models import OmniumOrder, Shipment
from packstation.sandbox.problems import ApiProblem
from packstation.sandbox.security import Reader, Runtime

router = APIRouter()

LABEL_FORMATS = {"pdf": "application/pdf", "zpl": "application/zpl"}
"""Served label formats -> content type."""

WIDTH_MM, HEIGHT_MM = 101.6, 152.4
MARGIN_MM = 4.0
MODULE_MM = 0.375
"""3 dots at 203 dpi: the carriers' usual Code 128 X-dimension."""
BAR_HEIGHT_MM = 25.0


def label_page(order: OmniumOrder, shipment: Shipment, tracking_number: str) -> Page:
    """The carrier label of one package (or of the shipment) with this tracking number."""
    inner = WIDTH_MM - 2 * MARGIN_MM
    items: list[Text | Bars | Rule] = []
    y = MARGIN_MM

    def line(text: str, size: float, *, bold: bool = False, gap: float = 1.5) -> None:
        nonlocal y
        y += size
        items.append(Text(MARGIN_MM, y, size, fit_text(text, size, inner), bold))
        y += gap

    address = shipment.address or order.billing_address
    name = (address.name if address else None) or order.customer_name or "-"
    line((shipment.shipping_method_name or "Carrier").upper(), 7.0, bold=True, gap=3.0)
    items.append(Rule(MARGIN_MM, y, inner, 0.5))
    y += 2.0
    line("TO", 3.2)
    line(name, 5.5, bold=True)
    if address is not None:
        line(" ".join(p for p in (address.line1, address.line2) if p) or "-", 4.5)
        line(" ".join(p for p in (address.postal_code, address.city) if p) or "-", 4.5)
        line(address.country_code or "", 4.5)
    line(f"Order {order.id}  shipment {shipment.shipment_id}", 3.5, gap=3.0)
    items.append(Rule(MARGIN_MM, y, inner, 0.5))
    symbol = code128(tracking_number)
    bars_width = symbol.width_modules * MODULE_MM
    if bars_width + 2 * QUIET_ZONE_MODULES * MODULE_MM > WIDTH_MM:
        raise ApiProblem(500, f"Tracking number {tracking_number!r} is too long for a label.")
    top = HEIGHT_MM - MARGIN_MM - 8.0 - BAR_HEIGHT_MM
    items.append(Bars((WIDTH_MM - bars_width) / 2, top, MODULE_MM, BAR_HEIGHT_MM, symbol))
    items.append(Text(MARGIN_MM, HEIGHT_MM - MARGIN_MM - 1.0, 5.0, tracking_number, bold=True))
    return Page(WIDTH_MM, HEIGHT_MM, tuple(items))


def render_carrier_label(page: Page, fmt: str) -> bytes:
    """The label as PDF or ZPL."""
    if fmt == "pdf":
        return render_pdf([page])
    return render_zpl(page).encode("utf-8")


def _booked(shipment: Shipment, tracking_number: str) -> bool:
    if shipment.shipment_tracking_number == tracking_number:
        return True
    return any(
        p.shipment_tracking is not None
        and p.shipment_tracking.shipment_tracking_number == tracking_number
        for p in shipment.packages
    )


@router.get("/labels/{orderId}/{shipmentId}/{fileName}", tags=["Carrier labels (sandbox)"])
def carrier_label(
    order_id: Annotated[str, Path(alias="orderId")],
    shipment_id: Annotated[str, Path(alias="shipmentId")],
    file_name: Annotated[str, Path(alias="fileName")],
    runtime: Runtime,
    _: Reader,
) -> Response:
    """A booked package's (or shipment's) carrier label: `<tracking number>.pdf` or `.zpl`."""
    tracking_number, _dot, fmt = file_name.rpartition(".")
    if fmt not in LABEL_FORMATS or not tracking_number:
        raise ApiProblem(404, f"No label '{file_name}': ask for <tracking number>.pdf or .zpl.")
    doc = runtime.store.get_order_json(order_id)
    if doc is None:
        raise ApiProblem(404, f"Order '{order_id}' not found.")
    order = OmniumOrder.model_validate_json(doc)
    shipment = order.shipment(shipment_id)
    if shipment is None or not _booked(shipment, tracking_number):
        raise ApiProblem(
            404, f"No booking {tracking_number!r} on shipment '{shipment_id}' of '{order_id}'."
        )
    content = render_carrier_label(label_page(order, shipment, tracking_number), fmt)
    return Response(content, media_type=LABEL_FORMATS[fmt])
