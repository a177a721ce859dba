"""Events as JSON for the journal: every type round-trips, bad input is refused."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from packstation.packing.decisions import Decision
from packstation.packing.events import (
    EVENT_TYPES,
    BoxChosen,
    DecisionSet,
    DimensionsSet,
    Event,
    ItemPacked,
    ItemUnpacked,
    PackageOpened,
    PackerSet,
    Undone,
    WeightSet,
    event_from_dict,
    event_to_dict,
)

EVENTS: list[Event] = [
    PackerSet("anna"),
    ItemPacked("4", Decimal(2), 1),
    ItemUnpacked("4", Decimal("0.5"), 2),
    PackageOpened(2),
    BoxChosen(1, "M", 40, 30, 20),
    DimensionsSet(1, 41, 31, 21),
    WeightSet(2, Decimal("1.250")),
    DecisionSet("5", Decision.CANCEL),
    DecisionSet("6", Decision.SPLIT, "WH-BERGEN", "SP-1"),
    Undone(),
]


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: type(e).__name__)
def test_every_event_round_trips_through_json(event: Event) -> None:
    data = json.loads(json.dumps(event_to_dict(event)))
    assert data["type"] == event.TYPE
    back = event_from_dict(data)
    assert back == event and type(back) is type(event)


def test_decimals_are_written_as_exact_strings() -> None:
    assert event_to_dict(WeightSet(1, Decimal("1.250"))) == {
        "type": "weight_set",
        "package_no": 1,
        "weight_kg": "1.250",
    }


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"type": "teleported"},
        {"type": "item_packed", "line_item_id": "1", "units": "1"},  # no package_no
        {"type": "item_packed", "line_item_id": "1", "units": "x", "package_no": 1},
        {"type": "item_packed", "line_item_id": "1", "units": "NaN", "package_no": 1},
        {"type": "item_packed", "line_item_id": "1", "units": 1.5, "package_no": 1},
        {"type": "item_packed", "line_item_id": 1, "units": "1", "package_no": 1},
        {"type": "package_opened", "package_no": "2"},
        {"type": "package_opened", "package_no": True},
        {"type": "decision_set", "line_item_id": "1", "decision": "burn"},
        {"type": "decision_set", "line_item_id": "1", "decision": "split", "warehouse_code": 7},
    ],
)
def test_bad_dicts_raise_value_error(data: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        event_from_dict(data)


def test_optional_fields_may_be_left_out() -> None:
    assert event_from_dict({"type": "decision_set", "line_item_id": "1", "decision": "keep"}) == (
        DecisionSet("1", Decision.KEEP)
    )
    assert event_from_dict(
        {"type": "item_packed", "line_item_id": "1", "units": 3, "package_no": 1}
    ) == ItemPacked("1", Decimal(3), 1)


def test_the_round_trip_examples_cover_every_event_type() -> None:
    assert {type(event) for event in EVENTS} == set(EVENT_TYPES.values())
