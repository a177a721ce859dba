"""The contract checker itself: it finds each kind of violation and passes what is valid."""

from __future__ import annotations

import pytest

from packstation.omnium.contract import (
    check_request,
    check_response,
    check_schema,
    path_template,
    schema_names,
)


def test_the_contract_has_the_schemas_the_station_uses() -> None:
    names = set(schema_names())
    assert {
        "OmniumOrder",
        "OmniumOrderSearchRequest",
        "OmniumUpdateLineItemStatusPatch",
        "OmniumUpdateStatusPatch",
        "OmniumOrderType",
    } <= names
    assert len(names) == 72


def test_a_field_the_schema_lacks_is_named() -> None:
    [violation] = check_schema(
        "OmniumShipmentPackage",
        {"id": "P", "lineItemReferences": [{"lineItemId": "1", "quantity": 2}]},
    )
    assert violation.path == "lineItemReferences[0].quantity"
    assert violation.unknown_field == "quantity"


def test_null_only_where_nullable() -> None:
    assert check_schema("OmniumShipmentPackage", {"volume": None, "dimensions": None}) == []
    [violation] = check_schema("OmniumShipmentPackage", {"weightInKg": None})
    assert (violation.path, violation.unknown_field) == ("weightInKg", None)
    assert "null" in violation.message


def test_nullable_references_take_null_or_a_valid_object() -> None:
    assert check_schema("OmniumUpdateStatusPatch", {"status": "New", "shipmentInfo": None}) == []
    [violation] = check_schema(
        "OmniumUpdateStatusPatch", {"status": "New", "shipmentInfo": {"zipCode": "0150"}}
    )
    assert violation.path == "shipmentInfo.zipCode"


def test_required_fields_and_types_at_depth() -> None:
    assert [v.message for v in check_schema("OmniumUpdateStatusPatch", {})] == [
        "'status' is a required property"
    ]
    [violation] = check_schema(
        "OmniumOrder", {"orderForm": {"shipments": [{"packages": [{"weightInKg": "2"}]}]}}
    )
    assert violation.path == "orderForm.shipments[0].packages[0].weightInKg"


def test_requests_and_answers_by_endpoint() -> None:
    assert check_request("POST", "/api/Orders/Search", {"take": 10, "page": 0}) == []
    [violation] = check_request("POST", "/api/Orders/Search", {"selectedWarehouses": ["WH"]})
    assert violation.unknown_field == "selectedWarehouses"
    assert check_response("GET", "/api/Settings/OrderTypes", 200, [{"name": "Online"}]) == []
    [violation] = check_response(
        "GET", "/api/Settings/OrderTypes", 200, [{"name": "Online", "statuses": []}]
    )
    assert violation.unknown_field == "statuses"
    # POST /api/Orders documents no answer: the created order is held to OmniumOrder.
    assert check_response("POST", "/api/Orders", 201, {"id": "A", "tags": None}) == []
    with pytest.raises(KeyError):
        check_request("POST", "/api/Orders/Nowhere", {})


def test_paths_map_to_the_contracts_templates() -> None:
    assert path_template("/api/Orders/Search") == "/api/Orders/Search"
    assert path_template("/api/Orders/ORD-1") == "/api/Orders/{id}"
    assert path_template("/api/Orders/ORD-1/OrderLinesUpdate") == (
        "/api/Orders/{orderId}/OrderLinesUpdate"
    )
    assert path_template("/api/Orders/C1/processCartWorkflowTest/New") == (
        "/api/Orders/{cartId}/processCartWorkflowTest/{status}"
    )
    assert path_template("/api/Settings/OrderTypes") == "/api/Settings/OrderTypes"
    assert path_template("/admin/reset") is None
