"""Loading the workflow configuration: the packaged default, custom TOML, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from packstation.sandbox.engine import (
    WorkflowConfigError,
    load_workflow_config,
    parse_workflow_config,
)
from packstation.sandbox.workflow_config import FailureRule

MINIMAL = """
[carriers.Bring]
trackingUrl = "https://t.example/{tracking_number}"
labelUrl = "https://l.example/{tracking_number}.pdf"

[orderTypes.Online.Completed]
steps = [
  { name = "CapturePayments", stopOnError = true, latency = 0 },
  { name = "Notification", parameters = { channel = "sms", template = "{order_id}" } },
]
"""


def test_the_default_ships_omniums_online_and_click_and_collect_flows() -> None:
    config = load_workflow_config(None)
    assert {"Online", "ClickAndCollect"} <= set(config.order_types)

    def names(order_type: str, status: str) -> list[str]:
        return [s.name for s in config.steps_for(order_type, status)]

    assert config.status_names("Online")[:6] == [
        "New",
        "InProgress",
        "PackedAndReady",
        "Ship",
        "InTransit",
        "Completed",
    ]
    assert names("Online", "PackedAndReady")[:3] == [
        "PrintShippingLabel",
        "CompleteShipment",
        "ValidateTrackingNumber",
    ]
    ship = config.steps_for("Online", "Ship")
    assert [
        s.name for s in ship if s.name not in ("SplitShipmentCost", "UpdateShipmentStatus")
    ] == [
        "CapturePayments",
        "ReduceInventory",
        "Notification",
        "ExportOrder",
    ]
    assert [s.name for s in ship if s.stop_on_error] == ["CapturePayments", "ReduceInventory"]
    assert names("Online", "Completed") == ["SetCompletedDate", "AnalyticsIndexing"]
    in_progress = config.steps_for("Online", "InProgress")
    assert [s.name for s in in_progress] == ["UpdateShipmentStatus", "Notification"]
    assert in_progress[0].parameters["shipmentStatus"] == "Packing"
    assert names("ClickAndCollect", "ReadyForPickup") == [
        "SetReadyForPickupDate",
        "SetShipmentOrOrderReadyForPickup",
        "Notification",
    ]
    assert names("ClickAndCollect", "PickedUp")[:2] == ["CapturePayments", "ReduceInventory"]
    assert names("ClickAndCollect", "PickedUp")[-1] == "SetCompletedDate"
    assert "NotCollected" in config.status_names("ClickAndCollect")
    assert {"Bring", "PostNord", "Helthjem", "Pickup"} <= set(config.carriers)
    assert config.default_order_type == "Online"
    assert config.failures == ()


def test_default_latencies_are_small_and_booking_is_the_slowest() -> None:
    config = load_workflow_config(None)
    steps = [
        step
        for statuses in config.order_types.values()
        for status_steps in statuses.values()
        for step in status_steps
    ]
    # What a caller waits for (the answer) is quick; steps after the answer may take longer.
    answered = [step for step in steps if not step.run_after_order_is_saved]
    assert all(0 < step.latency <= 0.3 for step in answered)
    assert max(answered, key=lambda s: s.latency).name == "PrintShippingLabel"
    later = [step for step in steps if step.run_after_order_is_saved]
    assert later and all(0 < step.latency <= 3.0 for step in later)
    packed = config.steps_for("Online", "PackedAndReady")
    assert sum(s.latency for s in packed if not s.run_after_order_is_saved) < 0.5


def test_the_order_types_document_is_omniums_shape() -> None:
    document = load_workflow_config(None).order_types_document()
    text = json.dumps([t.model_dump(mode="json", by_alias=True) for t in document])
    online = next(t for t in json.loads(text) if t["name"] == "Online")
    assert online["defaultOrderType"] is True
    ship = next(s for s in online["orderStatuses"] if s["name"] == "Ship")
    assert ship["workflowSteps"][1] == {
        "name": "CapturePayments",
        "active": True,
        "stopOnError": True,
        "runAfterOrderIsSaved": False,
        "properties": [
            {"key": "sandboxLatencySeconds", "value": "0.05", "keyGroup": None, "valueType": None}
        ],
        "enabledForWarehouses": None,
        "disabledForWarehouses": None,
        "enabledForStores": None,
        "disabledForStores": None,
        "enabledForMarkets": None,
        "disabledForMarkets": None,
        "enabledForShipmentOptions": None,
        "disabledForShipmentOptions": None,
    }
    assert ship["shipmentStatusUpdate"] == "Shipped"
    completed = next(s for s in online["orderStatuses"] if s["name"] == "Completed")
    assert completed["isDeliveredStatus"] is True
    in_progress = next(s for s in online["orderStatuses"] if s["name"] == "InProgress")
    [status_property, _] = in_progress["workflowSteps"][0]["properties"]
    assert (status_property["key"], status_property["value"]) == ("shipmentStatus", "Packing")


def test_a_custom_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "workflows.toml"
    path.write_text(
        MINIMAL
        + """
[settings]
latencyScale = 0
seed = 42

[[failures]]
step = "CapturePayments"
sku = "NH-1001"
reason = "Card expired"

[[failures]]
step = "PrintShippingLabel"
probability = 0.25
status = "Completed"

[sandbox]
queued_seconds = 5
""",
        encoding="utf-8",
    )
    config = load_workflow_config(path)
    assert list(config.order_types) == ["Online"]
    capture, notify = config.steps_for("Online", "Completed")
    assert (capture.name, capture.stop_on_error, capture.latency) == ("CapturePayments", True, 0.0)
    assert (notify.stop_on_error, notify.latency) == (False, 0.02)
    assert dict(notify.parameters) == {"channel": "sms", "template": "{order_id}"}
    assert config.latency_scale == 0 and config.seed == 42
    assert config.failures == (
        FailureRule(step="CapturePayments", sku="NH-1001", reason="Card expired"),
        FailureRule(step="PrintShippingLabel", probability=0.25, status="Completed"),
    )
    assert config.carrier("BRING") is not None
    assert config.carrier("Posten") is None
    assert config.steps_for("ClickAndCollect", "Completed") == config.steps_for(
        "Online", "Completed"
    )  # unknown type -> the default type (the first one when not set)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("orderTypes = [", "invalid TOML"),
        ("[settings]\nseed = 1\n", "orderTypes: missing"),
        (MINIMAL.replace("CapturePayments", "CapturePayment"), "unknown step 'CapturePayment'"),
        (MINIMAL.replace("stopOnError = true", 'stopOnError = "yes"'), "stopOnError"),
        (MINIMAL.replace("latency = 0 ", "latency = -1 "), "latency: must be between"),
        (MINIMAL + "\n[bogus]\nx = 1\n", "unknown key(s) bogus"),
        (MINIMAL + '\n[[failures]]\nstep = "PrintShippingLabel"\n', "exactly one of sku"),
        (MINIMAL + '\n[[failures]]\nstep = "PrintShippingLabel"\nprobability = 2\n', "probability"),
        (MINIMAL + '\n[settings]\ndefaultOrderType = "Shop"\n', "'Shop' not defined"),
        (MINIMAL.replace('labelUrl = "https://l.example/{tracking_number}.pdf"', ""), "labelUrl"),
    ],
)
def test_bad_configs_give_one_clear_line(text: str, message: str) -> None:
    with pytest.raises(WorkflowConfigError) as caught:
        parse_workflow_config(text, source="my.toml")
    assert str(caught.value).startswith("my.toml: ")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_bad_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("[orderTypes.Online.Completed]\nsteps = [ { name = 'Notification' ", "utf-8")
    with pytest.raises(WorkflowConfigError, match=r"broken\.toml: invalid TOML"):
        load_workflow_config(path)


def test_a_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(WorkflowConfigError, match="cannot read workflow config"):
        load_workflow_config(tmp_path / "nope.toml")
