"""line_updates.py as pure functions: the house rules on OmniumOrder objects, plus a
property-based run of random update sequences checking the invariants every order keeps."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sandbox_support import reference_order

from packstation.omnium.models import OmniumOrder
from packstation.omnium.workflow import (
    LineItemUpdate,
    UpdateLineItemStatusPatch,
    UpdateShipmentInfo,
)
from packstation.sandbox.line_copies import LineUpdateError, recompute_totals
from packstation.sandbox.line_updates import apply_line_updates, ensure_writable, next_shipment_id
from packstation.sandbox.order_status import apply_status, follow_shipments


def order(**changes: Any) -> OmniumOrder:
    return OmniumOrder.model_validate(reference_order("U-1") | changes)


def patch(updates: list[dict[str, Any]], shipment_id: str | None = None, **info: Any) -> Any:
    shipment_info = None
    if shipment_id is not None or info:
        shipment_info = UpdateShipmentInfo.model_validate({"shipmentId": shipment_id, **info})
    return UpdateLineItemStatusPatch(
        status="Completed",
        line_item_updates=[LineItemUpdate.model_validate(u) for u in updates],
        shipment_info=shipment_info,
    )


def held(o: OmniumOrder, shipment_id: str, line_id: str) -> Decimal:
    shipment = o.shipment(shipment_id)
    assert shipment is not None
    copy = next((x for x in shipment.line_items if x.line_item_id == line_id), None)
    return Decimal(0) if copy is None else copy.quantity


def test_new_shipment_takes_units_from_the_source_and_copies_its_shipping_data() -> None:
    o = order()
    outcome = apply_line_updates(
        o, patch([{"lineItemId": "5", "deliveredQuantity": 2}], "B", warehouseCode="WH-2")
    )
    assert (outcome.target_shipment_id, outcome.created, outcome.source_shipment_id) == (
        "B",
        True,
        "1",
    )
    new = o.shipment("B")
    assert new is not None
    assert (new.warehouse_code, new.shipping_method_name) == ("WH-2", "PostNord")
    assert new.address == o.order_form.shipments[0].address
    assert (held(o, "1", "5"), held(o, "B", "5")) == (3, 2)
    assert o.line("5") is not None and o.line("5").delivered_quantity == 2  # type: ignore[union-attr]


def test_units_never_assigned_to_a_shipment_are_used_first() -> None:
    o = order()
    shipment = o.order_form.shipments[0]
    shipment.line_items = [x for x in shipment.line_items if x.line_item_id != "6"]
    apply_line_updates(o, patch([{"lineItemId": "6", "splitQuantity": 2}], "1"))
    # Shipment 1 held none of line 6, so the units come from the unassigned ones.
    assert held(o, "1", "6") == 2
    assert [s.shipment_id for s in o.order_form.shipments] == ["1"]


def test_next_shipment_id_skips_taken_ids() -> None:
    o = order()
    o.order_form.shipments[0].shipment_id = "7"
    assert next_shipment_id(o) == "8"


def test_queued_and_read_only_orders_refuse_writes() -> None:
    with pytest.raises(LineUpdateError, match="queued") as err:
        ensure_writable(order(status="Queued"))
    assert err.value.status == 400
    with pytest.raises(LineUpdateError, match="read-only"):
        ensure_writable(order(isReadOnly=True))


def test_status_on_one_shipment_or_the_whole_order() -> None:
    o = order()
    apply_line_updates(o, patch([{"lineItemId": "4", "splitQuantity": 1}], "2"))
    apply_status(o, "Completed", shipment_id="2")
    follow_shipments(o)
    assert o.status == "PartiallyShipped"
    apply_status(o, "OrderCanceled", shipment_id="1")
    follow_shipments(o)
    assert o.status == "Completed"  # cancelled shipments do not count while others exist
    apply_status(o, "InProgress", shipment_id=None)
    assert o.status == "InProgress"
    # Final shipment statuses stay, so the order follows them again.
    assert [s.order_status for s in o.order_form.shipments] == ["OrderCanceled", "Completed"]
    follow_shipments(o)
    assert o.status == "Completed"
    o.order_form.shipments.append(o.order_form.shipments[0].model_copy(update={"shipment_id": "3"}))
    o.order_form.shipments[-1].order_status = "New"
    apply_status(o, "InProgress", shipment_id=None)
    assert [s.order_status for s in o.order_form.shipments] == [
        "OrderCanceled",
        "Completed",
        "InProgress",
    ]
    with pytest.raises(LineUpdateError) as err:
        apply_status(o, "New", shipment_id="9")
    assert err.value.status == 404


def test_lowering_an_absolute_quantity_is_allowed() -> None:
    o = order()
    apply_line_updates(o, patch([{"lineItemId": "4", "deliveredQuantity": 4}], "1"))
    apply_line_updates(o, patch([{"lineItemId": "4", "deliveredQuantity": 1}], "1"))
    assert o.line("4").delivered_quantity == 1  # type: ignore[union-attr]


# --- property-based: random sequences of updates keep the order consistent ----------------

_update = st.fixed_dictionaries(
    {"lineItemId": st.sampled_from(["4", "5", "6"])},
    optional={
        "deliveredQuantity": st.integers(0, 7),
        "canceledQuantity": st.integers(0, 7),
        "splitQuantity": st.integers(0, 7),
        "readyForPickupQuantity": st.integers(0, 7),
    },
)
_request = st.tuples(
    st.lists(_update, min_size=1, max_size=3, unique_by=lambda u: u["lineItemId"]),
    st.sampled_from([None, "1", "2", "3", "X"]),
)


def check_invariants(o: OmniumOrder) -> None:
    for line in o.order_form.line_items:
        copies = [
            c
            for s in o.order_form.shipments
            for c in s.line_items
            if c.line_item_id == line.line_item_id
        ]
        assert sum(c.quantity for c in copies) <= line.quantity
        for c in copies:
            assert c.quantity > 0  # no empty copies are left behind (rule 4)
            assert c.delivered_quantity + c.canceled_quantity <= c.quantity
            assert c.ready_for_pickup_quantity + c.canceled_quantity <= c.quantity
            assert min(c.delivered_quantity, c.canceled_quantity) >= 0
        assert line.delivered_quantity == sum(c.delivered_quantity for c in copies)
        assert line.canceled_quantity == sum(c.canceled_quantity for c in copies)
    ids = [s.shipment_id for s in o.order_form.shipments]
    assert len(ids) == len(set(ids))


@settings(max_examples=150, deadline=None)
@given(st.lists(_request, min_size=1, max_size=6))
def test_random_update_sequences_keep_the_order_consistent(
    requests: list[tuple[list[dict[str, Any]], str | None]],
) -> None:
    o = order()
    total = {line.line_item_id: line.quantity for line in o.order_form.line_items}
    for updates, shipment_id in requests:
        before = o.model_copy(deep=True)
        try:
            apply_line_updates(o, patch(updates, shipment_id))
        except LineUpdateError as err:
            assert err.status == 400
            o = before  # the caller works on a copy and drops it
            continue
        check_invariants(o)
        assert {line.line_item_id: line.quantity for line in o.order_form.line_items} == total
        # Repeating a request that names an existing shipment changes nothing (rule 3).
        if shipment_id is not None and all("splitQuantity" not in u for u in updates):
            again = o.model_copy(deep=True)
            apply_line_updates(again, patch(updates, shipment_id))
            assert again == o


def test_recompute_totals_sums_the_shipment_copies() -> None:
    o = order()
    apply_line_updates(o, patch([{"lineItemId": "6", "deliveredQuantity": 2}], "2"))
    apply_line_updates(o, patch([{"lineItemId": "6", "deliveredQuantity": 3}], "1"))
    o.line("6").delivered_quantity = Decimal(0)  # type: ignore[union-attr]
    recompute_totals(o)
    assert o.line("6").delivered_quantity == 5  # type: ignore[union-attr]
