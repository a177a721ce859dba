"""Helpers for the labels tests: decode barcodes with zxing-cpp, build orders, read ZPL/SVG."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import Decimal

import zxingcpp
from barcode.charsets import code128 as cs
from PIL import Image, ImageDraw

from packstation.labels.barcodes import Symbol
from packstation.labels.layout import Bars, Page
from packstation.labels.render_png import render_page_image
from packstation.omnium.models import OmniumOrder


@dataclass(frozen=True)
class Decoded:
    """What zxing-cpp read: raw bytes as text, the AIM symbology id, and the GS1 flag."""

    raw: str
    symbology: str
    gs1: bool
    hri: str


def decode_image(image: Image.Image) -> list[Decoded]:
    """Every Code 128 symbol zxing-cpp finds in the image."""
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.Code128)
    return [
        Decoded(
            raw=r.bytes.decode("latin-1"),
            symbology=r.symbology_identifier,
            gs1=r.content_type == zxingcpp.ContentType.GS1,
            hri=r.text,
        )
        for r in found
    ]


def decode_png(content: bytes) -> list[Decoded]:
    """Decode every Code 128 symbol in PNG bytes."""
    assert content.startswith(b"\x89PNG"), "not a PNG"
    return decode_image(Image.open(io.BytesIO(content)))


def decode_symbol(symbol: Symbol, module_px: int = 3) -> list[Decoded]:
    """Draw one symbol with quiet zones and decode it."""
    module_mm = module_px * 25.4 / 203
    width = (symbol.width_modules + 24) * module_mm
    page = Page(width, 20.0, (Bars(12 * module_mm, 2.0, module_mm, 15.0, symbol),))
    return decode_image(render_page_image(page, 203))


def decode_modules(modules: str, module_px: int = 3) -> list[Decoded]:
    """Draw a raw module string ("1" bar, "0" space) and decode it."""
    quiet = 12 * module_px
    image = Image.new("L", (len(modules) * module_px + 2 * quiet, 80), 255)
    draw = ImageDraw.Draw(image)
    for i, m in enumerate(modules):
        if m == "1":
            x = quiet + i * module_px
            draw.rectangle((x, 10, x + module_px - 1, 69), fill=0)
    return decode_image(image)


# --- an independent reading of ZPL ^BC mode N data (subset C/B, >; >: >8 ><) -----------------


def zpl_bc_modules(data: str) -> str:
    """The Code 128 modules a Zebra printer draws for `^BC...,N` with this `^FD` data."""
    values: list[int] = []
    i = 0
    subset = ""
    if data.startswith(">;"):
        values.append(105)
        subset = "C"
        i = 2
    elif data.startswith(">:"):
        values.append(104)
        subset = "B"
        i = 2
    else:
        raise AssertionError(f"unsupported ZPL start: {data[:2]!r}")
    while i < len(data):
        if data.startswith(">8", i):
            values.append(102)
            i += 2
        elif data.startswith("><", i):
            values.append(cs.B[">"])
            i += 2
        elif subset == "C":
            pair = data[i : i + 2]
            assert len(pair) == 2 and pair.isdigit(), f"bad subset C data at {i}: {data!r}"
            values.append(int(pair))
            i += 2
        else:
            values.append(cs.B[data[i]])
            i += 1
    check = (values[0] + sum(pos * v for pos, v in enumerate(values[1:], start=1))) % 103
    values.append(check)
    return "".join(cs.CODES[v] for v in values) + cs.STOP + "11"


_BC = re.compile(r"\^BY(\d+),\d+,(\d+)\^BCN,(\d+),N,N,N,N(?:\^FH_)?\^FD(.*?)\^FS")


def zpl_barcodes(zpl: str) -> list[tuple[int, str]]:
    """(module width in dots, ^FD data) of every ^BC field in a ZPL label."""
    return [(int(m.group(1)), m.group(4)) for m in _BC.finditer(zpl)]


def zpl_texts(zpl: str) -> list[str]:
    """The text of every ^A0 text field, ^FH hex escapes decoded."""
    texts = re.findall(r"\^A0N,\d+,\d+\^FH_\^FD(.*?)\^FS", zpl)
    return [re.sub(r"_([0-9A-F]{2})", lambda m: chr(int(m.group(1), 16)), t) for t in texts]


# --- SVG ---------------------------------------------------------------------------------------

SVG_NS = "{http://www.w3.org/2000/svg}"


def svg_texts(svg: bytes) -> list[str]:
    """Every <text> element's content."""
    root = ET.fromstring(svg)
    return [el.text or "" for el in root.iter(f"{SVG_NS}text")]


def svg_barcode_images(svg: bytes, px_per_mm: float = 8.0) -> list[tuple[str, Image.Image]]:
    """Each barcode group of the SVG drawn from its own <rect>s: (data-payload, image)."""
    root = ET.fromstring(svg)
    out = []
    for group in root.iter(f"{SVG_NS}g"):
        if group.get("class") != "barcode":
            continue
        rects = [
            tuple(float(r.get(k, "0")) for k in ("x", "y", "width", "height"))
            for r in group.iter(f"{SVG_NS}rect")
        ]
        x0 = min(r[0] for r in rects)
        y0 = min(r[1] for r in rects)
        x1 = max(r[0] + r[2] for r in rects)
        y1 = max(r[1] + r[3] for r in rects)
        pad = 8.0
        image = Image.new(
            "L", (round((x1 - x0 + 2 * pad) * px_per_mm), round((y1 - y0 + 2) * px_per_mm)), 255
        )
        draw = ImageDraw.Draw(image)
        for x, y, w, h in rects:
            left = round((x - x0 + pad) * px_per_mm)
            right = round((x - x0 + pad + w) * px_per_mm) - 1
            draw.rectangle(
                (left, round((y - y0 + 1) * px_per_mm), right, round((y - y0 + 1 + h) * px_per_mm)),
                fill=0,
            )
        out.append((group.get("data-payload", ""), image))
    return out


# --- an order to label -------------------------------------------------------------------------


def order_with_packages(ssccs: list[str], *, tracking: str | None = None) -> OmniumOrder:
    """A small order whose shipment S-1 holds one package per SSCC."""
    packages = [
        {
            "id": sscc,
            "barcode": sscc,
            "weightInKg": 1.25 + i,
            "dimensions": {"lengthInCm": 40, "widthInCm": 30, "heightInCm": 20 + i},
            "lineItemReferences": [{"lineItemId": "L1", "quantity": 1}],
        }
        for i, sscc in enumerate(ssccs)
    ]
    if tracking is not None and packages:
        packages[0]["shipmentTracking"] = {"shipmentTrackingNumber": tracking}
    return OmniumOrder.model_validate(
        {
            "id": "ORD-1001",
            "customerName": "Customer Fallback",
            "orderForm": {
                "lineItems": [{"lineItemId": "L1", "code": "SKU-1", "quantity": 3}],
                "shipments": [
                    {
                        "shipmentId": "S-1",
                        "warehouseCode": "WH-OSLO",
                        "shippingMethodName": "PostNord MyPack Home",
                        "address": {
                            "firstName": "Kari",
                            "lastName": "Nordmann",
                            "line1": "Storgata 1",
                            "city": "Tromsø",
                            "zipCode": "9008",
                            "countryCode": "NO",
                        },
                        "lineItems": [{"lineItemId": "L1", "code": "SKU-1", "quantity": 3}],
                        "packages": packages,
                    }
                ],
            },
        }
    )


WEIGHT = Decimal("1.25")
