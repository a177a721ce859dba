"""What happens to a line's unpacked rest on submit: keep for later, cancel, or split off."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from packstation.i18n import _


class Decision(StrEnum):
    """The packer's decision for the units of a line that are not packed."""

    KEEP = "keep"
    """Default: the rest stays in the original shipment for a later packing."""
    CANCEL = "cancel"
    """The rest is cancelled."""
    SPLIT = "split"
    """The rest moves to a new shipment (optionally another warehouse or a pickup point)."""


@dataclass(frozen=True, order=True)
class SplitTarget:
    """Where split units go; both empty = a new shipment from the same warehouse."""

    warehouse_code: str | None = None
    service_point_id: str | None = None

    def describe(self) -> str:
        """A short text for the screen, e.g. "warehouse WH-BERGEN"."""
        parts = []
        if self.warehouse_code:
            parts.append(_("warehouse {warehouse}").format(warehouse=self.warehouse_code))
        if self.service_point_id:
            parts.append(_("pickup point {point}").format(point=self.service_point_id))
        return ", ".join(parts) or _("a new shipment")
