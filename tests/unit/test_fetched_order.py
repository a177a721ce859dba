"""Omnium's order as its documentation shows it (postalCode addresses), with explicit nulls
wherever the contract allows them, or with those fields left out: it reads, packs, labels."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from packstation.labels.label import labels_for_submission
from packstation.labels.label_layout import label_page
from packstation.labels.sscc import SsccAllocator
from packstation.omnium.contract import check_schema, with_nulls, without_nullables
from packstation.omnium.models import OmniumOrder
from packstation.omnium.workflow import WorkflowExecutionResult
from packstation.packing.plan import plan_submission
from packstation.packing.rules import PackingRules
from packstation.packing.session import PackingSession

FETCHED = Path(__file__).parent / "data" / "omnium_fetched_order.json"


def fetched() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FETCHED.read_text())
    return data


VARIANTS = {
    "as-documented": fetched,
    "every-nullable-null": lambda: with_nulls("OmniumOrder", fetched()),
    "every-nullable-absent": lambda: without_nullables("OmniumOrder", fetched()),
}


def test_the_variants_are_what_they_say() -> None:
    nulls = with_nulls("OmniumOrder", fetched())
    for field in ("tags", "errors", "properties", "versionId", "completed", "assets"):
        assert nulls[field] is None
    form = nulls["orderForm"]
    assert form["payments"] is None and form["discounts"] is None
    shipment = form["shipments"][0]
    assert shipment["packages"] is None and shipment["orderStatusLog"] is None
    assert shipment["lineItems"][0]["readyForPickupQuantity"] is None
    absent = without_nullables("OmniumOrder", fetched())
    assert "tags" not in absent and "packages" not in absent["orderForm"]["shipments"][0]


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_order_keeps_the_contract_reads_and_is_written_back_valid(variant: str) -> None:
    data = VARIANTS[variant]()
    assert check_schema("OmniumOrder", data) == []
    order = OmniumOrder.model_validate(data)
    assert order.tags == [] and order.errors == [] and order.order_form.payments == []
    assert order.order_form.shipments[0].packages == []
    assert order.order_form.shipments[0].address is not None
    assert order.order_form.shipments[0].address.postal_code == "0154"
    # What the sandbox would store and answer for it still keeps the contract.
    assert check_schema("OmniumOrder", order.model_dump(mode="json", by_alias=True)) == []


@pytest.mark.parametrize("variant", VARIANTS)
def test_it_packs_and_its_label_has_the_postal_code(variant: str) -> None:
    order = OmniumOrder.model_validate(VARIANTS[variant]())
    session = PackingSession(order, PackingRules(warehouse="WH-OSLO"))
    assert session.pack("1", Decimal(2)).ok and session.pack("2").ok
    assert session.set_weight(Decimal("1.4")).ok
    session.set_packer("P1")
    plan = plan_submission(session, sscc=SsccAllocator("7012345", "01", lambda: 1))
    [label] = labels_for_submission(order, "1", plan.packages)
    assert label.ship_to_postal_code == "0154"
    assert "0154 Oslo, NO" in label.text_lines()
    # Which units the package holds is on its label (Omnium's references carry no quantity).
    assert "Contents 2 × NH-1003, 1 × NH-1005" in label.text_lines()
    assert "Contents 2 × NH-1003, 1 × NH-1005" in label_page(label).texts()


def test_a_workflow_result_with_null_steps_and_lists_reads() -> None:
    result = WorkflowExecutionResult.model_validate(
        {
            "order": with_nulls("OmniumOrder", fetched()),
            "isAborted": False,
            "orderActionExecutionResults": [
                {"actionType": None, "actionStatus": None, "errorReason": None}
            ],
        }
    )
    assert result.order_action_execution_results[0].action_type == ""
    nothing = WorkflowExecutionResult.model_validate(
        {"order": None, "orderActionExecutionResults": None}
    )
    assert nothing.order_action_execution_results == [] and nothing.failing_step is None
