"""Which workflow steps a status runs for one shipment, read from Omnium's order types.

Omnium runs a status's steps top to bottom, skipping a step that is not `active` or that is
not enabled where the order is: each step may name the warehouses, stores, markets and shipment
options it is enabled for (empty or missing: all) and those it is disabled for (which override
the enabled lists). Step conditions (`workflowStepConditions`) are not evaluated here: their
rules are not in the contract. A whole order type may have its workflow disabled.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from packstation.i18n import _
from packstation.omnium.models import OmniumOrder, Shipment
from packstation.omnium.order_types import OrderType, WorkflowStep
from packstation.packing.rules import DEFAULT_ORDER_TYPE


@dataclass(frozen=True)
class StepScope:
    """Where a shipment is, as a step's enabled/disabled lists name it."""

    warehouse: str | None = None
    store: str | None = None
    market: str | None = None
    shipment_option: str | None = None
    """The shipment's shipping method name (Omnium's shipment options are its methods)."""


def scope_of(order: OmniumOrder, shipment: Shipment, warehouse: str | None = None) -> StepScope:
    """The scope of `shipment` of `order` (its warehouse, or `warehouse` when it names none)."""
    return StepScope(
        warehouse=shipment.warehouse_code or warehouse,
        store=order.store_id,
        market=order.market_id,
        shipment_option=shipment.shipping_method_name,
    )


def _key(value: str | None) -> str:
    return (value or "").strip().casefold()


def _allowed(
    value: str | None, enabled: Iterable[str] | None, disabled: Iterable[str] | None
) -> bool:
    """Disabled overrides enabled; an empty enabled list means everywhere."""
    key = _key(value)
    if disabled and key and key in {_key(item) for item in disabled}:
        return False
    wanted = {_key(item) for item in enabled or ()} - {""}
    return not wanted or key in wanted


def step_runs(step: WorkflowStep, scope: StepScope) -> bool:
    """True when Omnium runs `step` for a shipment in `scope`."""
    if not step.active:
        return False
    return (
        _allowed(scope.warehouse, step.enabled_for_warehouses, step.disabled_for_warehouses)
        and _allowed(scope.store, step.enabled_for_stores, step.disabled_for_stores)
        and _allowed(scope.market, step.enabled_for_markets, step.disabled_for_markets)
        and _allowed(
            scope.shipment_option,
            step.enabled_for_shipment_options,
            step.disabled_for_shipment_options,
        )
    )


def find_order_type(order_types: Sequence[OrderType], name: str | None) -> OrderType | None:
    """The order type called `name` (an order without a type is Omnium's Online), or None."""
    wanted = name or DEFAULT_ORDER_TYPE
    return next((t for t in order_types if t.name == wanted), None)


@dataclass(frozen=True)
class StepPreview:
    """The steps a status will run for one shipment, or why that cannot be told."""

    status: str
    steps: tuple[str, ...] = ()
    problem: str = ""
    """Non-empty when the order type or the status is not in Omnium's order types."""

    @property
    def text(self) -> str:
        """One line for the review: "will run: A, B" / "runs no workflow steps" / the problem."""
        if self.problem:
            return self.problem
        if not self.steps:
            return _("{status}: runs no workflow steps").format(status=self.status)
        return _("{status} will run: {steps}").format(
            status=self.status, steps=", ".join(self.steps)
        )


def preview_steps(
    order_types: Sequence[OrderType], order_type: str | None, status: str, scope: StepScope
) -> StepPreview:
    """The steps that entering `status` runs for a shipment of an order of `order_type`."""
    found = find_order_type(order_types, order_type)
    type_name = order_type or DEFAULT_ORDER_TYPE
    if found is None:
        return StepPreview(
            status,
            problem=_("Omnium has no order type {order_type}").format(order_type=repr(type_name)),
        )
    setting = found.status(status)
    if setting is None:
        return StepPreview(
            status,
            problem=_(
                "order type {order_type} has no status {status} (its statuses: {statuses})"
            ).format(
                order_type=type_name,
                status=repr(status),
                statuses=", ".join(found.status_names) or _("none"),
            ),
        )
    if found.disable_workflow:
        return StepPreview(status)
    return StepPreview(
        status, tuple(step.name for step in setting.workflow_steps if step_runs(step, scope))
    )
