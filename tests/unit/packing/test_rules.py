"""Packing rules from the station's settings."""

from __future__ import annotations

from decimal import Decimal

from packstation.config import Settings
from packstation.packing.boxes import DEFAULT_BOX_PRESETS, BoxPreset
from packstation.packing.rules import PackingRules


def test_rules_from_settings() -> None:
    box = BoxPreset(name="Tube", length_cm=100, width_cm=10, height_cm=10)
    settings = Settings(
        warehouse="WH-BERGEN",
        max_weight_kg=Decimal(30),
        max_dimension_cm=120,
        completion_status="Ship",
        packed_statuses={"Online": "PackedAndReady", "B2B": "Ship"},
        keep_for_later_status="Backorder",
        box_presets=[box],
    )
    rules = PackingRules.from_settings(settings)
    assert rules == PackingRules(
        warehouse="WH-BERGEN",
        max_weight_kg=Decimal(30),
        max_dimension_cm=120,
        box_presets=(box,),
        completion_status="Ship",
        packed_statuses={"Online": "PackedAndReady", "B2B": "Ship"},
        interim_status="Backorder",
    )
    assert rules.packed_status("B2B") == "Ship"
    assert rules.packed_status("ClickAndCollect") == "Ship"  # not in the map: the fallback
    assert rules.preset("tube") == box and rules.preset("M") is None


def test_default_rules() -> None:
    rules = PackingRules.from_settings(Settings())
    assert (rules.warehouse, rules.max_weight_kg, rules.max_dimension_cm) == ("WH-OSLO", 70, 300)
    assert rules.completion_status == "PackedAndReady"
    assert rules.packed_status("Online") == rules.packed_status(None) == "PackedAndReady"
    assert rules.packed_status("ClickAndCollect") == "ReadyForPickup"
    assert rules.packed_status("Wholesale") == "PackedAndReady"
    assert rules.is_pickup("ClickAndCollect") and not rules.is_pickup(None)
    assert [p.name for p in rules.box_presets] == ["ENV", "S", "M", "L", "XL"]
    assert rules.box_presets == DEFAULT_BOX_PRESETS
    assert rules.require_packer and rules.require_weight and rules.interim_status is None
