"""Which shipments the station waits for after a submit, read from Omnium's OrderTypes."""

from __future__ import annotations

import asyncio

from packstation.omnium.errors import OmniumUnavailable
from packstation.omnium.models import EntityError, OmniumOrder, ShipmentPackage, Tracking
from packstation.sandbox.demo_data import demo_orders
from packstation.sandbox.workflow_config import load_workflow_config
from packstation.station.booking import (
    background_steps,
    follow_booking,
    needs_following,
    new_errors,
)

TYPES = load_workflow_config().order_types_document()


def packed(order_id: str) -> OmniumOrder:
    order = next(o for o in demo_orders() if o.id == order_id)
    order.status = "PackedAndReady"
    shipment = order.order_form.shipments[0]
    shipment.order_status = "PackedAndReady"
    return order


def test_only_a_carrier_that_books_after_the_answer_is_waited_for() -> None:
    budbee, bring = packed("ORD-1035"), packed("ORD-1001")
    assert background_steps(TYPES, budbee, budbee.order_form.shipments[0]) == [
        "PrintShippingLabel",
        "CompleteShipment",
        "ValidateTrackingNumber",
    ]
    assert background_steps(TYPES, bring, bring.order_form.shipments[0]) == []
    assert needs_following(budbee, ["1"], TYPES)
    assert not needs_following(bring, ["1"], TYPES)  # unbooked, but nothing runs later
    assert needs_following(bring, ["1"], None)  # settings unreadable: wait, bounded
    click_and_collect = packed("ORD-1012")
    assert not needs_following(click_and_collect, ["1"], None)  # no carrier at all


def test_a_booked_shipment_needs_no_wait() -> None:
    order = packed("ORD-1035")
    shipment = order.order_form.shipments[0]
    shipment.shipment_tracking_number = "BU1"
    shipment.shipment_label_link = "http://x/labels/BU1.pdf"
    assert not needs_following(order, ["1"], TYPES)


class Reads:
    """An order that gets booked on the third read; one read fails on the way."""

    def __init__(self, order: OmniumOrder) -> None:
        self.order = order
        self.reads = 0

    async def get_order(self, order_id: str) -> OmniumOrder:
        self.reads += 1
        if self.reads == 1:
            raise OmniumUnavailable("no connection", sent=False)
        copy = self.order.model_copy(deep=True)
        if self.reads >= 3:
            shipment = copy.order_form.shipments[0]
            shipment.shipment_tracking_number = "BU1"
            shipment.shipment_label_link = "http://x/BU1.pdf"
        return copy


async def no_wait(_: float) -> None:
    await asyncio.sleep(0)


async def test_following_ends_when_booked_or_when_an_error_appears() -> None:
    reads = Reads(packed("ORD-1035"))
    wait = await follow_booking(
        reads, "ORD-1035", ["1"], [], wait_seconds=60, poll_seconds=1, sleep=no_wait
    )
    assert wait.booked and reads.reads == 3 and wait.order is not None

    failing = packed("ORD-1036")
    before = [EntityError(key="Notification", message="old", severity="Error")]
    failing.errors = [
        *before,
        EntityError(key="PrintShippingLabel", message="Booking rejected", severity="Error"),
        EntityError(key="Notification", message="late", severity="Warning"),
    ]
    assert [e.key for e in new_errors(failing, before)] == ["PrintShippingLabel"]
    wait = await follow_booking(
        Reads(failing), "ORD-1036", ["1"], before, wait_seconds=60, poll_seconds=1, sleep=no_wait
    )
    assert not wait.booked and wait.summary.startswith("PrintShippingLabel failed after the answer")


async def test_following_is_bounded() -> None:
    now = [0.0]

    async def sleep(seconds: float) -> None:
        now[0] += seconds

    never = packed("ORD-1035")
    never.order_form.shipments[0].packages = []

    class Same:
        async def get_order(self, order_id: str) -> OmniumOrder:
            return never

    wait = await follow_booking(
        Same(),
        "ORD-1035",
        ["1"],
        [],
        wait_seconds=10,
        poll_seconds=2,
        sleep=sleep,
        clock=lambda: now[0],
    )
    assert wait.timed_out and not wait.booked and now[0] == 10
    assert wait.summary.startswith("no tracking number yet")


def test_per_package_links_are_needed_when_the_carrier_books_packages() -> None:
    order = packed("ORD-1035")
    shipment = order.order_form.shipments[0]
    shipment.shipment_tracking_number = "BU1"
    shipment.shipment_label_link = "http://x/BU1.pdf"
    shipment.packages = [
        ShipmentPackage(id="A", shipment_tracking=Tracking(shipment_tracking_number="BU2")),
    ]
    assert needs_following(order, ["1"], TYPES)  # booked, but its label link is missing
