"""Every JSON example of omnium-workflow-api.txt parses into its model and serialises back.

The examples were copied verbatim from the reference into data/omnium_examples/, one file per
example, named `<Model>__<example title>.json`, so the suite needs nothing outside tests/.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from packstation.omnium import models, order_types, search, token_answer, workflow
from packstation.omnium.wire import WireModel

EXAMPLES = Path(__file__).parent / "data" / "omnium_examples"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.json"))

# The reference holds 3 UpdateStatus bodies, 5 OrderLinesUpdate bodies and 1 response.
EXPECTED_COUNTS = {
    "UpdateStatusPatch": 3,
    "UpdateLineItemStatusPatch": 5,
    "WorkflowExecutionResult": 1,
}


def same_json(a: Any, b: Any) -> bool:
    """JSON value equality: numbers by value (4 == 4.0), but a bool is never a number."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return Decimal(str(a)) == Decimal(str(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_json(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_json(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


MODEL_MODULES = (models, workflow, search, order_types, token_answer)
"""The modules holding Omnium's wire models."""


def model_for(path: Path) -> type[WireModel]:
    name = path.stem.split("__")[0]
    model = next(getattr(m, name) for m in MODEL_MODULES if hasattr(m, name))
    assert issubclass(model, WireModel)
    return model


def test_every_reference_example_is_present() -> None:
    counts: dict[str, int] = {}
    for path in EXAMPLE_FILES:
        counts[path.stem.split("__")[0]] = counts.get(path.stem.split("__")[0], 0) + 1
    assert counts == EXPECTED_COUNTS


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[p.stem for p in EXAMPLE_FILES])
def test_example_round_trips(path: Path) -> None:
    original = json.loads(path.read_text())
    parsed = model_for(path).model_validate(original)
    # Through real JSON text, as it would travel.
    written = json.loads(json.dumps(parsed.to_json_dict()))
    assert same_json(written, original), (written, original)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[p.stem for p in EXAMPLE_FILES])
def test_example_parses_from_model_validate_json(path: Path) -> None:
    text = path.read_text()
    parsed = model_for(path).model_validate_json(text)
    assert parsed == model_for(path).model_validate(json.loads(text))


def test_same_json_tells_values_apart() -> None:
    assert same_json({"a": [1, 2.5]}, {"a": [1.0, 2.5]})
    assert not same_json({"a": True}, {"a": 1})
    assert not same_json({"a": 1}, {"a": 1, "b": None})
    assert not same_json([1, 2], [2, 1])
    assert not same_json({"a": "1"}, {"a": 1})


def test_example_quantities_become_decimals() -> None:
    patch = workflow.UpdateLineItemStatusPatch.model_validate_json(
        (EXAMPLES / "UpdateLineItemStatusPatch__deliver_and_cancel_items.json").read_text()
    )
    second = patch.line_item_updates[1]
    assert second.line_item_id == "5"
    assert second.delivered_quantity == Decimal(2)
    assert isinstance(second.canceled_quantity, Decimal)
    assert second.canceled_quantity == Decimal(3)
    assert second.split_quantity is None


def test_example_response_reads_the_steps() -> None:
    result = workflow.WorkflowExecutionResult.model_validate_json(
        (EXAMPLES / "WorkflowExecutionResult__example_response.json").read_text()
    )
    assert result.order is not None and result.order.id == "ORD-2024-000001"
    assert [r.action_type for r in result.order_action_execution_results] == [
        "CapturePayment",
        "Notification",
        "ReduceInventory",
    ]
    assert result.failing_step is None
    assert not result.is_aborted
