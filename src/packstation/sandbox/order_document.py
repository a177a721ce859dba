"""The sandbox's `GET /api/Orders/GetAsPdf/{orderId}`: a plain packing slip as a PDF.

Omnium renders its own order document there; the sandbox draws a plain A4 page with the order,
the shipment and its lines (SKU, name, quantity) through the station's page renderer. Omnium's
contract documents the answer as a JSON string: the sandbox sends the PDF base64-encoded in it.
"""

from __future__ import annotations

from packstation.labels.layout import Page, Rule, Text, fit_text
from packstation.labels.render_png import render_pdf
from packstation.omnium.models import OmniumOrder, OrderLine

A4 = (210.0, 297.0)
MARGIN = 15.0
LINE_HEIGHT = 6.0
LINES_PER_PAGE = 38


def _qty(value: object) -> str:
    text = f"{value}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _line_text(line: OrderLine) -> str:
    name = line.display_name or ""
    return f"{_qty(line.quantity):>6}  {(line.code or '-'):<18} {name}"


def order_document_pages(order: OmniumOrder, shipment_id: str | None) -> list[Page]:
    """The pages: a heading, then one row per line of the shipment (all shipments if None)."""
    width, height = A4
    inner = width - 2 * MARGIN
    shipments = [
        s for s in order.order_form.shipments if shipment_id is None or s.shipment_id == shipment_id
    ]
    rows = [_line_text(line) for s in shipments for line in s.line_items]
    pages: list[Page] = []
    for start in range(0, max(len(rows), 1), LINES_PER_PAGE):
        shown = ", ".join(s.shipment_id for s in shipments) or "-"
        items: list[Text | Rule] = [
            Text(MARGIN, 25, 7, "PACKING SLIP", bold=True),
            Text(MARGIN, 35, 4, fit_text(f"Order {order.order_number or order.id}", 4, inner)),
            Text(MARGIN, 42, 4, fit_text(f"Customer {order.customer_name or '-'}", 4, inner)),
            Text(MARGIN, 49, 4, fit_text(f"Shipment {shown}", 4, inner)),
            Text(MARGIN, 60, 3.5, f"{'Qty':>6}  {'SKU':<18} Name"),
            Rule(MARGIN, 62, inner, 0.3),
        ]
        y = 68.0
        for row in rows[start : start + LINES_PER_PAGE]:
            items.append(Text(MARGIN, y, 3.5, fit_text(row, 3.5, inner)))
            y += LINE_HEIGHT
        pages.append(Page(width, height, tuple(items)))
    return pages


def order_document_pdf(order: OmniumOrder, shipment_id: str | None) -> bytes:
    """The order document as PDF bytes (150 dpi: plenty for an office printer)."""
    return render_pdf(order_document_pages(order, shipment_id), dpi=150)
