"""A package's weight from the scale: the stable gross reading less its box's tare."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from packstation.devices.scale_reading import ScaleReading, ScaleState


@dataclass(frozen=True)
class Weighing:
    """The weight to record (None: nothing may be recorded) and what to tell the packer."""

    kg: Decimal | None
    message: str


def package_weight(reading: ScaleReading, box: str | None, tare_kg: Decimal) -> Weighing:
    """Net weight of a package on the scale; only a stable reading above the tare counts."""
    if not reading.recordable:
        why = reading.describe()
        if reading.state is ScaleState.STABLE and reading.kg == 0:
            why = "Scale empty"
        return Weighing(None, f"{why}: weight not taken")
    gross = reading.kg
    assert gross is not None  # recordable
    net = gross - tare_kg
    shown = f"{gross:f} kg" if reading.unit == "kg" else f"{reading.weight_text} = {gross:f} kg"
    if net <= 0:
        return Weighing(
            None, f"Scale shows {shown}, not more than box {box}'s tare {tare_kg:f} kg: not taken"
        )
    if box is None:
        return Weighing(net, f"Weight {net:f} kg from the scale (no box chosen: no tare)")
    return Weighing(
        net, f"Weight {net:f} kg from the scale ({shown} less box {box} {tare_kg:f} kg)"
    )
