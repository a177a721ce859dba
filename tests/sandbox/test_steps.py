"""Each workflow step of the sandbox: its effect on the order and the state, and its failures."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from one_step_config import all_in_one_config

from packstation.omnium.models import (
    OmniumOrder,
    OrderForm,
    OrderLine,
    Payment,
    PickUpPoint,
    PropertyItem,
    Shipment,
    ShipmentPackage,
    Tracking,
)
from packstation.sandbox.memory_state import MemoryState, tracking_number
from packstation.sandbox.step_context import StepContext, StepOutcome
from packstation.sandbox.steps import STEPS
from packstation.sandbox.workflow_config import STEP_NAMES, StepConfig

CONFIG = all_in_one_config().without_latency()
NOW = datetime(2026, 11, 27, 6, 30, tzinfo=UTC)
D = Decimal


def make_order(
    *,
    lines: tuple[tuple[str, str, int, int], ...] = (("1", "SKU-A", 2, 100), ("2", "SKU-B", 1, 50)),
    delivered: dict[str, int] | None = None,
    shipping: int | None = 99,
    authorised: int | None = 1000,
    method: str = "Bring",
    packages: int = 1,
    email: str | None = "kari@example.com",
    phone: str | None = "+4791234501",
    order_type: str = "Online",
) -> OmniumOrder:
    """An order with one shipment "1" at WH-T holding every line; `delivered` per line id."""
    delivered = delivered or {}

    def line(line_id: str, sku: str, qty: int, price: int) -> OrderLine:
        return OrderLine(
            line_item_id=line_id,
            code=sku,
            quantity=D(qty),
            delivered_quantity=D(delivered.get(line_id, 0)),
            canceled_quantity=D(0),
            placed_price=D(price),
        )

    shipment = Shipment(
        shipment_id="1",
        status="Released",
        order_status="Completed",
        line_items=[line(*spec) for spec in lines],
        packages=[ShipmentPackage(id=f"PKG-{i}", weight_in_kg=1.0) for i in range(packages)],
        warehouse_code="WH-T",
        shipping_method_name=method,
        shipping_total=None if shipping is None else D(shipping),
    )
    payments = []
    if authorised is not None:
        payments.append(
            Payment(
                id="AUTH-1",
                payment_method_name="Klarna",
                amount=D(authorised),
                transaction_type="Authorization",
                status="Processed",
            )
        )
    return OmniumOrder(
        id="ORD-T1",
        status="Completed",
        order_type=order_type,
        customer_name="Kari Nordmann",
        customer_email=email,
        customer_phone=phone,
        order_form=OrderForm(
            line_items=[line(*spec) for spec in lines],
            shipments=[shipment],
            payments=payments,
            shipping_total=None if shipping is None else D(shipping),
        ),
    )


def run(
    name: str,
    order: OmniumOrder,
    state: MemoryState | None = None,
    *,
    status: str = "Completed",
    params: dict[str, Any] | None = None,
    shipment_ids: tuple[str, ...] = ("1",),
) -> StepOutcome:
    """Run one step on `order` (changed in place) and answer its outcome."""
    context = StepContext(
        order=order,
        status=status,
        shipments=[s for s in order.order_form.shipments if s.shipment_id in shipment_ids],
        state=state if state is not None else MemoryState(),
        config=CONFIG,
        step=StepConfig(name=name, parameters=MappingProxyType(params or {})),
        now=NOW,
    )
    return STEPS[name](context)


def captures(order: OmniumOrder) -> list[Payment]:
    return [p for p in order.order_form.payments if p.transaction_type == "Capture"]


# --- CapturePayments -------------------------------------------------------------------------


def test_capture_takes_delivered_value_plus_shipping_tied_to_the_shipment() -> None:
    order = make_order(delivered={"1": 2, "2": 1})
    assert run("CapturePayments", order).status == "Success"
    [capture] = captures(order)
    assert capture.amount == D("349.00")  # 2 x 100 + 1 x 50 + 99 shipping
    assert capture.status == "Processed"
    assert capture.shipment_id == "1"
    assert capture.payment_method_name == "Klarna"
    assert "payments" in order.order_form.to_json_dict()


def test_capture_counts_only_delivered_units() -> None:
    order = make_order(delivered={"1": 1})
    run("CapturePayments", order)
    assert [p.amount for p in captures(order)] == [D("199.00")]


def test_capturing_the_same_shipment_twice_does_not_double_capture() -> None:
    order = make_order(delivered={"1": 2, "2": 1})
    run("CapturePayments", order)
    assert run("CapturePayments", order).status == "Success"
    assert len(captures(order)) == 1


def test_more_delivered_later_captures_only_the_difference() -> None:
    order = make_order(delivered={"1": 1})
    run("CapturePayments", order)
    order.order_form.shipments[0].line_items[0].delivered_quantity = D(2)
    run("CapturePayments", order)
    assert [p.amount for p in captures(order)] == [D("199.00"), D("100.00")]
    assert captures(order)[1].id != captures(order)[0].id


def test_capture_fails_when_the_authorisation_does_not_cover_it() -> None:
    order = make_order(delivered={"1": 2, "2": 1}, authorised=300)
    outcome = run("CapturePayments", order)
    assert outcome.status == "Error"
    assert outcome.reason is not None
    assert "insufficient authorised amount" in outcome.reason
    assert "349.00" in outcome.reason and "300.00" in outcome.reason
    assert captures(order) == []


def test_earlier_captures_use_up_the_authorisation() -> None:
    order = make_order(delivered={"1": 2, "2": 1}, authorised=400)
    order.order_form.payments.append(
        Payment(amount=D(100), transaction_type="Capture", status="Processed", shipment_id="9")
    )
    assert run("CapturePayments", order).status == "Error"


def test_capture_without_authorisation_fails() -> None:
    order = make_order(delivered={"1": 1}, authorised=None)
    outcome = run("CapturePayments", order)
    assert outcome.status == "Error"
    assert "no authorised payment" in (outcome.reason or "")


def test_nothing_delivered_captures_nothing() -> None:
    order = make_order()
    assert run("CapturePayments", order).status == "Success"
    assert captures(order) == []


# --- ReduceInventory ------------------------------------------------------------------------


def stocked(a: int = 10, b: int = 10) -> MemoryState:
    return MemoryState({("WH-T", "SKU-A"): D(a), ("WH-T", "SKU-B"): D(b)})


def test_reduce_inventory_takes_delivered_units_out_of_the_shipment_warehouse() -> None:
    state = stocked()
    assert run("ReduceInventory", make_order(delivered={"1": 2, "2": 1}), state).status == "Success"
    assert state.stock == {("WH-T", "SKU-A"): D(8), ("WH-T", "SKU-B"): D(9)}
    assert state.reduced_quantity("ORD-T1", "1", "1") == D(2)


def test_repeat_reduce_inventory_is_a_warning_and_reduces_nothing() -> None:
    state = stocked()
    order = make_order(delivered={"1": 2, "2": 1})
    run("ReduceInventory", order, state)
    outcome = run("ReduceInventory", order, state)
    assert outcome.status == "Warning"
    assert "already reduced" in (outcome.reason or "")
    assert state.stock == {("WH-T", "SKU-A"): D(8), ("WH-T", "SKU-B"): D(9)}


def test_a_shipment_that_already_left_is_a_repeat_even_without_bookkeeping() -> None:
    state = stocked()
    order = make_order(delivered={"1": 2})
    order.order_form.shipments[0].status = "Shipped"
    outcome = run("ReduceInventory", order, state)
    assert outcome.status == "Warning"
    assert state.get_stock("WH-T", "SKU-A") == D(10)


def test_reduce_inventory_takes_only_newly_delivered_units() -> None:
    state = stocked()
    order = make_order(delivered={"1": 1})
    run("ReduceInventory", order, state)
    order.order_form.shipments[0].line_items[0].delivered_quantity = D(2)
    assert run("ReduceInventory", order, state).status == "Success"
    assert state.get_stock("WH-T", "SKU-A") == D(8)
    assert state.reduced_quantity("ORD-T1", "1", "1") == D(2)


def test_short_stock_is_an_error_and_reduces_nothing_at_all() -> None:
    state = stocked(a=10, b=0)
    outcome = run("ReduceInventory", make_order(delivered={"1": 2, "2": 1}), state)
    assert outcome.status == "Error"
    assert "short stock for SKU SKU-B at WH-T" in (outcome.reason or "")
    assert state.stock == {("WH-T", "SKU-A"): D(10), ("WH-T", "SKU-B"): D(0)}
    assert state.reductions == {}


def test_a_sku_the_warehouse_does_not_stock_is_an_error() -> None:
    state = MemoryState({("WH-T", "SKU-A"): D(10)})
    outcome = run("ReduceInventory", make_order(delivered={"1": 1, "2": 1}), state)
    assert outcome.status == "Error"
    assert "SKU-B is not stocked at WH-T" in (outcome.reason or "")


def test_the_same_sku_on_two_lines_is_checked_against_the_stock_together() -> None:
    state = MemoryState({("WH-T", "SKU-A"): D(3)})
    order = make_order(
        lines=(("1", "SKU-A", 2, 10), ("2", "SKU-A", 2, 10)), delivered={"1": 2, "2": 2}
    )
    assert run("ReduceInventory", order, state).status == "Error"
    assert state.get_stock("WH-T", "SKU-A") == D(3)


# --- PrintShippingLabel ---------------------------------------------------------------------------


def test_booking_assigns_tracking_to_the_shipment_and_each_package() -> None:
    state = MemoryState()
    order = make_order(packages=2)
    assert run("PrintShippingLabel", order, state).status == "Success"
    shipment = order.order_form.shipments[0]
    number = shipment.shipment_tracking_number
    assert number
    assert shipment.shipment_tracking_link == f"https://tracking.bring.com/tracking/{number}"
    assert shipment.shipment_label_link and number in shipment.shipment_label_link
    package_numbers = []
    for package in shipment.packages:
        tracking = package.shipment_tracking
        assert tracking is not None and tracking.shipment_tracking_number
        assert tracking.shipment_tracking_number in (tracking.shipment_tracking_link or "")
        assert tracking.shipment_tracking_number in (tracking.shipment_label_link or "")
        package_numbers.append(tracking.shipment_tracking_number)
    assert len({number, *package_numbers}) == 3
    dumped = shipment.to_json_dict()
    assert dumped["packages"][0]["shipmentTracking"]["shipmentTrackingNumber"] == package_numbers[0]


def test_booking_again_books_nothing_new() -> None:
    state = MemoryState()
    order = make_order()
    run("PrintShippingLabel", order, state)
    before = order.order_form.shipments[0].model_copy(deep=True)
    run("PrintShippingLabel", order, state)
    assert order.order_form.shipments[0] == before
    # one number for the shipment, one for its package: the repeat used none
    assert state.next_tracking_number("Bring") == tracking_number("Bring", 3)


def test_booking_an_unknown_shipping_method_fails_and_books_nothing() -> None:
    state = MemoryState()
    order = make_order(method="DHL Express")
    outcome = run("PrintShippingLabel", order, state)
    assert outcome.status == "Error"
    assert "unknown shipping method 'DHL Express'" in (outcome.reason or "")
    assert order.order_form.shipments[0].shipment_tracking_number is None
    assert state.next_tracking_number("DHL Express") == tracking_number("DHL Express", 1)


def test_shipping_method_names_match_carriers_case_insensitively() -> None:
    order = make_order(method="bring")
    assert run("PrintShippingLabel", order).status == "Success"
    assert "tracking.bring.com" in (order.order_form.shipments[0].shipment_tracking_link or "")


def test_booking_without_packages_books_the_shipment_unless_packages_are_required() -> None:
    assert run("PrintShippingLabel", make_order(packages=0)).status == "Success"
    outcome = run("PrintShippingLabel", make_order(packages=0), params={"requirePackages": True})
    assert outcome.status == "Error"
    assert "has no packages" in (outcome.reason or "")


def test_booking_keeps_tracking_the_client_already_gave() -> None:
    order = make_order()
    shipment = order.order_form.shipments[0]
    shipment.shipment_tracking_link = "https://tracking.bring.com/12345"
    shipment.packages[0].shipment_tracking = Tracking(shipment_tracking_number="PKG-NUMBER-1")
    run("PrintShippingLabel", order)
    assert shipment.shipment_tracking_link == "https://tracking.bring.com/12345"
    assert shipment.shipment_tracking_number is not None
    assert shipment.packages[0].shipment_tracking is not None
    assert shipment.packages[0].shipment_tracking.shipment_tracking_number == "PKG-NUMBER-1"


# --- UpdateShipmentStatus -------------------------------------------------------------------


def test_update_shipment_status_sets_the_configured_status() -> None:
    order = make_order()
    assert run("UpdateShipmentStatus", order, params={"shipmentStatus": "Shipped"}).status == (
        "Success"
    )
    assert order.order_form.shipments[0].status == "Shipped"


def test_update_shipment_status_without_a_status_parameter_is_an_error() -> None:
    order = make_order()
    assert run("UpdateShipmentStatus", order).status == "Error"
    assert order.order_form.shipments[0].status == "Released"


def test_a_cancelled_shipment_stays_cancelled() -> None:
    order = make_order()
    order.order_form.shipments[0].status = "Cancelled"
    run("UpdateShipmentStatus", order, params={"shipmentStatus": "Shipped"})
    assert order.order_form.shipments[0].status == "Cancelled"


# --- Notification ---------------------------------------------------------------------------


def test_notification_records_a_message_naming_order_shipment_and_tracking() -> None:
    state = MemoryState()
    order = make_order()
    run("PrintShippingLabel", order, state)
    assert run("Notification", order, state).status == "Success"
    [note] = state.notifications
    assert note["orderId"] == "ORD-T1"
    assert note["channel"] == "email"
    assert note["recipient"] == "kari@example.com"
    number = order.order_form.shipments[0].shipment_tracking_number
    assert number is not None
    for text in ("ORD-T1", "shipment 1", "Bring", number, "Kari Nordmann"):
        assert text in note["message"]


def test_notification_for_in_progress_says_the_order_is_being_packed() -> None:
    state = MemoryState()
    run("Notification", make_order(), state, status="InProgress")
    assert "packing your order ORD-T1" in state.notifications[0]["message"]


def test_notification_without_an_email_is_a_warning_and_sends_nothing() -> None:
    state = MemoryState()
    outcome = run("Notification", make_order(email=None), state)
    assert outcome.status == "Warning"
    assert state.notifications == []


def test_sms_notification_goes_to_the_phone_with_a_custom_template() -> None:
    state = MemoryState()
    params = {"channel": "sms", "template": "{order_id}/{shipment_id} is {status}"}
    run("Notification", make_order(), state, status="ReadyForPickup", params=params)
    assert state.notifications == [
        {
            "orderId": "ORD-T1",
            "channel": "sms",
            "recipient": "+4791234501",
            "message": "ORD-T1/1 is ReadyForPickup",
        }
    ]


def test_a_template_naming_an_unknown_field_is_an_error() -> None:
    state = MemoryState()
    outcome = run("Notification", make_order(), state, params={"template": "{nope}"})
    assert outcome.status == "Error"
    assert state.notifications == []


# --- SplitShipmentCost ----------------------------------------------------------------------


def two_shipment_order(first: Decimal | None, second: Decimal | None) -> OmniumOrder:
    order = make_order()
    order.order_form.shipments[0].shipping_total = first
    order.order_form.shipping_total = D(99)
    second_shipment = order.order_form.shipments[0].model_copy(deep=True)
    second_shipment.shipment_id = "2"
    second_shipment.shipping_total = second
    order.order_form.shipments = [*order.order_form.shipments, second_shipment]
    return order


def test_split_shipment_cost_gives_an_unset_shipment_the_unallocated_cost() -> None:
    order = two_shipment_order(None, D(0))
    assert run("SplitShipmentCost", order).status == "Success"
    assert order.order_form.shipments[0].shipping_total == D(99)


def test_split_shipment_cost_never_moves_a_cost_that_is_set() -> None:
    order = two_shipment_order(D(0), D(99))
    assert run("SplitShipmentCost", order).status == "Success"
    assert [s.shipping_total for s in order.order_form.shipments] == [D(0), D(99)]


def test_split_shipment_cost_warns_when_shipments_carry_more_than_the_order() -> None:
    order = two_shipment_order(D(99), D(99))
    outcome = run("SplitShipmentCost", order)
    assert outcome.status == "Warning"
    assert "198.00 NOK" in (outcome.reason or "")


# --- SetShipmentOrOrderReadyForPickup -------------------------------------------------------


def test_set_ready_for_pickup_marks_open_units_and_the_shipment() -> None:
    order = make_order(order_type="ClickAndCollect", delivered={"2": 1})
    shipment = order.order_form.shipments[0]
    shipment.pick_up_warehouse_code = "STORE-1"
    assert (
        run("SetShipmentOrOrderReadyForPickup", order, status="ReadyForPickup").status == "Success"
    )
    assert [line.ready_for_pickup_quantity for line in shipment.line_items] == [D(2), D(0)]
    assert shipment.status == "ReadyForPickup"
    assert order.line("1") is not None and order.line("1").ready_for_pickup_quantity == D(2)


def test_set_ready_for_pickup_date_stamps_pickup_shipments_only() -> None:
    order = make_order(order_type="ClickAndCollect")
    shipment = order.order_form.shipments[0]
    shipment.pick_up_warehouse_code = "STORE-1"
    assert run("SetReadyForPickupDate", order, status="ReadyForPickup").status == "Success"
    assert [(p.key, p.value) for p in shipment.properties or []] == [
        ("ReadyForPickupDate", "2026-11-27T06:30:00Z")
    ]
    home = make_order()
    assert run("SetReadyForPickupDate", home, status="ReadyForPickup").status == "Error"
    assert not home.order_form.shipments[0].properties


# --- CompleteShipment / ValidateTrackingNumber / ExportOrder ---------------------------------


def test_complete_shipment_and_validate_tracking_need_a_booked_shipment() -> None:
    order = make_order(delivered={"1": 2, "2": 1}, packages=2)
    for name in ("CompleteShipment", "ValidateTrackingNumber"):
        outcome = run(name, order, status="PackedAndReady")
        assert outcome.status == "Error"
        assert "1" in (outcome.reason or "")
    assert not order.order_form.shipments[0].properties
    assert run("PrintShippingLabel", order, status="PackedAndReady").status == "Success"
    assert run("CompleteShipment", order, status="PackedAndReady").status == "Success"
    assert run("ValidateTrackingNumber", order, status="PackedAndReady").status == "Success"
    keys = [p.key for p in order.order_form.shipments[0].properties or []]
    assert keys == ["ShipmentCompletedDate"]


def test_validate_tracking_number_names_a_package_without_one() -> None:
    order = make_order(delivered={"1": 2, "2": 1}, packages=2)
    run("PrintShippingLabel", order, status="PackedAndReady")
    order.order_form.shipments[0].packages[1].shipment_tracking = None
    outcome = run("ValidateTrackingNumber", order, status="PackedAndReady")
    assert outcome.status == "Error"
    assert "1/" in (outcome.reason or "")


def test_export_order_stamps_the_order() -> None:
    order = make_order()
    assert run("ExportOrder", order, status="Ship").status == "Success"
    assert [(p.key, p.value) for p in order.properties] == [
        ("ExportedDate", "2026-11-27T06:30:00Z")
    ]
    assert run("AnalyticsIndexing", order).status == "Success"


def test_set_ready_for_pickup_accepts_a_pickup_point() -> None:
    order = make_order(order_type="ClickAndCollect")
    order.order_form.shipments[0].pick_up_point_information = PickUpPoint(name="Butikk")
    assert (
        run("SetShipmentOrOrderReadyForPickup", order, status="ReadyForPickup").status == "Success"
    )


def test_set_ready_for_pickup_on_a_home_delivery_is_an_error() -> None:
    order = make_order()
    outcome = run("SetShipmentOrOrderReadyForPickup", order, status="ReadyForPickup")
    assert outcome.status == "Error"
    assert order.order_form.shipments[0].status == "Released"


# --- SetCompletedDate -----------------------------------------------------------------------


def test_set_completed_date_stamps_the_shipment_and_the_finished_order() -> None:
    order = make_order()
    assert run("SetCompletedDate", order).status == "Success"
    assert order.order_form.shipments[0].properties == [
        PropertyItem(key="CompletedDate", value="2026-11-27T06:30:00Z")
    ]
    assert order.properties == [PropertyItem(key="CompletedDate", value="2026-11-27T06:30:00Z")]
    assert order.to_json_dict()["properties"] == [
        {"key": "CompletedDate", "value": "2026-11-27T06:30:00Z"}
    ]


def test_set_completed_date_leaves_the_order_while_another_shipment_is_open() -> None:
    order = two_shipment_order(D(99), D(0))
    order.order_form.shipments[1].order_status = "InProgress"
    run("SetCompletedDate", order)
    assert order.properties == []
    assert order.order_form.shipments[0].properties is not None


def test_every_configurable_step_has_an_implementation_named_as_in_the_reference() -> None:
    assert (
        set(STEPS)
        == set(STEP_NAMES)
        == {
            "CapturePayments",
            "Notification",
            "ReduceInventory",
            "PrintShippingLabel",
            "CompleteShipment",
            "ValidateTrackingNumber",
            "ExportOrder",
            "AnalyticsIndexing",
            "UpdateShipmentStatus",
            "SplitShipmentCost",
            "SetReadyForPickupDate",
            "SetShipmentOrOrderReadyForPickup",
            "SetCompletedDate",
        }
    )
