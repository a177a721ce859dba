"""The scale protocols read from bytes alone: MT-SICS, continuous output, HID POS reports."""

from __future__ import annotations

from decimal import Decimal

import pytest

from packstation.devices.continuous import parse_continuous
from packstation.devices.hid_report import parse_hid_report
from packstation.devices.scale_reading import ScaleReading, ScaleState, disconnected
from packstation.devices.sics import parse_sics
from packstation.devices.simulators import ScaleFace, continuous_line, sics_answer

S = ScaleState


@pytest.mark.parametrize(
    ("line", "state", "weight", "unit"),
    [
        ("S S      1.234 kg", S.STABLE, "1.234", "kg"),
        ("S D      1.236 kg\r\n", S.MOTION, "1.236", "kg"),
        ("S S     1234.5 g", S.STABLE, "1234.5", "g"),
        ("S S      2.720 lb", S.STABLE, "2.720", "lb"),
        ("S S     -0.012 kg", S.NEGATIVE, "-0.012", "kg"),
        ("S D     -0.012 kg", S.MOTION, "-0.012", "kg"),
    ],
)
def test_sics_weights(line: str, state: ScaleState, weight: str, unit: str) -> None:
    assert parse_sics(line) == ScaleReading(state, Decimal(weight), unit)


@pytest.mark.parametrize(
    ("line", "state"),
    [
        ("S I", S.ERROR),
        ("S +", S.OVERWEIGHT),
        ("S -", S.NEGATIVE),
        ("ES", S.ERROR),
        ("EL", S.ERROR),
    ],
)
def test_sics_errors_carry_no_weight(line: str, state: ScaleState) -> None:
    reading = parse_sics(line)
    assert reading is not None and reading.state is state and reading.weight is None
    assert not reading.recordable


@pytest.mark.parametrize("line", ["", "garbage", "S S", "S X 1.0 kg", "S S abc kg", "\x00\xff"])
def test_sics_garbage_is_not_a_reading(line: str) -> None:
    assert parse_sics(line) is None


@pytest.mark.parametrize(
    ("line", "state", "weight", "unit"),
    [
        ("ST,GS,+  1.234kg", S.STABLE, "1.234", "kg"),
        ("US,GS,+  1.230kg", S.MOTION, "1.230", "kg"),
        ("ST,NT,+  250.0 g", S.STABLE, "250.0", "g"),
        ("ST,GS,+  2.72lb", S.STABLE, "2.72", "lb"),
        ("ST,+  0.500kg", S.STABLE, "0.500", "kg"),
        ("ST,GS,-  0.010kg", S.NEGATIVE, "-0.010", "kg"),
    ],
)
def test_continuous_lines(line: str, state: ScaleState, weight: str, unit: str) -> None:
    assert parse_continuous(line) == ScaleReading(state, Decimal(weight), unit)


def test_continuous_overload_and_garbage() -> None:
    assert parse_continuous("OL,GS,+  ------kg") == ScaleReading(S.OVERWEIGHT)
    for line in ("", "ST,GS,", "XX,GS,+ 1.0kg", "ST,GS,+ 1.0", "ST,GS,+ 1..0kg", "ST,GS,+ abc kg"):
        assert parse_continuous(line) is None, line


@pytest.mark.parametrize(
    ("report", "state", "weight", "unit"),
    [
        ([3, 4, 2, 0, 0xD2, 0x04], S.STABLE, "1234", "g"),  # 1234 g
        ([3, 4, 11, 0xFF, 0x2C, 0x01], S.STABLE, "30.0", "oz"),  # 300 x 10^-1 oz
        ([3, 3, 2, 0, 0x10, 0x00], S.MOTION, "16", "g"),
        ([3, 2, 2, 0, 0, 0], S.STABLE, "0", "g"),  # stable at zero
        ([3, 5, 2, 0, 0x05, 0x00], S.NEGATIVE, "-5", "g"),
        ([3, 4, 12, 0xFE, 0x0F, 0x01], S.STABLE, "2.71", "lb"),  # 271 x 10^-2 lb
    ],
)
def test_hid_reports(report: list[int], state: ScaleState, weight: str, unit: str) -> None:
    assert parse_hid_report(report) == ScaleReading(state, Decimal(weight), unit)


def test_hid_overweight_fault_and_other_reports() -> None:
    over = parse_hid_report(bytes([3, 6, 2, 0, 0xFF, 0xFF]))
    assert over is not None and over.state is S.OVERWEIGHT and over.weight is None
    fault = parse_hid_report([3, 1, 2, 0, 0, 0])
    assert fault is not None and fault.state is S.ERROR and "fault" in fault.describe()
    assert parse_hid_report([4, 4, 2, 0, 1, 0]) is None  # not the data report
    assert parse_hid_report([3, 4, 2]) is None  # short read
    odd = parse_hid_report([3, 4, 99, 0, 1, 0])
    assert odd is not None and odd.state is S.ERROR and "unit" in odd.detail


def test_kilograms_and_what_may_be_recorded() -> None:
    assert ScaleReading(S.STABLE, Decimal("1234.4"), "g").kg == Decimal("1.234")
    assert ScaleReading(S.STABLE, Decimal("2.2046"), "lb").kg == Decimal("1.000")
    assert ScaleReading(S.STABLE, Decimal("16"), "oz").kg == Decimal("0.454")
    assert ScaleReading(S.STABLE, Decimal("1.2"), "kg").recordable
    assert not ScaleReading(S.STABLE, Decimal("0"), "kg").recordable
    assert not ScaleReading(S.MOTION, Decimal("1.2"), "kg").recordable
    assert not ScaleReading(S.STABLE, Decimal("1.2"), "ct").recordable


def test_states_in_words() -> None:
    assert ScaleReading(S.STABLE, Decimal("1.234"), "kg").describe() == "1.234 kg"
    assert ScaleReading(S.MOTION, Decimal("1.2"), "kg").describe().startswith("Scale unstable")
    assert "overloaded" in ScaleReading(S.OVERWEIGHT).describe()
    assert "negative" in ScaleReading(S.NEGATIVE, Decimal("-1"), "kg").describe()
    assert disconnected("cable").describe() == "Scale disconnected: cable"
    assert ScaleReading(S.STABLE, Decimal("0"), "kg").describe() == "Scale empty (0 kg)"


@pytest.mark.parametrize("unit", ["kg", "g", "lb"])
@pytest.mark.parametrize("stable", [True, False])
def test_simulator_output_reads_back(unit: str, stable: bool) -> None:
    face = ScaleFace(Decimal("12.345"), unit, stable)
    for parse, line in ((parse_sics, sics_answer(face)), (parse_continuous, continuous_line(face))):
        reading = parse(line.decode())
        assert reading == ScaleReading(S.STABLE if stable else S.MOTION, Decimal("12.345"), unit)
