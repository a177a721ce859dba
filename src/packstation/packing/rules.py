"""The packing rules a session enforces, usually taken from the station's settings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from packstation.packing.boxes import DEFAULT_BOX_PRESETS, BoxPreset
from packstation.packing.case_sizes import DEFAULT_CASE_SIZE_PROPERTY
from packstation.packing.gtin import normalise_gtin


class RulesSettings(Protocol):
    """The settings fields the rules read (satisfied by `packstation.config.Settings`)."""

    @property
    def warehouse(self) -> str: ...
    @property
    def max_weight_kg(self) -> Decimal: ...
    @property
    def max_dimension_cm(self) -> int: ...
    @property
    def box_presets(self) -> Sequence[BoxPreset]: ...
    @property
    def completion_status(self) -> str: ...
    @property
    def packed_statuses(self) -> Mapping[str, str]: ...
    @property
    def pickup_order_types(self) -> Sequence[str]: ...
    @property
    def keep_for_later_status(self) -> str: ...
    @property
    def cancel_status(self) -> str: ...
    @property
    def case_sizes(self) -> Mapping[str, int]: ...
    @property
    def case_size_property(self) -> str: ...
    @property
    def split_warehouses(self) -> Sequence[str]: ...
    @property
    def pickup_points(self) -> Mapping[str, Sequence[str]]: ...
    @property
    def packers(self) -> Sequence[str]: ...
    @property
    def supervisors(self) -> Sequence[str]: ...


DEFAULT_PACKED_STATUSES: Mapping[str, str] = {
    "Online": "PackedAndReady",
    "ClickAndCollect": "ReadyForPickup",
}
"""Omnium's common flows: where a packed shipment of each order type goes."""

DEFAULT_ORDER_TYPE = "Online"
"""What Omnium assumes for an order without a type."""


@dataclass(frozen=True)
class PackingRules:
    """Limits and choices for one station: its warehouse, maxima, boxes, statuses."""

    warehouse: str
    max_weight_kg: Decimal = Decimal(70)
    max_dimension_cm: int = 300
    box_presets: tuple[BoxPreset, ...] = DEFAULT_BOX_PRESETS
    completion_status: str = "PackedAndReady"
    """Status a packed shipment of an order type not in `packed_statuses` moves to."""
    packed_statuses: Mapping[str, str] = field(
        default_factory=lambda: dict(DEFAULT_PACKED_STATUSES)
    )
    """Order type -> status a packed shipment moves to."""
    pickup_order_types: tuple[str, ...] = ("ClickAndCollect",)
    """Order types collected in a store: units become ready for pickup, no weight, no carrier."""
    interim_status: str | None = None
    """Status of split requests and non-final chunks; None = the source shipment's status."""
    cancel_status: str | None = None
    """Status of a shipment whose every unit the packer cancels; None = such a shipment cannot
    be sent from the station (something must be packed)."""
    require_weight: bool = True
    require_packer: bool = True
    case_sizes: Mapping[str, int] = field(default_factory=dict)
    """Case GTIN-14 -> units: a bare scan of the case packs that many (unless the order's
    line says otherwise through `case_size_property`)."""
    case_size_property: str = DEFAULT_CASE_SIZE_PROPERTY
    """The order line property giving its case's units ("" = read none)."""
    split_warehouses: tuple[str, ...] = ()
    """Warehouses a line's rest may be split to."""
    pickup_points: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Shipping method name -> pickup points a split rest may go to."""
    packers: tuple[str, ...] = ()
    """Badges that may sign in (empty: any)."""
    supervisors: tuple[str, ...] = ()
    """Supervisor badges (they may always sign in)."""

    @classmethod
    def from_settings(cls, settings: RulesSettings) -> PackingRules:
        """The rules of a station configured by `settings`."""
        return cls(
            warehouse=settings.warehouse,
            max_weight_kg=Decimal(settings.max_weight_kg),
            max_dimension_cm=int(settings.max_dimension_cm),
            box_presets=tuple(settings.box_presets),
            completion_status=settings.completion_status,
            packed_statuses=dict(settings.packed_statuses),
            pickup_order_types=tuple(settings.pickup_order_types),
            interim_status=settings.keep_for_later_status or None,
            cancel_status=settings.cancel_status or None,
            case_sizes={
                gtin: size
                for code, size in settings.case_sizes.items()
                if (gtin := normalise_gtin(code)) is not None
            },
            case_size_property=settings.case_size_property,
            split_warehouses=tuple(settings.split_warehouses),
            pickup_points={k: tuple(v) for k, v in settings.pickup_points.items()},
            packers=tuple(settings.packers),
            supervisors=tuple(settings.supervisors),
        )

    def packed_status(self, order_type: str | None) -> str:
        """The status a packed shipment of an order of `order_type` moves to."""
        return self.packed_statuses.get(order_type or DEFAULT_ORDER_TYPE, self.completion_status)

    def is_pickup(self, order_type: str | None) -> bool:
        """True when orders of `order_type` are collected in a store (click and collect)."""
        return (order_type or DEFAULT_ORDER_TYPE) in self.pickup_order_types

    def preset(self, name: str) -> BoxPreset | None:
        """The box preset called `name` (case-insensitive), or None."""
        return find_preset(self.box_presets, name)


def find_preset(presets: Sequence[BoxPreset], name: str) -> BoxPreset | None:
    """The preset called `name` (case-insensitive, trimmed), or None."""
    wanted = name.strip().casefold()
    return next((p for p in presets if p.name.casefold() == wanted), None)
