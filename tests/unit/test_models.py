"""Behaviour of the Omnium wire models beyond the reference examples."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from packstation.omnium.models import LineItemReference, OmniumOrder, OpeningHour, ShipmentPackage
from packstation.omnium.search import OrderSearchResult
from packstation.omnium.token_answer import TokenResponse
from packstation.omnium.wire import MAX_ENTRIES, dotnet_camel
from packstation.omnium.workflow import (
    LineItemUpdate,
    UpdateLineItemStatusPatch,
    UpdateShipmentInfo,
    UpdateStatusPatch,
    WorkflowExecutionResult,
)


def error_locs(exc: pytest.ExceptionInfo[ValidationError]) -> list[tuple[Any, ...]]:
    return [tuple(e["loc"]) for e in exc.value.errors()]


def line_updates(n: int) -> list[dict[str, Any]]:
    return [{"lineItemId": str(i), "deliveredQuantity": 1} for i in range(n)]


# --- casing ----------------------------------------------------------------------------------


def test_pascal_case_input_is_accepted_and_camel_case_comes_out() -> None:
    patch = UpdateLineItemStatusPatch.model_validate(
        {
            "Status": "Completed",
            "LineItemUpdates": [{"LineItemId": "4", "DeliveredQuantity": 4}],
            "ShipmentInfo": {"ShipmentId": "2", "ShipmentMethodName": "Bring"},
            "IsShippingCostKeptForExistingShipment": True,
        }
    )
    assert patch.line_item_updates[0].line_item_id == "4"
    assert patch.to_json_dict() == {
        "status": "Completed",
        "lineItemUpdates": [{"lineItemId": "4", "deliveredQuantity": 4.0}],
        "shipmentInfo": {"shipmentId": "2", "shipmentMethodName": "Bring"},
        "isShippingCostKeptForExistingShipment": True,
    }


def test_snake_case_names_work_in_python() -> None:
    patch = UpdateStatusPatch(status="InProgress", skip_run_workflow=True)
    assert patch.to_json_dict() == {"status": "InProgress", "skipRunWorkflow": True}


def test_opening_hour_from_is_a_json_key_not_a_keyword() -> None:
    hour = OpeningHour.model_validate({"Day": "Monday", "From": "08:00", "To": "16:00"})
    assert hour.from_ == "08:00"
    assert hour.to_json_dict() == {"day": "Monday", "from": "08:00", "to": "16:00"}


def test_unset_fields_are_left_out() -> None:
    assert UpdateShipmentInfo(shipment_id="1").to_json_dict() == {"shipmentId": "1"}


@pytest.mark.parametrize(
    ("name", "camel"),
    [("OrderId", "orderId"), ("EAN", "ean"), ("IDNumber", "idNumber"), ("id", "id"), ("X", "x")],
)
def test_dotnet_camel(name: str, camel: str) -> None:
    assert dotnet_camel(name) == camel


# --- unknown fields --------------------------------------------------------------------------

REAL_ORDER: dict[str, Any] = {
    "id": "ORD-1",
    "status": "New",
    "marketId": "NOR",
    "customerNumber": "C-77",
    "publicOrderNotes": [{"note": "fragile", "created": "2024-01-01T00:00:00"}],
    "orderForm": {
        "lineItems": [
            {
                "lineItemId": "1",
                "code": "SKU-1",
                "quantity": 2.0,
                "discountedPrice": 99.5,
                "properties": [{"key": "colour", "value": "red"}],
            }
        ],
        "shipments": [
            {
                "shipmentId": "1",
                "status": "Packing",
                "lineItems": [{"lineItemId": "1", "quantity": 2.0, "isGift": False}],
                "packages": [{"id": "P1", "weightInKg": 1.5, "customsValue": 12.0}],
                "bookingReference": "BR-9",
            }
        ],
        "payments": [{"id": "pay-1", "amount": 199.0, "pspReference": "psp"}],
        "giftCardsTotal": 0.0,
    },
    "lastSyncedToErp": "0001-01-01T00:00:00",
}


def test_unknown_order_fields_survive_a_round_trip() -> None:
    order = OmniumOrder.model_validate(REAL_ORDER)
    assert json.loads(json.dumps(order.to_json_dict())) == REAL_ORDER
    assert order.model_extra == {
        "customerNumber": "C-77",
        "publicOrderNotes": [{"note": "fragile", "created": "2024-01-01T00:00:00"}],
        "lastSyncedToErp": "0001-01-01T00:00:00",
    }


def test_unknown_fields_survive_inside_a_workflow_result() -> None:
    answer = {"order": REAL_ORDER, "isAborted": False, "orderActionExecutionResults": []}
    result = WorkflowExecutionResult.model_validate(answer)
    assert json.loads(json.dumps(result.to_json_dict())) == answer


def test_pascal_case_unknown_fields_come_out_camel_case() -> None:
    order = OmniumOrder.model_validate({"Id": "1", "CustomerNumber": "C-1", "EAN": "x"})
    assert order.to_json_dict() == {"id": "1", "customerNumber": "C-1", "ean": "x"}


def test_search_result_keeps_orders_whole() -> None:
    result = OrderSearchResult.model_validate({"result": [REAL_ORDER], "totalHits": 41})
    assert result.total_hits == 41
    assert result.result[0].order_form.shipments[0].model_extra == {"bookingReference": "BR-9"}


# --- quantities ------------------------------------------------------------------------------


def test_quantities_are_decimals_in_python_and_numbers_in_json() -> None:
    update = LineItemUpdate.model_validate({"lineItemId": "1", "deliveredQuantity": "2.5"})
    assert update.delivered_quantity == Decimal("2.5")
    text = json.dumps(update.to_json_dict())
    assert json.loads(text) == {"lineItemId": "1", "deliveredQuantity": 2.5}
    assert '"deliveredQuantity": 2.5' in text  # a number, not the string "2.5"


def test_integral_quantities_are_written_as_decimal_numbers() -> None:
    update = LineItemUpdate(line_item_id="1", delivered_quantity=Decimal(4))
    assert json.dumps(update.to_json_dict()) == '{"lineItemId": "1", "deliveredQuantity": 4.0}'


@settings(max_examples=60, deadline=None)
@given(st.decimals(min_value=0, max_value=100000, places=3, allow_nan=False))
def test_quantity_round_trip_keeps_the_value(value: Decimal) -> None:
    update = LineItemUpdate(line_item_id="1", split_quantity=value)
    back = LineItemUpdate.model_validate_json(json.dumps(update.to_json_dict()))
    assert back.split_quantity == value


@pytest.mark.parametrize(
    "field",
    [
        "deliveredQuantity",
        "canceledQuantity",
        "splitQuantity",
        "readyForPickupQuantity",
        "reallocateQuantity",
    ],
)
def test_negative_quantities_are_refused_naming_the_field(field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        UpdateLineItemStatusPatch.model_validate(
            {"status": "Completed", "lineItemUpdates": [{"lineItemId": "1", field: -1}]}
        )
    assert error_locs(exc) == [("lineItemUpdates", 0, field)]
    assert field in str(exc.value)


def test_not_a_number_is_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        LineItemUpdate.model_validate({"lineItemId": "1", "deliveredQuantity": "NaN"})
    assert error_locs(exc) == [("deliveredQuantity",)]


def test_a_package_reference_holds_only_the_line_id() -> None:
    # Omnium's ShipmentPackageLineItemReference has no quantity: one read from an older store
    # is dropped, never written back.
    reference = LineItemReference.model_validate({"lineItemId": "1", "quantity": 2})
    assert reference.to_json_dict() == {"lineItemId": "1"}


# --- required fields -------------------------------------------------------------------------


def test_update_status_requires_status() -> None:
    with pytest.raises(ValidationError) as exc:
        UpdateStatusPatch.model_validate({"skipRunWorkflow": True})
    assert error_locs(exc) == [("status",)]


def test_update_status_refuses_empty_status() -> None:
    with pytest.raises(ValidationError) as exc:
        UpdateStatusPatch.model_validate({"status": ""})
    assert error_locs(exc) == [("status",)]


def test_lines_update_requires_status_and_line_item_updates() -> None:
    with pytest.raises(ValidationError) as exc:
        UpdateLineItemStatusPatch.model_validate({"shipmentInfo": {"shipmentId": "1"}})
    assert sorted(error_locs(exc)) == [("lineItemUpdates",), ("status",)]
    assert "lineItemUpdates" in str(exc.value) and "status" in str(exc.value)


def test_lines_update_refuses_an_empty_list() -> None:
    with pytest.raises(ValidationError) as exc:
        UpdateLineItemStatusPatch.model_validate({"status": "Completed", "lineItemUpdates": []})
    assert error_locs(exc) == [("lineItemUpdates",)]


def test_line_item_update_requires_line_item_id() -> None:
    with pytest.raises(ValidationError) as exc:
        UpdateLineItemStatusPatch.model_validate(
            {"status": "Completed", "lineItemUpdates": [{"deliveredQuantity": 1}]}
        )
    assert error_locs(exc) == [("lineItemUpdates", 0, "lineItemId")]


def test_ids_the_contract_makes_nullable_read_as_empty() -> None:
    # Omnium's contract marks id, shipmentId and lineItemId nullable: such an order still reads
    # (the queue skips it and packing refuses it, as nothing without an id can be named).
    order = OmniumOrder.model_validate(
        {
            "id": None,
            "orderForm": {
                "lineItems": [{"lineItemId": None}],
                "shipments": [{"shipmentId": None, "lineItems": None}],
            },
        }
    )
    assert order.id == ""
    assert order.order_form.line_items[0].line_item_id == ""
    assert order.order_form.shipments[0].shipment_id == ""
    assert order.order_form.shipments[0].line_items == []


def test_wrong_type_names_the_nested_field() -> None:
    with pytest.raises(ValidationError) as exc:
        UpdateStatusPatch.model_validate(
            {"status": "Completed", "shipmentInfo": {"packages": [{"weightInKg": "heavy"}]}}
        )
    assert error_locs(exc) == [("shipmentInfo", "packages", 0, "weightInKg")]


# --- the 250-entry limits --------------------------------------------------------------------


def test_line_item_updates_allow_250() -> None:
    patch = UpdateLineItemStatusPatch.model_validate(
        {"status": "Completed", "lineItemUpdates": line_updates(MAX_ENTRIES)}
    )
    assert len(patch.line_item_updates) == 250


def test_line_item_updates_refuse_251() -> None:
    with pytest.raises(ValidationError) as exc:
        UpdateLineItemStatusPatch.model_validate(
            {"status": "Completed", "lineItemUpdates": line_updates(MAX_ENTRIES + 1)}
        )
    assert error_locs(exc) == [("lineItemUpdates",)]


@pytest.mark.parametrize(
    ("field", "entry"),
    [
        ("packages", {"id": "P"}),
        ("externalIds", {"id": "E", "providerName": "erp"}),
        ("properties", {"key": "k", "value": "v"}),
    ],
)
def test_shipment_info_lists_are_capped(field: str, entry: dict[str, str]) -> None:
    full = UpdateShipmentInfo.model_validate({field: [entry] * MAX_ENTRIES})
    assert len(full.to_json_dict()[field]) == 250
    with pytest.raises(ValidationError) as exc:
        UpdateShipmentInfo.model_validate({field: [entry] * 251})
    assert error_locs(exc) == [(field,)]


def test_package_line_references_are_capped() -> None:
    refs = [{"lineItemId": str(i)} for i in range(251)]
    with pytest.raises(ValidationError) as exc:
        ShipmentPackage.model_validate({"id": "P", "lineItemReferences": refs})
    assert error_locs(exc) == [("lineItemReferences",)]


def test_workflow_results_are_capped() -> None:
    step = {"actionType": "Notification", "actionStatus": "Success"}
    with pytest.raises(ValidationError) as exc:
        WorkflowExecutionResult.model_validate({"orderActionExecutionResults": [step] * 251})
    assert error_locs(exc) == [("orderActionExecutionResults",)]


# --- results and tokens ----------------------------------------------------------------------


def test_failing_step_is_the_one_that_cancelled() -> None:
    result = WorkflowExecutionResult.model_validate(
        {
            "isAborted": True,
            "orderActionExecutionResults": [
                {"actionType": "CapturePayments", "actionStatus": "Success"},
                {
                    "actionType": "PrintShippingLabel",
                    "actionStatus": "Error",
                    "errorReason": "carrier down",
                    "cancelWorkflow": True,
                },
            ],
        }
    )
    assert result.failing_step is not None
    assert result.failing_step.action_type == "PrintShippingLabel"
    assert result.failing_step.error_reason == "carrier down"


def test_token_response() -> None:
    token = TokenResponse.model_validate(
        {"accessToken": "abc", "tokenType": "Bearer", "expiresIn": 864000}
    )
    assert (token.access_token, token.expires_in) == ("abc", 864000)


def test_order_helpers_find_shipments_and_lines() -> None:
    order = OmniumOrder.model_validate(REAL_ORDER)
    shipment = order.shipment("1")
    assert shipment is not None and shipment.status == "Packing"
    assert order.shipment("9") is None
    line = order.line("1")
    assert line is not None and line.quantity == Decimal(2)
    assert order.line("2") is None


quantities = st.none() | st.decimals(min_value=0, max_value=10000, places=2, allow_nan=False)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.text(min_size=1, max_size=8), quantities, quantities, quantities),
        min_size=1,
        max_size=5,
    ),
    st.sampled_from(["Completed", "InProgress", "PartiallyShipped"]),
    st.none() | st.text(min_size=1, max_size=8),
)
def test_lines_patch_round_trips_through_json(
    lines: list[tuple[str, Decimal | None, Decimal | None, Decimal | None]],
    status: str,
    shipment_id: str | None,
) -> None:
    patch = UpdateLineItemStatusPatch(
        status=status,
        line_item_updates=[
            LineItemUpdate(
                line_item_id=line_id,
                delivered_quantity=delivered,
                canceled_quantity=canceled,
                split_quantity=split,
            )
            for line_id, delivered, canceled, split in lines
        ],
        shipment_info=UpdateShipmentInfo(shipment_id=shipment_id),
    )
    text = json.dumps(patch.to_json_dict())
    assert UpdateLineItemStatusPatch.model_validate_json(text) == patch
    assert "shipmentInfo" in json.loads(text)
