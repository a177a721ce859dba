"""The sandbox's workflow steps by the name results and the workflow config use."""

from __future__ import annotations

from packstation.sandbox.step_context import StepFunction
from packstation.sandbox.steps_inventory import reduce_inventory
from packstation.sandbox.steps_order import (
    analytics_indexing,
    export_order,
    notification,
    set_completed_date,
)
from packstation.sandbox.steps_payment import capture_payment, split_shipment_cost
from packstation.sandbox.steps_shipping import (
    complete_shipment,
    print_shipping_label,
    set_ready_for_pickup_date,
    set_shipment_or_order_ready_for_pickup,
    update_shipment_status,
    validate_tracking_number,
)

STEPS: dict[str, StepFunction] = {
    "CapturePayments": capture_payment,
    "Notification": notification,
    "ReduceInventory": reduce_inventory,
    "PrintShippingLabel": print_shipping_label,
    "CompleteShipment": complete_shipment,
    "ValidateTrackingNumber": validate_tracking_number,
    "ExportOrder": export_order,
    "AnalyticsIndexing": analytics_indexing,
    "UpdateShipmentStatus": update_shipment_status,
    "SplitShipmentCost": split_shipment_cost,
    "SetReadyForPickupDate": set_ready_for_pickup_date,
    "SetShipmentOrOrderReadyForPickup": set_shipment_or_order_ready_for_pickup,
    "SetCompletedDate": set_completed_date,
}
"""Step name (as in results and config) -> implementation."""
