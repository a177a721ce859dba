"""The sandbox's workflow configuration: order types, statuses, ordered steps, carriers, faults.

Read from TOML. The default ships inside the package as `default_workflows.toml`; its comments
explain the format. Everything here is immutable so one config can serve concurrent workflows.
"""

from __future__ import annotations

import dataclasses
import json
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from packstation.omnium.models import PropertyItem
from packstation.omnium.order_types import OrderStatusSetting, OrderType, WorkflowStep

STEP_NAMES: tuple[str, ...] = (
    "CapturePayments",
    "Notification",
    "ReduceInventory",
    "PrintShippingLabel",
    "CompleteShipment",
    "ValidateTrackingNumber",
    "ExportOrder",
    "AnalyticsIndexing",
    "UpdateShipmentStatus",
    "SplitShipmentCost",
    "SetReadyForPickupDate",
    "SetShipmentOrOrderReadyForPickup",
    "SetCompletedDate",
)
"""Step types the engine knows, named as in Omnium's reference."""

DEFAULT_LATENCY = 0.02
"""Seconds a step takes when its config does not say."""

DEFAULT_CONFIG_RESOURCE = "default_workflows.toml"


class WorkflowConfigError(ValueError):
    """The workflow configuration cannot be read or is not valid (message is one line)."""


SCOPE_KEYS: Mapping[str, str] = MappingProxyType(
    {
        f"{way}For{what}": f"{way}_for_{field_name}"
        for way in ("enabled", "disabled")
        for what, field_name in (
            ("Warehouses", "warehouses"),
            ("Stores", "stores"),
            ("Markets", "markets"),
            ("ShipmentOptions", "shipment_options"),
        )
    }
)
"""A step's TOML key (Omnium's name) -> the `WorkflowStep` field: where the step runs."""


@dataclass(frozen=True)
class StepConfig:
    """One step of a status's workflow."""

    name: str
    stop_on_error: bool = False
    latency: float = DEFAULT_LATENCY
    parameters: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    active: bool = True
    run_after_order_is_saved: bool = False
    """Omnium's `runAfterOrderIsSaved`: the step runs in the background after the answer."""
    scope: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    """`WorkflowStep` field (`enabled_for_warehouses`...) -> its list, as Omnium's step has."""

    def omnium_step(self) -> WorkflowStep:
        """The step as `GET /api/Settings/OrderTypes` shows it (without its properties)."""
        return WorkflowStep(
            name=self.name,
            active=self.active,
            stop_on_error=self.stop_on_error,
            run_after_order_is_saved=self.run_after_order_is_saved,
            **{key: list(values) for key, values in self.scope.items()},
        )


@dataclass(frozen=True)
class CarrierConfig:
    """A shipping method PrintShippingLabel can book; URL templates take `{tracking_number}`."""

    name: str
    tracking_url: str
    label_url: str


@dataclass(frozen=True)
class FailureRule:
    """Make `step` fail for a SKU, a warehouse, or with a seeded probability."""

    step: str
    sku: str | None = None
    warehouse: str | None = None
    probability: float | None = None
    status: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class WorkflowConfig:
    """Order type -> status -> steps, plus carriers, failure rules and timing."""

    order_types: Mapping[str, Mapping[str, tuple[StepConfig, ...]]]
    carriers: Mapping[str, CarrierConfig]
    failures: tuple[FailureRule, ...] = ()
    default_order_type: str = "Online"
    latency_scale: float = 1.0
    seed: int = 0

    def steps_for(self, order_type: str | None, status: str) -> tuple[StepConfig, ...]:
        """The steps to run when an order of this type enters `status` (empty if none)."""
        statuses = self.order_types.get(order_type or "")
        if statuses is None:
            statuses = self.order_types.get(self.default_order_type, {})
        return statuses.get(status, ())

    def carrier(self, shipping_method: str | None) -> CarrierConfig | None:
        """The carrier for a shipping method name (case-insensitive), or None."""
        if not shipping_method:
            return None
        wanted = shipping_method.strip().casefold()
        return next((c for c in self.carriers.values() if c.name.casefold() == wanted), None)

    def without_latency(self) -> WorkflowConfig:
        """A copy whose steps take no time (tests, benchmarks)."""
        return dataclasses.replace(self, latency_scale=0.0)

    def with_failures(self, *rules: FailureRule, seed: int | None = None) -> WorkflowConfig:
        """A copy with extra failure rules (and optionally another seed)."""
        return dataclasses.replace(
            self,
            failures=(*self.failures, *rules),
            seed=self.seed if seed is None else seed,
        )

    def order_type_name(self, order_type: str | None) -> str:
        """The configured type an order of `order_type` follows (unknown: the default)."""
        if order_type is not None and order_type in self.order_types:
            return order_type
        return self.default_order_type

    def status_names(self, order_type: str | None) -> list[str]:
        """The statuses of the order type an order of `order_type` follows, in order."""
        return list(self.order_types.get(self.order_type_name(order_type), {}))

    def order_types_document(self) -> list[OrderType]:
        """The configuration in Omnium's shape for `GET /api/Settings/OrderTypes`."""
        return [
            OrderType(
                name=type_name,
                default_order_type=type_name == self.default_order_type,
                disable_workflow=False,
                # House rule 6: the order's status follows its shipments'.
                derive_order_status_from_shipments=True,
                order_statuses=[
                    _status_document(status, steps) for status, steps in statuses.items()
                ],
            )
            for type_name, statuses in self.order_types.items()
        ]


SHIPMENT_STATUS_STEP = "UpdateShipmentStatus"
LATENCY_PROPERTY = "sandboxLatencySeconds"
"""Step property saying how long the sandbox's step takes (not an Omnium property)."""


def _property_text(value: Any) -> str:
    # Omnium's step properties are strings; TOML booleans and numbers are written as JSON.
    return value if isinstance(value, str) else json.dumps(value)


def _status_document(status: str, steps: tuple[StepConfig, ...]) -> OrderStatusSetting:
    shipment_status = next(
        (
            _property_text(s.parameters["shipmentStatus"])
            for s in steps
            if s.name == SHIPMENT_STATUS_STEP and "shipmentStatus" in s.parameters
        ),
        None,
    )
    return OrderStatusSetting(
        name=status,
        workflow_steps=[
            step.omnium_step().model_copy(
                update={
                    "properties": [
                        *(
                            PropertyItem(key=key, value=_property_text(value))
                            for key, value in step.parameters.items()
                        ),
                        PropertyItem(key=LATENCY_PROPERTY, value=_property_text(step.latency)),
                    ]
                }
            )
            for step in steps
        ],
        shipment_status_update=shipment_status,
        main_order_status=None,
        is_canceled_status=status == "OrderCanceled",
        is_delivered_status=status == "Completed",
    )


def load_workflow_config(path: Path | None = None) -> WorkflowConfig:
    """Read a workflow config from `path`, or the packaged default when None."""
    if path is None:
        text = (
            resources.files("packstation.sandbox")
            .joinpath(DEFAULT_CONFIG_RESOURCE)
            .read_text(encoding="utf-8")
        )
        return parse_workflow_config(text, source=DEFAULT_CONFIG_RESOURCE)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise WorkflowConfigError(
            f"{path}: cannot read workflow config: {exc.strerror or exc}"
        ) from exc
    except UnicodeDecodeError as exc:
        raise WorkflowConfigError(f"{path}: workflow config is not UTF-8 text") from exc
    return parse_workflow_config(text, source=str(path))


def parse_workflow_config(text: str, source: str = "<string>") -> WorkflowConfig:
    """Parse and validate workflow config TOML; errors name `source` and the bad key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise WorkflowConfigError(f"{source}: invalid TOML: {exc}") from exc
    return _Parser(source).config(data)


class _Parser:
    """Turns the TOML document into a WorkflowConfig, naming the offending key on error."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, problem: str) -> WorkflowConfigError:
        return WorkflowConfigError(f"{self.source}: {where}: {problem}")

    def table(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, "must be a table")
        return value

    def unknown_keys(self, data: Mapping[str, Any], allowed: set[str], where: str) -> None:
        extra = sorted(set(data) - allowed)
        if extra:
            raise self.fail(where, f"unknown key(s) {', '.join(extra)}")

    def number(self, value: Any, where: str, *, low: float = 0.0, high: float = math.inf) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(where, "must be a number")
        number = float(value)
        if not (low <= number <= high) or math.isnan(number):
            raise self.fail(where, f"must be between {low:g} and {high:g}")
        return number

    def names(self, value: Any, where: str) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise self.fail(where, "must be an array of strings")
        return tuple(self.text(item, f"{where}[{i}]") for i, item in enumerate(value))

    def text(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, "must be a non-empty string")
        return value.strip()

    def config(self, data: dict[str, Any]) -> WorkflowConfig:
        # [sandbox] belongs to the server (same file, read by sandbox-core): not ours to check.
        allowed = {"settings", "carriers", "orderTypes", "failures", "sandbox"}
        self.unknown_keys(data, allowed, "top level")
        settings = self.table(data.get("settings", {}), "settings")
        self.unknown_keys(settings, {"defaultOrderType", "latencyScale", "seed"}, "settings")
        order_types = self.order_types(data.get("orderTypes"))
        default_type = self.text(
            settings.get("defaultOrderType", next(iter(order_types))), "settings.defaultOrderType"
        )
        if default_type not in order_types:
            raise self.fail("settings.defaultOrderType", f"order type {default_type!r} not defined")
        seed = settings.get("seed", 0)
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise self.fail("settings.seed", "must be an integer")
        return WorkflowConfig(
            order_types=MappingProxyType(order_types),
            carriers=MappingProxyType(self.carriers(data.get("carriers", {}))),
            failures=self.failures(data.get("failures", [])),
            default_order_type=default_type,
            latency_scale=self.number(settings.get("latencyScale", 1.0), "settings.latencyScale"),
            seed=seed,
        )

    def order_types(self, value: Any) -> dict[str, MappingProxyType[str, tuple[StepConfig, ...]]]:
        if value is None:
            raise self.fail("orderTypes", "missing: define at least one order type")
        types = self.table(value, "orderTypes")
        if not types:
            raise self.fail("orderTypes", "define at least one order type")
        result = {}
        for type_name, statuses in types.items():
            where = f"orderTypes.{type_name}"
            parsed = {}
            for status, body in self.table(statuses, where).items():
                status_where = f"{where}.{status}"
                body = self.table(body, status_where)
                self.unknown_keys(body, {"steps"}, status_where)
                steps = body.get("steps", [])
                if not isinstance(steps, list):
                    raise self.fail(f"{status_where}.steps", "must be an array of step tables")
                parsed[status] = tuple(
                    self.step(step, f"{status_where}.steps[{i}]") for i, step in enumerate(steps)
                )
            result[type_name] = MappingProxyType(parsed)
        return result

    def step(self, value: Any, where: str) -> StepConfig:
        body = self.table(value, where)
        self.unknown_keys(
            body,
            {
                "name",
                "stopOnError",
                "latency",
                "parameters",
                "active",
                "runAfterOrderIsSaved",
                *SCOPE_KEYS,
            },
            where,
        )
        name = self.text(body.get("name"), f"{where}.name")
        if name not in STEP_NAMES:
            raise self.fail(
                f"{where}.name", f"unknown step {name!r} (known: {', '.join(STEP_NAMES)})"
            )
        stop = body.get("stopOnError", False)
        if not isinstance(stop, bool):
            raise self.fail(f"{where}.stopOnError", "must be true or false")
        parameters = self.table(body.get("parameters", {}), f"{where}.parameters")
        active = body.get("active", True)
        if not isinstance(active, bool):
            raise self.fail(f"{where}.active", "must be true or false")
        scope = {
            SCOPE_KEYS[key]: self.names(body[key], f"{where}.{key}")
            for key in SCOPE_KEYS
            if key in body
        }
        later = body.get("runAfterOrderIsSaved", False)
        if not isinstance(later, bool):
            raise self.fail(f"{where}.runAfterOrderIsSaved", "must be true or false")
        return StepConfig(
            active=active,
            run_after_order_is_saved=later,
            scope=MappingProxyType(scope),
            name=name,
            stop_on_error=stop,
            latency=self.number(
                body.get("latency", DEFAULT_LATENCY), f"{where}.latency", high=60.0
            ),
            parameters=MappingProxyType(dict(parameters)),
        )

    def carriers(self, value: Any) -> dict[str, CarrierConfig]:
        result = {}
        for name, body in self.table(value, "carriers").items():
            where = f"carriers.{name}"
            body = self.table(body, where)
            self.unknown_keys(body, {"trackingUrl", "labelUrl"}, where)
            result[name] = CarrierConfig(
                name=name,
                tracking_url=self.text(body.get("trackingUrl"), f"{where}.trackingUrl"),
                label_url=self.text(body.get("labelUrl"), f"{where}.labelUrl"),
            )
        return result

    def failures(self, value: Any) -> tuple[FailureRule, ...]:
        if not isinstance(value, list):
            raise self.fail("failures", "must be an array of tables ([[failures]])")
        rules = []
        for i, body in enumerate(value):
            where = f"failures[{i}]"
            body = self.table(body, where)
            self.unknown_keys(
                body, {"step", "sku", "warehouse", "probability", "status", "reason"}, where
            )
            step = self.text(body.get("step"), f"{where}.step")
            if step not in STEP_NAMES:
                raise self.fail(f"{where}.step", f"unknown step {step!r}")
            selectors = [k for k in ("sku", "warehouse", "probability") if k in body]
            if len(selectors) != 1:
                raise self.fail(where, "give exactly one of sku, warehouse, probability")
            rules.append(
                FailureRule(
                    step=step,
                    sku=self.text(body["sku"], f"{where}.sku") if "sku" in body else None,
                    warehouse=(
                        self.text(body["warehouse"], f"{where}.warehouse")
                        if "warehouse" in body
                        else None
                    ),
                    probability=(
                        self.number(body["probability"], f"{where}.probability", high=1.0)
                        if "probability" in body
                        else None
                    ),
                    status=self.text(body["status"], f"{where}.status")
                    if "status" in body
                    else None,
                    reason=self.text(body["reason"], f"{where}.reason")
                    if "reason" in body
                    else None,
                )
            )
        return tuple(rules)
