"""Invariants of the sandbox demo data, and that its special orders behave as advertised."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from decimal import Decimal

import biip
import pytest
from biip.gtin import Gtin
from pydantic import BaseModel

from packstation.omnium.models import OmniumOrder, OrderLine
from packstation.sandbox.demo_data import (
    BERGEN,
    INTERESTING_ORDERS,
    OSLO,
    SHORT_STOCK_SKU,
    demo_catalogue,
    demo_orders,
    demo_stock,
)
from packstation.sandbox.engine import load_workflow_config, run_workflow
from packstation.sandbox.memory_state import MemoryState

ORDERS = demo_orders()
BY_ID = {order.id: order for order in ORDERS}
CATALOGUE = demo_catalogue()
CONFIG = load_workflow_config(None).without_latency()


def oslo_orders() -> list[OmniumOrder]:
    return [o for o in ORDERS if all(s.warehouse_code == OSLO for s in o.order_form.shipments)]


def all_lines(order: OmniumOrder) -> Iterator[OrderLine]:
    yield from order.order_form.line_items
    for shipment in order.order_form.shipments:
        yield from shipment.line_items


def is_open(shipment_status: str | None) -> bool:
    return shipment_status not in {"Shipped", "Cancelled", "Delivered"}


def test_demo_data_is_deterministic() -> None:
    assert [o.to_json_dict() for o in demo_orders()] == [o.to_json_dict() for o in ORDERS]
    assert demo_stock() == demo_stock()
    assert demo_catalogue() == CATALOGUE


def test_every_order_survives_the_wire_as_an_omnium_order() -> None:
    for order in ORDERS:
        wire = json.loads(json.dumps(order.to_json_dict()))
        again = OmniumOrder.model_validate(wire)
        assert again == order, order.id
        assert again.to_json_dict() == wire, order.id


def test_no_order_carries_a_field_the_models_do_not_know() -> None:
    def walk(model: BaseModel, where: str) -> Iterator[str]:
        for name, value in (model.model_extra or {}).items():
            yield f"{where}.{name}={value!r}"
        for name in type(model).model_fields:
            value = getattr(model, name)
            items = value if isinstance(value, list) else [value]
            for item in items:
                if isinstance(item, BaseModel):
                    yield from walk(item, f"{where}.{name}")

    assert [extra for order in ORDERS for extra in walk(order, order.id)] == []


def test_ids_are_unique_and_look_like_omnium_order_ids() -> None:
    ids = [o.id for o in ORDERS]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"ORD-1\d{3}", i) for i in ids)
    for order in ORDERS:
        lines = [line.line_item_id for line in order.order_form.line_items]
        assert len(lines) == len(set(lines))
        shipments = [s.shipment_id for s in order.order_form.shipments]
        assert len(shipments) == len(set(shipments))


def test_at_least_thirty_orders_ship_from_oslo_and_some_from_bergen() -> None:
    assert len(oslo_orders()) >= 30
    bergen = [o for o in ORDERS if all(s.warehouse_code == BERGEN for s in o.order_form.shipments)]
    assert len(bergen) >= 3


def test_every_open_oslo_shipment_is_ready_to_pack() -> None:
    for order in oslo_orders():
        open_shipments = [s for s in order.order_form.shipments if is_open(s.status)]
        assert open_shipments, order.id
        for shipment in open_shipments:
            assert (shipment.status, shipment.order_status) == ("Released", "InProgress"), order.id
            assert all(line.delivered_quantity == 0 for line in shipment.line_items), order.id
            assert shipment.packages == []
        assert order.status in {"InProgress", "Queued", "PartiallyShipped"}


def test_quantities_and_money_are_decimals_and_totals_add_up() -> None:
    for order in ORDERS:
        form = order.order_form
        for line in all_lines(order):
            assert isinstance(line.quantity, Decimal)
            assert line.quantity > 0
            assert line.extended_price == line.placed_price * line.quantity  # type: ignore[operator]
        assert form.sub_total == sum(line.extended_price for line in form.line_items)  # type: ignore[misc]
        assert form.total == form.sub_total + form.shipping_total  # type: ignore[operator]
        assert form.shipping_total == sum(s.shipping_total for s in form.shipments)  # type: ignore[misc]
        for line in form.line_items:  # order lines carry the totals over shipments
            copies = [
                c
                for s in form.shipments
                for c in s.line_items
                if c.line_item_id == line.line_item_id
            ]
            assert line.quantity == sum(c.quantity for c in copies), (order.id, line.line_item_id)
        [authorisation] = [p for p in form.payments if p.transaction_type == "Authorization"]
        assert authorisation.status == "Processed"
        if order.id != "ORD-1015":
            assert authorisation.amount == form.total, order.id
        assert order.billing_currency == "NOK"
        assert order.customer_email and order.billing_address and order.billing_address.line1


def test_every_barcode_has_a_valid_check_digit() -> None:
    codes = {code for item in CATALOGUE.values() for code in (item.ean, *item.gtins) if code}
    codes |= {
        code
        for order in ORDERS
        for line in all_lines(order)
        for code in (line.ean, *(line.gtins or []))
        if code
    }
    assert len(codes) > 250
    for code in codes:
        assert len(code) in (12, 13, 14), code
        Gtin.parse(code)  # raises on a wrong check digit
        assert Gtin.parse(code).check_digit == int(code[-1])
    with pytest.raises(Exception):  # noqa: B017 - the check above really checks
        Gtin.parse("7042113000011")


def test_every_kind_of_item_code_is_on_some_order() -> None:
    lines = [line for order in ORDERS for line in order.order_form.line_items]
    assert any(line.ean and len(line.ean) == 13 for line in lines)
    assert any(line.ean and len(line.ean) == 12 for line in lines)  # UPC-A
    assert any(not line.ean and line.gtins and len(line.gtins[0]) == 14 for line in lines)
    assert any(not line.ean and not line.gtins and line.code for line in lines)  # SKU only


def test_case_packs_are_ordered_in_whole_cases_and_scan_as_gs1_element_strings() -> None:
    case_lines = []
    for order in ORDERS:
        for line in order.order_form.line_items:
            item = CATALOGUE[line.code or ""]
            if item.case_gtin is None:
                continue
            assert item.case_gtin in (line.gtins or [])
            assert item.case_size is not None
            if line.quantity % item.case_size == 0:
                case_lines.append((order.id, line))
            one_case, contained = item.case_scans
            parsed = biip.parse(one_case).gs1_message
            assert parsed is not None
            assert [(e.ai.ai, e.value) for e in parsed.element_strings] == [
                ("01", item.case_gtin),
                ("30", str(item.case_size)),
            ]
            parsed = biip.parse(contained).gs1_message
            assert parsed is not None
            assert [(e.ai.ai, e.value) for e in parsed.element_strings] == [
                ("02", (line.ean or "").zfill(14)),
                ("37", str(item.case_size)),
            ]
    assert {order_id for order_id, _ in case_lines} >= {"ORD-1006", "ORD-1007", "ORD-1013"}


def test_the_required_kinds_of_order_are_present() -> None:
    oslo = oslo_orders()
    line_counts = [len(o.order_form.line_items) for o in oslo]
    assert 1 in line_counts
    assert any(count >= 10 for count in line_counts)
    assert 250 in [len(o.order_form.line_items) for o in ORDERS]
    assert any(line.quantity > 1 for o in oslo for line in o.order_form.line_items)
    assert any(len(o.order_form.shipments) > 1 for o in oslo)
    click_and_collect = [o for o in oslo if o.order_type == "ClickAndCollect"]
    assert click_and_collect
    assert all(s.pick_up_warehouse_code for o in click_and_collect for s in o.order_form.shipments)
    assert [o.id for o in ORDERS if o.status == "Queued"] == ["ORD-1014"]
    auth_short = BY_ID["ORD-1015"].order_form
    assert auth_short.payments[0].amount < (auth_short.total or 0)
    assert CONFIG.carrier(BY_ID["ORD-1016"].order_form.shipments[0].shipping_method_name) is None
    assert "fail:PrintShippingLabel" in BY_ID["ORD-1017"].tags
    assert "fail:CapturePayments" in BY_ID["ORD-1018"].tags
    assert set(INTERESTING_ORDERS) <= set(BY_ID)


def test_stock_covers_every_order_except_the_short_one() -> None:
    stock = demo_stock()
    assert all(isinstance(units, Decimal) and units >= 0 for units in stock.values())
    for order in ORDERS:
        for shipment in order.order_form.shipments:
            for line in shipment.line_items:
                units = stock.get((shipment.warehouse_code or "", line.code or ""))
                assert units is not None, (order.id, line.code)
                if line.code == SHORT_STOCK_SKU and shipment.warehouse_code == OSLO:
                    assert units < line.quantity
                else:
                    assert units >= line.quantity, (order.id, line.code)


def deliver_everything(order: OmniumOrder, shipment_id: str) -> OmniumOrder:
    """What the server would have done for a full delivery of one shipment."""
    order = order.model_copy(deep=True)
    target = order.shipment(shipment_id)
    assert target is not None
    target.order_status = "Completed"
    for copy in target.line_items:
        copy.delivered_quantity = copy.quantity - copy.canceled_quantity
        line = order.line(copy.line_item_id)
        assert line is not None
        line.delivered_quantity += copy.delivered_quantity
    return order


EXPECTED_ABORTS = {
    "ORD-1015": ("Ship", "CapturePayments", "insufficient authorised amount"),
    "ORD-1016": ("PackedAndReady", "PrintShippingLabel", "unknown shipping method 'DHL Express'"),
    "ORD-1017": ("PackedAndReady", "PrintShippingLabel", "Booking rejected by carrier"),
    "ORD-1018": ("Ship", "CapturePayments", "Capture declined by payment provider"),
    "ORD-1019": ("Ship", "ReduceInventory", f"short stock for SKU {SHORT_STOCK_SKU} at WH-OSLO"),
    "ORD-1023": ("PackedAndReady", "PrintShippingLabel", "Booking rejected by carrier"),
}
FLOWS = {"Online": ("PackedAndReady", "Ship"), "ClickAndCollect": ("ReadyForPickup", "PickedUp")}
"""Per order type: the status a packed shipment moves to, then the one it is handed over in."""


async def test_every_oslo_order_walks_its_flow_except_the_ones_built_to_fail() -> None:
    state = MemoryState(demo_stock())
    for order in oslo_orders():
        for shipment in order.order_form.shipments:
            if not is_open(shipment.status):
                continue
            work = deliver_everything(order, shipment.shipment_id)
            bad = []
            for status in FLOWS[order.order_type or "Online"]:
                result = await run_workflow(
                    work, status, shipment_id=shipment.shipment_id, state=state, config=CONFIG
                )
                assert result.order is not None
                work = result.order
                bad += [
                    (r.action_type, r.error_reason)
                    for r in result.order_action_execution_results
                    if r.action_status != "Success"
                ]
                failing = result.failing_step
                if failing is not None:
                    break
            if order.id in EXPECTED_ABORTS:
                where, step, reason = EXPECTED_ABORTS[order.id]
                assert failing is not None, order.id
                assert (status, failing.action_type) == (where, step)
                assert reason in (failing.error_reason or "")
                continue
            assert failing is None, (order.id, failing)
            if order.id == "ORD-1020":
                assert bad == [
                    (
                        "Notification",
                        "Notification not sent: mail gateway answered 503 Service Unavailable",
                    )
                ]
            else:
                assert bad == [], order.id
    assert state.get_stock(OSLO, SHORT_STOCK_SKU) == Decimal(1)


async def test_a_fail_once_order_books_on_the_second_attempt() -> None:
    state = MemoryState(demo_stock())
    order = deliver_everything(BY_ID["ORD-1023"], "1")
    first = await run_workflow(order, "PackedAndReady", shipment_id="1", state=state, config=CONFIG)
    assert first.failing_step is not None
    assert first.failing_step.action_type == "PrintShippingLabel"
    assert first.order is not None
    again = await run_workflow(
        first.order, "PackedAndReady", shipment_id="1", state=state, config=CONFIG
    )
    assert again.is_aborted is False
    assert [(r.action_type, r.action_status) for r in again.order_action_execution_results] == [
        ("PrintShippingLabel", "Success"),
        ("CompleteShipment", "Success"),
        ("ValidateTrackingNumber", "Success"),
        ("UpdateShipmentStatus", "Success"),
    ]
    assert again.order is not None
    shipped = await run_workflow(again.order, "Ship", shipment_id="1", state=state, config=CONFIG)
    assert not shipped.is_aborted
    again = shipped
    assert again.order.order_form.shipments[0].shipment_tracking_number
    captures = [p for p in again.order.order_form.payments if p.transaction_type == "Capture"]
    assert len(captures) == 1
