"""What a sandbox workflow step gets and answers, and the helpers the steps share.

Each step gets a StepContext (the working copy of the order, the target shipments, the state)
and answers a StepOutcome. Steps that can fail check everything first and change nothing when
they fail, so an aborted workflow keeps only the effects of the steps before it.

Lists on the order are replaced, never appended to in place: pydantic only serialises fields
that were set, and assignment is what marks them set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from packstation.omnium.models import OmniumOrder, PropertyItem, Shipment
from packstation.sandbox.state import SandboxState
from packstation.sandbox.workflow_config import StepConfig, WorkflowConfig

SUCCESS = "Success"
WARNING = "Warning"
ERROR = "Error"

CENT = Decimal("0.01")
DONE_STATUSES = frozenset({"completed", "ordercanceled"})
SENT_SHIPMENT_STATUSES = frozenset({"shipped", "delivered"})
COMPLETED_DATE_KEY = "CompletedDate"
READY_FOR_PICKUP_DATE_KEY = "ReadyForPickupDate"
SHIPMENT_COMPLETED_DATE_KEY = "ShipmentCompletedDate"
EXPORTED_DATE_KEY = "ExportedDate"


@dataclass(frozen=True)
class StepOutcome:
    """What a step answers: Success, Warning or Error, with a reason unless Success."""

    status: str
    reason: str | None = None

    @classmethod
    def ok(cls) -> StepOutcome:
        """The step did its job."""
        return cls(SUCCESS)

    @classmethod
    def warning(cls, reason: str) -> StepOutcome:
        """The step ran but something deserves attention."""
        return cls(WARNING, reason)

    @classmethod
    def error(cls, reason: str) -> StepOutcome:
        """The step failed and changed nothing."""
        return cls(ERROR, reason)


@dataclass
class StepContext:
    """Everything a step may look at or change."""

    order: OmniumOrder
    status: str
    shipments: list[Shipment]
    state: SandboxState
    config: WorkflowConfig
    step: StepConfig
    now: datetime
    base_url: str = ""
    """Where this sandbox is reached, e.g. `http://127.0.0.1:8765` (label links point there)."""

    @property
    def params(self) -> Mapping[str, Any]:
        """The step's configured parameters."""
        return self.step.parameters

    @property
    def timestamp(self) -> str:
        """`now` as ISO-8601 UTC with a Z, as Omnium writes dates."""
        return self.now.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


StepFunction = Callable[[StepContext], StepOutcome]


# --- helpers --------------------------------------------------------------------------------


def money(value: Decimal) -> Decimal:
    """Round to whole øre."""
    return value.quantize(CENT)


def same_text(value: str | None, wanted: str) -> bool:
    """Equal ignoring case (None is the empty text)."""
    return (value or "").casefold() == wanted.casefold()


def nok(value: Decimal) -> str:
    """An amount in NOK, rounded to øre."""
    return f"{money(value)} NOK"


def id_list(values: Iterable[str]) -> str:
    """Up to ten ids, then how many more."""
    values = list(values)
    shown = ", ".join(values[:10])
    return shown + (f" and {len(values) - 10} more" if len(values) > 10 else "")


def set_property(items: list[PropertyItem] | None, key: str, value: str) -> list[PropertyItem]:
    """A new property list with `key` set to `value` (replaced if present)."""
    kept = [item for item in items or [] if item.key != key]
    return [*kept, PropertyItem(key=key, value=value)]


def is_cancelled(shipment: Shipment) -> bool:
    """The shipment is cancelled, or every line of it is."""
    return same_text(shipment.status, "Cancelled") or (
        bool(shipment.line_items)
        and all(line.canceled_quantity >= line.quantity for line in shipment.line_items)
    )


def delivered_value(shipment: Shipment) -> Decimal:
    """The shipment's delivered units at their placed prices."""
    return sum(
        (
            line.delivered_quantity * (line.placed_price or Decimal(0))
            for line in shipment.line_items
        ),
        Decimal(0),
    )
