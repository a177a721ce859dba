"""Omnium's workflow calls: the request bodies the station sends and the result every
workflow endpoint answers."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from packstation.omnium.models import (
    ExternalId,
    OmniumOrder,
    PickUpPoint,
    PropertyItem,
    ShipmentPackage,
)
from packstation.omnium.wire import (
    MAX_ENTRIES,
    Flag,
    NonNegativeQuantity,
    OpenModel,
    Quantity,
    RequestModel,
    Text,
    null_as,
)


class UpdateShipmentInfo(RequestModel):
    """Targets a shipment in a workflow request and optionally updates its data."""

    shipment_id: str | None = None
    order_status: str | None = None
    shipment_method_name: str | None = None
    tracking_url: str | None = None
    tracking_number: str | None = None
    label_link: str | None = None
    return_label_link: str | None = None
    return_tracking_link: str | None = None
    return_tracking_number: str | None = None
    shipping_method_product_id: str | None = None
    comment: str | None = None
    warehouse_code: str | None = None
    service_point_id: str | None = None
    pick_up_point_information: PickUpPoint | None = None
    packages: list[ShipmentPackage] | None = Field(default=None, max_length=MAX_ENTRIES)
    external_ids: list[ExternalId] | None = Field(default=None, max_length=MAX_ENTRIES)
    properties: list[PropertyItem] | None = Field(default=None, max_length=MAX_ENTRIES)


class UpdateStatusPatch(RequestModel):
    """Body of `POST /api/Orders/{orderId}/UpdateStatus`."""

    status: str = Field(min_length=1)
    shipment_info: UpdateShipmentInfo | None = None
    skip_run_workflow: bool = False
    return_id: str | None = None
    user_id: str | None = None


class LineItemUpdate(RequestModel):
    """One line's change in an `OrderLinesUpdate` (absolute per target shipment, house rule 3)."""

    line_item_id: str = Field(min_length=1)
    delivered_quantity: NonNegativeQuantity | None = None
    canceled_quantity: NonNegativeQuantity | None = None
    split_quantity: NonNegativeQuantity | None = None
    ready_for_pickup_quantity: NonNegativeQuantity | None = None
    reallocate_quantity: NonNegativeQuantity | None = None
    cost: Quantity | None = None


class UpdateLineItemStatusPatch(RequestModel):
    """Body of `POST /api/Orders/{orderId}/OrderLinesUpdate`."""

    status: str = Field(min_length=1)
    line_item_updates: list[LineItemUpdate] = Field(min_length=1, max_length=MAX_ENTRIES)
    shipment_info: UpdateShipmentInfo | None = None
    is_shipping_cost_kept_for_existing_shipment: bool = False
    user_id: str | None = None


# --- workflow results ----------------------------------------------------------------------


class ActionResult(OpenModel):
    """The outcome of one workflow step."""

    action_type: Text = ""
    action_status: Text = ""
    error_reason: str | None = None
    cancel_workflow: Flag = False
    is_invisible: Flag = False
    translate_key: str | None = None


class WorkflowExecutionResult(OpenModel):
    """What every workflow endpoint answers: the order after the run and each step's result."""

    order: OmniumOrder | None = None
    is_aborted: Flag = False
    order_action_execution_results: Annotated[list[ActionResult], null_as([])] = Field(
        default_factory=list, max_length=MAX_ENTRIES
    )

    @property
    def failing_step(self) -> ActionResult | None:
        """The step that aborted the workflow, if any."""
        return next((r for r in self.order_action_execution_results if r.cancel_workflow), None)
