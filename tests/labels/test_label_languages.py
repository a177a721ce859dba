"""The station's own words on package labels, pickup slips and the command sheet are in the
station's language (issue 19); Omnium's values, the address and every barcode stay as they are."""

from __future__ import annotations

import itertools

import pytest
from labels_support import order_with_packages

from packstation.i18n import set_language
from packstation.labels.command_sheet import sheet_entries, sheet_pages
from packstation.labels.label import LabelData, labels_for_shipment
from packstation.labels.label_layout import label_page
from packstation.labels.pickup_slip import pickup_slip_for, pickup_slip_page, render_pickup_slip
from packstation.labels.render import render_label
from packstation.labels.sscc import DEMO_COMPANY_PREFIX, SsccAllocator
from packstation.omnium.models import OmniumOrder
from packstation.packing.boxes import DEFAULT_BOX_PRESETS
from packstation.packing.commands import Command

ALLOC = SsccAllocator(DEMO_COMPANY_PREFIX, "03", itertools.count(1).__next__)
SSCCS = [ALLOC() for _unused in range(3)]


@pytest.fixture
def labels() -> list[LabelData]:
    order = order_with_packages(SSCCS, tracking="TRK-0001")
    return labels_for_shipment(order, "S-1", company_prefix=DEMO_COMPANY_PREFIX)


def test_a_package_label_in_norwegian(labels: list[LabelData]) -> None:
    set_language("nb")
    texts = label_page(labels[0]).texts()
    for expected in (
        "MOTTAKER",
        "Kari Nordmann",
        "Ordre ORD-1001",
        "Kolli 1 av 3",
        "Vekt 1,25 kg",
        "Mål 40 x 30 x 20 cm",
        "Fraktmåte PostNord MyPack Home",
        "Sporing TRK-0001",
    ):
        assert expected in texts
    # The same barcode as in English: only the words change.
    zpl_nb = render_label(labels[0], "zpl")
    set_language("en")
    assert "Weight 1.25 kg" in label_page(labels[0]).texts()
    zpl_en = render_label(labels[0], "zpl")
    assert zpl_nb != zpl_en
    assert [ln for ln in zpl_nb.splitlines() if b"^BC" in ln or b">;" in ln] == [
        ln for ln in zpl_en.splitlines() if b"^BC" in ln or b">;" in ln
    ]


def test_a_pickup_slip_in_swedish_renders_its_letters() -> None:
    set_language("sv")
    order = OmniumOrder(id="ORD-9", order_number="100009", customer_name="Kari Nordmann")
    texts = pickup_slip_page(pickup_slip_for(order, "C-3")).texts()
    assert {"HÄMTNING I BUTIK", "Order", "Kund", "Hylla / fack", "Id ORD-9"} <= set(texts)
    assert "HÄMTNING I BUTIK".encode() in render_pickup_slip(pickup_slip_for(order), "zpl")


def test_the_command_sheet_in_danish_keeps_its_barcodes() -> None:
    set_language("da")
    entries = sheet_entries(DEFAULT_BOX_PRESETS, ["anna"], ["bob"], ["WH-BERGEN"])
    sections = list(dict.fromkeys(e.section for e in entries))
    assert sections == [
        "Kommandoer",
        "Antal (eller tast tallet og Enter)",
        "Kasser",
        "Mål for opdeling",
        "ID-kort",
    ]
    meanings = {e.payload: e.meaning for e in entries}
    assert meanings["USER-anna"] == "ID-kort til arbejdsleder: log ind som anna"
    assert meanings["USER-bob"] == "ID-kort til pakker: log ind som bob"
    assert meanings["TO-WH-BERGEN"].endswith("resten går til WH-BERGEN")
    assert all(e.payload == c.value for e, c in zip(entries, Command, strict=False))
    first = sheet_pages(entries)[0].texts()
    assert "packstation kommandoark" in first and "side 1" in first
