"""The packing rules a session enforces, usually taken from the station's settings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from packstation.packing.boxes import DEFAULT_BOX_PRESETS, BoxPreset


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


@dataclass(frozen=True)
class PackingRules:
    """Limits and choices for one station: its warehouse, maxima, boxes, statuses."""

    warehouse: str
    max_weight_kg: Decimal = Decimal(70)
    max_dimension_cm: int = 300
    box_presets: tuple[BoxPreset, ...] = DEFAULT_BOX_PRESETS
    completion_status: str = "Completed"
    interim_status: str | None = None
    """Status of split requests and non-final chunks; None = the source shipment's status."""
    require_weight: bool = True
    require_packer: bool = True

    @classmethod
    def from_settings(cls, settings: RulesSettings) -> PackingRules:
        """The rules of a station configured by `settings`."""
        return cls(
            warehouse=settings.warehouse,
            max_weight_kg=Decimal(settings.max_weight_kg),
            max_dimension_cm=int(settings.max_dimension_cm),
            box_presets=tuple(settings.box_presets),
            completion_status=settings.completion_status,
        )

    def preset(self, name: str) -> BoxPreset | None:
        """The box preset called `name` (case-insensitive), or None."""
        return find_preset(self.box_presets, name)


def find_preset(presets: Sequence[BoxPreset], name: str) -> BoxPreset | None:
    """The preset called `name` (case-insensitive, trimmed), or None."""
    wanted = name.strip().casefold()
    return next((p for p in presets if p.name.casefold() == wanted), None)
