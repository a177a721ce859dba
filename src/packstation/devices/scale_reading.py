"""One reading of a scale: a weight with its unit and state, or the reason there is none."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

KG_PER_UNIT: dict[str, Decimal] = {
    "kg": Decimal(1),
    "g": Decimal("0.001"),
    "mg": Decimal("0.000001"),
    "lb": Decimal("0.45359237"),
    "oz": Decimal("0.028349523125"),
}
"""The units a scale may report in, as kilograms (the pound and ounce are exact by definition)."""

GRAM = Decimal("0.001")


class ScaleState(StrEnum):
    """What the scale says about its weight."""

    STABLE = "stable"
    MOTION = "motion"
    OVERWEIGHT = "overweight"
    NEGATIVE = "negative"
    ERROR = "error"
    DISCONNECTED = "disconnected"


class ScaleError(Exception):
    """The scale cannot be reached or read (unplugged, wrong port, library missing)."""


@dataclass(frozen=True)
class ScaleReading:
    """A weight and its state. Only a stable positive weight may be recorded."""

    state: ScaleState
    weight: Decimal | None = None
    unit: str = "kg"
    detail: str = ""

    @property
    def kg(self) -> Decimal | None:
        """The weight in kilograms, to the gram; None without a weight or with an unknown unit."""
        if self.weight is None or self.unit not in KG_PER_UNIT:
            return None
        return (self.weight * KG_PER_UNIT[self.unit]).quantize(GRAM, ROUND_HALF_UP)

    @property
    def recordable(self) -> bool:
        """True for a stable weight above zero in a known unit: the only kind a package gets."""
        kg = self.kg
        return self.state is ScaleState.STABLE and kg is not None and kg > 0

    @property
    def weight_text(self) -> str:
        """The weight as the scale shows it, e.g. `1.234 kg`."""
        if self.weight is None:
            return ""
        return f"{self.weight:f} {self.unit}"

    def describe(self) -> str:
        """The reading in words for the packer (never just a number when it cannot be used)."""
        if self.state is ScaleState.STABLE:
            if self.kg is None:
                return f"{self.weight_text} (unit not understood)"
            return "Scale empty (0 kg)" if self.kg == 0 else self.weight_text
        if self.state is ScaleState.MOTION:
            shown = f" ({self.weight_text})" if self.weight is not None else ""
            return f"Scale unstable: settling{shown}"
        if self.state is ScaleState.OVERWEIGHT:
            return "Scale overloaded: too heavy to weigh"
        if self.state is ScaleState.NEGATIVE:
            return "Scale shows a negative weight: zero it"
        if self.state is ScaleState.DISCONNECTED:
            return f"Scale disconnected: {self.detail}" if self.detail else "Scale disconnected"
        return f"Scale error: {self.detail}" if self.detail else "Scale error"


def disconnected(reason: str) -> ScaleReading:
    """The reading shown while the scale cannot be reached."""
    return ScaleReading(ScaleState.DISCONNECTED, detail=reason)


def parse_weight(text: str) -> Decimal | None:
    """A number as a scale prints it (`1.234`, `-0.5`, `+ 12`); None when it is not one."""
    cleaned = text.replace(" ", "")
    if not cleaned or cleaned.strip("+-.") == "" or not all(c in "+-.0123456789" for c in cleaned):
        return None
    try:
        value = Decimal(cleaned)
    except ArithmeticError:
        return None
    return value if value.is_finite() else None


def normalise_unit(unit: str) -> str:
    """A unit as scales spell it (`KG`, `lbs`, `g`) in the form `KG_PER_UNIT` uses."""
    lowered = unit.strip().lower()
    return {"lbs": "lb", "#": "lb", "gr": "g"}.get(lowered, lowered)
