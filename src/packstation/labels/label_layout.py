"""Where a package label's text and GS1-128 barcode sit on A6 or 4x6 inch stock."""

from __future__ import annotations

from packstation.labels.barcodes import QUIET_ZONE_MODULES, gs1_128
from packstation.labels.errors import LabelError
from packstation.labels.label import LabelData, LabelSize
from packstation.labels.layout import Bars, Page, Rule, Text, fit_text

MARGIN = 4.0
SSCC_MODULE_MM = 0.5
"""GS1 logistic labels: X-dimension 0.495-1.016 mm; 0.5 mm is 4 dots at 203 dpi."""
SSCC_BAR_HEIGHT_MM = 32.0
"""GS1 asks for at least 31.75 mm of bar height on logistic labels."""


def label_page(data: LabelData, size: LabelSize = LabelSize.INCH_4X6) -> Page:
    """Place the label's text and its GS1-128 barcode on a page of the given size."""
    width, height = size.mm
    inner = width - 2 * MARGIN
    items: list[Text | Bars | Rule] = []
    y = MARGIN

    def line(text: str, font: float, *, bold: bool = False, gap: float = 1.6) -> None:
        nonlocal y
        y += font
        items.append(Text(MARGIN, y, font, fit_text(text, font, inner), bold))
        y += gap

    lines = data.text_lines()
    line(lines[0], 3.2)
    line(lines[1], 6.0, bold=True)
    line(lines[2], 6.0, bold=True, gap=3.0)
    items.append(Rule(MARGIN, y, inner, 0.5))
    y += 2.0
    line(lines[3], 4.5)
    line(lines[4], 6.5, bold=True, gap=2.5)
    for text in lines[5:]:
        line(text, 4.5)
    y += 1.0
    items.append(Rule(MARGIN, y, inner, 0.5))

    symbol = gs1_128(data.element_string)
    bars_width = symbol.width_modules * SSCC_MODULE_MM
    if bars_width + 2 * QUIET_ZONE_MODULES * SSCC_MODULE_MM > width:
        raise LabelError("the SSCC barcode does not fit on this label size")
    hri_size = 4.2
    bottom = height - MARGIN - hri_size - 1.5
    top = bottom - SSCC_BAR_HEIGHT_MM
    if top < y + 4:
        raise LabelError("label text does not leave room for the barcode")
    items.append(Text(MARGIN, top - 2.0, 3.2, "SSCC"))
    x = (width - bars_width) / 2
    items.append(Bars(x, top, SSCC_MODULE_MM, SSCC_BAR_HEIGHT_MM, symbol))
    hri = data.hri
    hri_x = max(MARGIN, (width - len(hri) * hri_size * 0.6) / 2)
    items.append(Text(hri_x, height - MARGIN, hri_size, hri, bold=True))
    return Page(width, height, tuple(items))
