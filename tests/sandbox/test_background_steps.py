"""Steps with runAfterOrderIsSaved run after the answer; carrier labels are served per booking.

Budbee (ORD-1035, ORD-1036) books in the background in the default workflows; the labels its
links point to are decoded back (PDF rendered by pdfium, ZPL's ^BC data read independently)."""

from __future__ import annotations

import asyncio
import io
import sys
from pathlib import Path
from typing import Any

import httpx
import pypdfium2
import pytest
from fastapi import FastAPI
from sandbox_support import BASE, api

from packstation.sandbox.app import create_app
from packstation.sandbox.workflow_config import load_workflow_config

# The labels tests' independent decoders (zxing-cpp, a ZPL ^BC reader) serve here too.
sys.path.insert(0, str(Path(__file__).parents[1] / "labels"))
from labels_support import decode_image, decode_modules, zpl_barcodes, zpl_bc_modules


@pytest.fixture
def app() -> Any:
    app = create_app()
    runtime = app.state.sandbox
    runtime.workflow_config = runtime.workflow_config.without_latency()
    yield app
    runtime.close()


def pack(order_id: str, lines: dict[str, int], packages: list[str]) -> dict[str, Any]:
    """An OrderLinesUpdate delivering `lines` of shipment 1 in `packages`, to PackedAndReady."""
    return {
        "status": "PackedAndReady",
        "lineItemUpdates": [{"lineItemId": k, "deliveredQuantity": v} for k, v in lines.items()],
        "shipmentInfo": {
            "shipmentId": "1",
            "packages": [
                {
                    "id": sscc,
                    "barcode": sscc,
                    "weightInKg": 1.5,
                    "lineItemReferences": [{"lineItemId": k} for k in lines],
                }
                for sscc in packages
            ],
        },
    }


async def open_lines(c: httpx.AsyncClient, order_id: str) -> dict[str, int]:
    """Line id -> units of shipment 1 still to deliver."""
    order = (await c.get(f"/api/Orders/{order_id}")).json()
    return {
        line["lineItemId"]: int(line["quantity"] - line.get("canceledQuantity", 0))
        for line in order["orderForm"]["shipments"][0]["lineItems"]
    }


async def settled(app: FastAPI) -> None:
    """Wait for the sandbox's background steps to end."""
    tasks = set(app.state.sandbox.background_tasks)
    if tasks:
        await asyncio.wait_for(asyncio.gather(*tasks), 10)


async def test_background_booking_lands_after_the_answer(app: FastAPI) -> None:
    async with api(app) as c:
        answer = await c.post(
            "/api/Orders/ORD-1035/OrderLinesUpdate",
            json=pack(
                "ORD-1035",
                await open_lines(c, "ORD-1035"),
                ["370123450000000011", "370123450000000028"],
            ),
        )
        assert answer.status_code == 200, answer.text
        result = answer.json()
        names = [s["actionType"] for s in result["orderActionExecutionResults"]]
        assert "PrintShippingLabel" not in names  # runs after the answer
        shipment = result["order"]["orderForm"]["shipments"][0]
        assert not shipment.get("shipmentTrackingNumber")
        await settled(app)
        order = (await c.get("/api/Orders/ORD-1035")).json()
    shipment = order["orderForm"]["shipments"][0]
    assert shipment["shipmentTrackingNumber"]
    assert shipment["shipmentLabelLink"].startswith(f"{BASE}/labels/ORD-1035/1/")
    for package in shipment["packages"]:
        tracking = package["shipmentTracking"]
        assert tracking["shipmentTrackingNumber"]
        assert tracking["shipmentLabelLink"].endswith(tracking["shipmentTrackingNumber"] + ".pdf")
    assert not order.get("errors")


async def test_a_failing_background_step_is_recorded_on_the_order(app: FastAPI) -> None:
    async with api(app) as c:
        answer = await c.post(
            "/api/Orders/ORD-1036/OrderLinesUpdate",
            json=pack("ORD-1036", await open_lines(c, "ORD-1036"), ["370123450000000035"]),
        )
        assert answer.status_code == 200
        assert not answer.json()["isAborted"]
        await settled(app)
        order = (await c.get("/api/Orders/ORD-1036")).json()
    errors = order["errors"]
    assert [e["key"] for e in errors] == ["PrintShippingLabel"]
    assert "Booking rejected by carrier" in errors[0]["message"]
    assert not order["orderForm"]["shipments"][0].get("shipmentTrackingNumber")


async def test_a_synchronous_carrier_books_in_the_answer(app: FastAPI) -> None:
    # ORD-1001 ships with Bring: no background step, the answer carries the booking.
    async with api(app) as c:
        answer = await c.post(
            "/api/Orders/ORD-1001/OrderLinesUpdate",
            json=pack("ORD-1001", {"1": 1}, ["370123450000000042"]),
        )
    shipment = answer.json()["order"]["orderForm"]["shipments"][0]
    assert shipment["shipmentTrackingNumber"]
    assert not app.state.sandbox.background_tasks


def test_order_types_say_which_steps_run_after_the_answer() -> None:
    config = load_workflow_config()
    document = {t.name: t for t in config.order_types_document()}
    packed = next(s for s in document["Online"].order_statuses if s.name == "PackedAndReady")
    later = [s for s in packed.workflow_steps if s.run_after_order_is_saved]
    assert [s.name for s in later] == [
        "PrintShippingLabel",
        "CompleteShipment",
        "ValidateTrackingNumber",
    ]
    assert all(s.enabled_for_shipment_options == ["Budbee"] for s in later)


def pdf_codes(content: bytes) -> list[str]:
    assert content.startswith(b"%PDF-")
    pdf = pypdfium2.PdfDocument(io.BytesIO(content))
    image = pdf[0].render(scale=300 / 72).to_pil().convert("L")
    return [d.raw for d in decode_image(image)]


async def booked(app: FastAPI, order_id: str, lines: dict[str, int], ssccs: list[str]) -> Any:
    async with api(app) as c:
        answer = await c.post(
            f"/api/Orders/{order_id}/OrderLinesUpdate", json=pack(order_id, lines, ssccs)
        )
        assert answer.status_code == 200
        await settled(app)
        return (await c.get(f"/api/Orders/{order_id}")).json()["orderForm"]["shipments"][0]


async def test_pdf_labels_carry_the_tracking_number_as_code128(app: FastAPI) -> None:
    shipment = await booked(app, "ORD-1001", {"1": 1}, ["370123450000000059"])
    package = shipment["packages"][0]["shipmentTracking"]
    async with api(app) as c:
        for link, number in (
            (package["shipmentLabelLink"], package["shipmentTrackingNumber"]),
            (shipment["shipmentLabelLink"], shipment["shipmentTrackingNumber"]),
        ):
            answer = await c.get(link)
            assert answer.status_code == 200
            assert answer.headers["content-type"] == "application/pdf"
            assert pdf_codes(answer.content) == [number]


async def test_zpl_labels_carry_the_tracking_number_in_their_bc_field(app: FastAPI) -> None:
    # ORD-1002 ships with PostNord, whose labels are ZPL.
    shipment = await booked(app, "ORD-1002", {"1": 3}, ["370123450000000066"])
    package = shipment["packages"][0]["shipmentTracking"]
    assert package["shipmentLabelLink"].endswith(".zpl")
    async with api(app) as c:
        answer = await c.get(package["shipmentLabelLink"])
    zpl = answer.content.decode()
    assert zpl.startswith("^XA") and zpl.rstrip().endswith("^XZ")
    [(module, data)] = zpl_barcodes(zpl)
    assert module == 3
    decoded = decode_modules(zpl_bc_modules(data))
    assert [d.raw for d in decoded] == [package["shipmentTrackingNumber"]]


async def test_labels_need_the_token_and_a_real_booking(app: FastAPI) -> None:
    shipment = await booked(app, "ORD-1001", {"1": 1}, ["370123450000000073"])
    link = shipment["shipmentLabelLink"]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as anon:
        assert (await anon.get(link)).status_code == 401
    async with api(app) as c:
        assert (
            await c.get(link.replace(shipment["shipmentTrackingNumber"], "XX1"))
        ).status_code == 404
        assert (await c.get(link.replace(".pdf", ".png"))).status_code == 404
