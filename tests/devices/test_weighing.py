"""The package's weight from the scale: stable gross less tare, never anything else."""

from __future__ import annotations

from decimal import Decimal

import pytest

from packstation.devices.scale_reading import ScaleReading, ScaleState, disconnected
from packstation.devices.weighing import package_weight

S = ScaleState


def test_stable_reading_less_the_box_tare() -> None:
    weighed = package_weight(ScaleReading(S.STABLE, Decimal("1.234"), "kg"), "S", Decimal("0.15"))
    assert weighed.kg == Decimal("1.084")
    assert weighed.message == "Weight 1.084 kg from the scale (1.234 kg less box S 0.15 kg)"


def test_other_units_are_converted_before_the_tare() -> None:
    weighed = package_weight(ScaleReading(S.STABLE, Decimal("1500"), "g"), "M", Decimal("0.35"))
    assert weighed.kg == Decimal("1.150")
    assert "1500 g = 1.500 kg" in weighed.message
    pounds = package_weight(ScaleReading(S.STABLE, Decimal("5"), "lb"), None, Decimal(0))
    assert pounds.kg == Decimal("2.268") and "no tare" in pounds.message


@pytest.mark.parametrize(
    ("reading", "words"),
    [
        (ScaleReading(S.MOTION, Decimal("1.2"), "kg"), "Scale unstable"),
        (ScaleReading(S.OVERWEIGHT), "overloaded"),
        (ScaleReading(S.NEGATIVE, Decimal("-0.1"), "kg"), "negative"),
        (disconnected("unplugged"), "Scale disconnected: unplugged"),
        (ScaleReading(S.STABLE, Decimal("0"), "kg"), "Scale empty"),
        (ScaleReading(S.ERROR, detail="busy"), "Scale error: busy"),
    ],
)
def test_unusable_readings_are_never_recorded(reading: ScaleReading, words: str) -> None:
    weighed = package_weight(reading, "S", Decimal("0.15"))
    assert weighed.kg is None
    assert words in weighed.message and weighed.message.endswith("weight not taken")


def test_an_empty_box_is_not_a_weight() -> None:
    weighed = package_weight(ScaleReading(S.STABLE, Decimal("0.150"), "kg"), "S", Decimal("0.15"))
    assert weighed.kg is None and "tare" in weighed.message
