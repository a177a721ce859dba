"""Omnium's order type settings: each type's statuses and the workflow steps they run."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from packstation.omnium.models import PropertyItem
from packstation.omnium.wire import (
    Flag,
    Text,
    WireModel,
    null_as,
)

# --- settings ------------------------------------------------------------------------------


class WorkflowStep(WireModel):
    """`OmniumOrderWorkflowStep`: one step of a status's workflow."""

    name: Text = ""
    active: Flag = True
    stop_on_error: Flag = False
    run_after_order_is_saved: Flag = False
    properties: Annotated[list[PropertyItem], null_as([])] = Field(default_factory=list)
    # Where the step runs: an empty or missing `enabled…` list means everywhere; a `disabled…`
    # list overrides it (the contract's wording).
    enabled_for_warehouses: list[str] | None = None
    disabled_for_warehouses: list[str] | None = None
    enabled_for_stores: list[str] | None = None
    disabled_for_stores: list[str] | None = None
    enabled_for_markets: list[str] | None = None
    disabled_for_markets: list[str] | None = None
    enabled_for_shipment_options: list[str] | None = None
    disabled_for_shipment_options: list[str] | None = None

    def property_value(self, key: str) -> str | None:
        """The value of a step property, or None."""
        return next((p.value for p in self.properties if p.key == key), None)


class OrderStatusSetting(WireModel):
    """`OmniumOrderStatus`: a status of an order type and the workflow that runs on entering it."""

    name: Text = ""
    workflow_steps: Annotated[list[WorkflowStep], null_as([])] = Field(default_factory=list)
    shipment_status_update: str | None = None
    main_order_status: str | None = None
    is_canceled_status: Flag = False
    is_delivered_status: Flag = False
    properties: Annotated[list[PropertyItem], null_as([])] = Field(default_factory=list)


class OrderType(WireModel):
    """`OmniumOrderType` from `GET /api/Settings/OrderTypes`."""

    name: Text = ""
    order_statuses: Annotated[list[OrderStatusSetting], null_as([])] = Field(default_factory=list)
    default_order_type: Flag = False
    disable_workflow: Flag = False
    derive_order_status_from_shipments: Flag = False

    def status(self, name: str) -> OrderStatusSetting | None:
        """The status of this type with this name, or None."""
        return next((s for s in self.order_statuses if s.name == name), None)

    @property
    def status_names(self) -> list[str]:
        """The names of this type's statuses, in order."""
        return [s.name for s in self.order_statuses]
