"""A workflow config whose Online `Completed` runs every kind of step at once (with Omnium's step
names): engine tests exercise abort, errors entries and failure injection on one workflow instead
of walking an order through the default config's PackedAndReady -> Ship -> Completed."""

from __future__ import annotations

from packstation.sandbox.workflow_config import (
    WorkflowConfig,
    load_workflow_config,
    parse_workflow_config,
)

_TOML = """
[settings]
defaultOrderType = "Online"

[carriers.Bring]
trackingUrl = "https://tracking.bring.com/tracking/{tracking_number}"
labelUrl = "https://sandbox.packstation.invalid/labels/bring/{tracking_number}.pdf"

[orderTypes.Online.InProgress]
steps = []

[orderTypes.Online.Completed]
steps = [
  { name = "SplitShipmentCost", latency = 0.01 },
  { name = "CapturePayments", stopOnError = true, latency = 0.05 },
  { name = "ReduceInventory", stopOnError = true, latency = 0.02 },
  { name = "PrintShippingLabel", stopOnError = true, latency = 0.15 },
  { name = "UpdateShipmentStatus", latency = 0.01, parameters = { shipmentStatus = "Shipped" } },
  { name = "Notification", latency = 0.02 },
  { name = "SetCompletedDate", latency = 0.01 },
]

[orderTypes.Online.OrderCanceled]
steps = [
  { name = "UpdateShipmentStatus", latency = 0.01, parameters = { shipmentStatus = "Cancelled" } },
  { name = "Notification", latency = 0.02 },
]
"""


def all_in_one_config() -> WorkflowConfig:
    """The config above with the default's carriers and click-and-collect type."""
    default = load_workflow_config(None)
    mine = parse_workflow_config(_TOML, source="one_step_config")
    types = dict(mine.order_types)
    types["ClickAndCollect"] = default.order_types["ClickAndCollect"]
    return WorkflowConfig(
        order_types=types,
        carriers=default.carriers,
        default_order_type="Online",
    )
