"""Package labels: data from the order, text on the label, and a GS1-128 SSCC that scans."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from biip import parse as biip_parse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from labels_support import (
    decode_image,
    decode_modules,
    decode_png,
    order_with_packages,
    svg_barcode_images,
    svg_texts,
    zpl_barcodes,
    zpl_bc_modules,
    zpl_texts,
)

from packstation.labels.errors import LabelError
from packstation.labels.label import (
    LabelData,
    LabelSize,
    build_label_data,
    labels_for_shipment,
)
from packstation.labels.label_layout import label_page
from packstation.labels.layout import Text
from packstation.labels.render import LabelFormat, label_filename, render_label, render_labels_zpl
from packstation.labels.sscc import DEMO_COMPANY_PREFIX, SsccAllocator

ALLOC = SsccAllocator(DEMO_COMPANY_PREFIX, "03", itertools.count(1).__next__)
SSCCS = [ALLOC() for _ in range(3)]


@pytest.fixture
def labels() -> list[LabelData]:
    order = order_with_packages(SSCCS, tracking="TRK-0001^~_")
    return labels_for_shipment(order, "S-1", company_prefix=DEMO_COMPANY_PREFIX)


def test_label_data_comes_from_order_shipment_and_package(labels: list[LabelData]) -> None:
    first, second, third = labels
    assert [d.sscc for d in labels] == SSCCS
    assert [(d.package_number, d.package_count) for d in labels] == [(1, 3), (2, 3), (3, 3)]
    assert first.order_id == "ORD-1001"
    assert first.ship_to_name == "Kari Nordmann"
    assert first.city_line == "9008 Tromsø, NO"
    assert first.shipping_method == "PostNord MyPack Home"
    assert first.weight_kg == Decimal("1.25")
    assert (first.length_cm, first.width_cm, first.height_cm) == (40, 30, 20)
    assert first.tracking_number == "TRK-0001^~_"
    assert second.tracking_number is None  # no booking answer for that package yet
    assert third.dimensions_text == "Dimensions 40 x 30 x 22 cm"


def test_single_package_builder_numbers_by_position() -> None:
    order = order_with_packages(SSCCS)
    shipment = order.shipment("S-1")
    assert shipment is not None
    data = build_label_data(order, shipment, shipment.packages[1])
    assert (data.package_number, data.package_count, data.sscc) == (2, 3, SSCCS[1])


def test_shipment_tracking_number_is_used_when_the_package_has_none() -> None:
    order = order_with_packages(SSCCS[:1])
    shipment = order.shipment("S-1")
    assert shipment is not None
    shipment.shipment_tracking_number = "SHIP-TRK-9"
    shipment.address = None
    data = build_label_data(order, shipment, shipment.packages[0])
    assert data.tracking_number == "SHIP-TRK-9"
    assert data.ship_to_name == "Customer Fallback"


def test_a_package_without_a_valid_sscc_is_refused() -> None:
    order = order_with_packages(["123"])
    with pytest.raises(LabelError, match="ORD-1001"):
        labels_for_shipment(order, "S-1")
    with pytest.raises(LabelError, match="no shipment"):
        labels_for_shipment(order_with_packages(SSCCS), "S-404")


@pytest.mark.parametrize("size", list(LabelSize))
def test_png_label_scans_to_the_gs1_sscc(labels: list[LabelData], size: LabelSize) -> None:
    data = labels[0]
    decoded = decode_png(render_label(data, LabelFormat.PNG, size))
    assert len(decoded) == 1
    assert decoded[0].symbology == "]C1" and decoded[0].gs1
    assert decoded[0].raw == "00" + data.sscc
    result = biip_parse("]C1" + decoded[0].raw)
    assert result.sscc is not None and result.sscc.value == data.sscc


@pytest.mark.parametrize("dpi", [96, 127, 150, 300])
def test_png_label_scans_at_other_resolutions(labels: list[LabelData], dpi: int) -> None:
    decoded = decode_png(render_label(labels[2], LabelFormat.PNG, LabelSize.INCH_4X6, dpi=dpi))
    assert [(d.raw, d.symbology) for d in decoded] == [("00" + labels[2].sscc, "]C1")]


def test_png_label_has_the_page_size_at_203_dpi(labels: list[LabelData]) -> None:
    from io import BytesIO

    from PIL import Image

    for size, expected in ((LabelSize.INCH_4X6, (812, 1218)), (LabelSize.A6, (839, 1183))):
        image = Image.open(BytesIO(render_label(labels[0], "png", size)))
        assert image.size == expected
        assert round(image.info["dpi"][0]) == 203


def test_label_text_lines(labels: list[LabelData]) -> None:
    texts = label_page(labels[0]).texts()
    for expected in (
        "Kari Nordmann",
        "9008 Tromsø, NO",
        "Order ORD-1001",
        "Package 1 of 3",
        "Weight 1.25 kg",
        "Dimensions 40 x 30 x 20 cm",
        "Method PostNord MyPack Home",
        "Tracking TRK-0001^~_",
        f"(00) 0 {DEMO_COMPANY_PREFIX} 03{SSCCS[0][10:17]} {SSCCS[0][-1]}",
    ):
        assert expected in texts
    assert not any(t.startswith("Tracking") for t in label_page(labels[1]).texts())


@pytest.mark.parametrize("size", list(LabelSize))
def test_svg_label_text_and_bars(labels: list[LabelData], size: LabelSize) -> None:
    data = labels[0]
    svg = render_label(data, LabelFormat.SVG, size)
    width, height = size.mm
    assert f'width="{width:g}mm"'.encode() in svg and f'height="{height:g}mm"'.encode() in svg
    texts = svg_texts(svg)
    assert texts == label_page(data, size).texts()
    assert "Tracking TRK-0001^~_" in texts and "Package 1 of 3" in texts
    barcodes = svg_barcode_images(svg)
    assert len(barcodes) == 1
    payload, image = barcodes[0]
    assert payload == "GS1 00" + data.sscc
    decoded = decode_image(image)
    assert [(d.raw, d.symbology) for d in decoded] == [("00" + data.sscc, "]C1")]


def test_zpl_label_text_and_gs1_barcode(labels: list[LabelData]) -> None:
    data = labels[0]
    zpl = render_label(data, LabelFormat.ZPL, LabelSize.INCH_4X6).decode("utf-8")
    assert zpl.startswith("^XA\n^CI28\n^PW812\n^LL1218\n") and zpl.rstrip().endswith("^XZ")
    texts = zpl_texts(zpl)
    for line in data.text_lines():
        assert line in texts
    # ^ and ~ would start ZPL commands: they only appear hex-escaped inside fields.
    assert "TRK-0001_5E_7E_5F" in zpl
    barcodes = zpl_barcodes(zpl)
    assert barcodes == [(4, ">;>800" + data.sscc)]
    # What the printer draws from that field (our own reading of ^BC) scans as GS1 (00)+SSCC,
    # and matches python-barcode's encoding module for module.
    modules = zpl_bc_modules(barcodes[0][1])
    assert modules == label_page(data).symbols()[0].modules
    decoded = decode_modules(modules)
    assert [(d.raw, d.symbology) for d in decoded] == [("00" + data.sscc, "]C1")]


def test_zpl_job_with_several_labels(labels: list[LabelData]) -> None:
    zpl = render_labels_zpl(labels, "A6").decode()
    assert zpl.count("^XA") == 3 and zpl.count("^XZ") == 3
    assert [data for _, data in zpl_barcodes(zpl)] == [">;>800" + d.sscc for d in labels]


def test_long_text_is_shortened_to_fit(labels: list[LabelData]) -> None:
    data = labels[0].model_copy(update={"ship_to_name": "X" * 200})
    name_line = label_page(data).texts()[1]
    assert name_line.endswith("...") and name_line.startswith("XXXX") and len(name_line) < 40
    assert label_page(data).texts()[2] == data.city_line  # short lines are left alone


def test_label_filename_is_safe_and_names_the_package(labels: list[LabelData]) -> None:
    data = labels[1].model_copy(update={"order_id": "ORD/10 01"})
    assert label_filename(data, "zpl") == f"ORD_10_01-2of3-{SSCCS[1]}.zpl"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.text(max_size=60),
    city=st.text(max_size=40),
    method=st.text(max_size=40),
    tracking=st.one_of(st.none(), st.text(min_size=1, max_size=30)),
)
def test_any_text_survives_svg_and_zpl(
    name: str, city: str, method: str, tracking: str | None
) -> None:
    data = LabelData(
        sscc=SSCCS[0],
        order_id="ORD-1",
        package_number=1,
        package_count=1,
        weight_kg=Decimal("1"),
        ship_to_name=name,
        ship_to_city=city,
        shipping_method=method,
        tracking_number=tracking,
    )
    page_texts = label_page(data).texts()
    assert all(t.isprintable() for t in page_texts)
    assert svg_texts(render_label(data, "svg")) == page_texts
    zpl = render_label(data, "zpl").decode("utf-8")
    # Bold lines are drawn twice in ZPL (one dot apart).
    expected = []
    for item in label_page(data).items:
        if isinstance(item, Text):
            expected.extend([item.text] * (2 if item.bold else 1))
    assert zpl_texts(zpl) == expected
