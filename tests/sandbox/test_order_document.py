"""`GET /api/Orders/GetAsPdf/{orderId}`: the sandbox's packing slip, read by the client."""

from __future__ import annotations

import httpx
import pytest

from packstation.omnium.client import OmniumClient
from packstation.omnium.contract import check_response, contract, path_template
from packstation.omnium.errors import OrderNotFound
from packstation.sandbox.demo_data import demo_orders
from packstation.sandbox.order_document import order_document_pages

PDF_PATH = "/api/Orders/GetAsPdf/{orderId}"


async def test_the_client_reads_the_shipments_packing_slip_as_a_pdf(
    omnium_client: OmniumClient,
) -> None:
    pdf = await omnium_client.get_order_pdf("ORD-1003", shipment_id="1", template_file="slip")
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert b"/Type /Page" in pdf or b"/Type/Page" in pdf
    with pytest.raises(OrderNotFound):
        await omnium_client.get_order_pdf("ORD-NOPE")


def test_the_slip_lists_the_shipments_lines() -> None:
    order = next(o for o in demo_orders() if o.id == "ORD-1003")
    [page] = order_document_pages(order, "1")
    texts = page.texts()
    assert texts[0] == "PACKING SLIP" and "Shipment 1" in texts
    for line in order.order_form.shipments[0].line_items:
        assert any((line.code or "") in t and (line.display_name or "")[:20] in t for t in texts)


async def test_the_request_and_the_answer_follow_the_contract(sandbox_app: object) -> None:
    sent: list[httpx.Request] = []
    inner = httpx.ASGITransport(app=sandbox_app)  # type: ignore[arg-type]

    class Recording(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            sent.append(request)
            return await inner.handle_async_request(request)

    async with OmniumClient(
        "http://sandbox.test", "demo-station", "demo-secret", transport=Recording()
    ) as client:
        await client.get_order_pdf("ORD-1003", shipment_id="1", template_file="slip")
    request = sent[-1]
    assert path_template(request.url.path) == PDF_PATH and request.method == "GET"
    documented = {p["name"] for p in contract()["paths"][PDF_PATH]["get"]["parameters"]}
    assert set(request.url.params) == {"templateFile", "shipmentId"} <= documented
    answer = await inner.handle_async_request(request)
    await answer.aread()
    assert check_response("GET", PDF_PATH, 200, answer.json()) == []
