"""Serial scales against simulated devices: a pseudo-terminal and pyserial's loop://."""

from __future__ import annotations

import itertools
import threading
from decimal import Decimal

import pytest
import serial

from packstation.devices.scale import open_scale, read_stable
from packstation.devices.scale_monitor import NO_ANSWER, ScaleMonitor
from packstation.devices.scale_reading import ScaleError, ScaleReading, ScaleState
from packstation.devices.serial_scale import LineBuffer, SerialScale
from packstation.devices.simulators import SimulatedScale

S = ScaleState


@pytest.fixture(params=["sics", "continuous"])
def simulated(request: pytest.FixtureRequest) -> SimulatedScale:
    scale = SimulatedScale(request.param)
    scale.start()
    yield scale
    scale.stop()


def test_stable_reading_over_a_pty(simulated: SimulatedScale) -> None:
    simulated.show("1.234")
    scale = open_scale(simulated.port, simulated.protocol)
    try:
        assert read_stable(scale, 3) == ScaleReading(S.STABLE, Decimal("1.234"), "kg")
    finally:
        scale.close()


@pytest.mark.parametrize(("weight", "unit", "kg"), [("850", "g", "0.850"), ("2.5", "lb", "1.134")])
def test_unit_changes(simulated: SimulatedScale, weight: str, unit: str, kg: str) -> None:
    simulated.show("1.000")
    scale = open_scale(simulated.port, simulated.protocol)
    try:
        assert read_stable(scale, 3).kg == Decimal("1.000")
        simulated.show(weight, unit)
        reading = read_stable(scale, 3)
        # A streaming scale may still have a line of the old weight buffered.
        if reading.unit != unit:
            reading = read_stable(scale, 3)
        assert (reading.unit, reading.kg) == (unit, Decimal(kg))
    finally:
        scale.close()


def test_unstable_never_gives_a_stable_reading(simulated: SimulatedScale) -> None:
    simulated.show("1.5", stable=False)
    scale = open_scale(simulated.port, simulated.protocol)
    try:
        with pytest.raises(ScaleError, match=r"no stable reading within 0.6 s.*unstable"):
            read_stable(scale, 0.6)
    finally:
        scale.close()


def test_garbage_and_partial_lines_are_skipped(simulated: SimulatedScale) -> None:
    simulated.show("3.210")
    simulated.send_raw(b"\x00\xff#garbage\r\nS S  9")  # a line, then half of one
    scale = open_scale(simulated.port, simulated.protocol)
    try:
        assert read_stable(scale, 3).weight == Decimal("3.210")
    finally:
        scale.close()


def test_sics_overload_and_negative() -> None:
    with SimulatedScale("sics") as sim:
        scale = open_scale(sim.port, "sics")
        try:
            sim.overload()
            assert scale.read(2) == ScaleReading(S.OVERWEIGHT)
            sim.show("-0.020")
            assert scale.read(2) == ScaleReading(S.NEGATIVE, detail="")
        finally:
            scale.close()


def test_loop_url_partial_lines_arrive_whole() -> None:
    port = serial.serial_for_url("loop://", timeout=0.05)
    scale = SerialScale(port, "continuous")
    port.write(b"ST,GS,+  1.2")
    assert scale.read(0.2) is None  # half a line is not a reading
    port.write(b"34kg\r\nnoise\r\nUS,GS,+  1.300kg\r\n")
    assert scale.read(0.5) == ScaleReading(S.MOTION, Decimal("1.300"), "kg")
    port.write(b"ST,GS,+   500 g\r\n")
    assert scale.read(0.5) == ScaleReading(S.STABLE, Decimal("500"), "g")


def test_line_buffer_drops_endless_garbage() -> None:
    buffer = LineBuffer()
    assert buffer.feed(b"x" * 1000) == []
    assert buffer.feed(b"tail\r\nS S 1 kg\n") == ["tail", "S S 1 kg"]


def test_missing_port_and_unknown_protocol() -> None:
    with pytest.raises(ScaleError, match="cannot open /nonexistent/tty"):
        open_scale("/nonexistent/tty", "sics")
    with pytest.raises(ScaleError, match="unknown scale protocol"):
        open_scale("loop://", "modbus")
    with pytest.raises(ScaleError, match="no scale port"):
        open_scale("", "sics")


def test_monitor_reports_changes_and_an_unplugged_scale() -> None:
    seen: list[ScaleReading] = []
    changed = threading.Condition()

    def on_reading(reading: ScaleReading) -> None:
        with changed:
            seen.append(reading)
            changed.notify_all()

    def wait_for(check: object) -> None:
        with changed:
            assert changed.wait_for(lambda: any(check(r) for r in seen), 5), seen  # type: ignore[operator]

    sim = SimulatedScale("sics")
    sim.start()
    sim.show("0.750")
    monitor = ScaleMonitor(lambda: open_scale(sim.port, "sics"), on_reading, retry_s=0.1)
    monitor.start()
    try:
        wait_for(lambda r: r == ScaleReading(S.STABLE, Decimal("0.750"), "kg"))
        sim.show("0.800", stable=False)
        wait_for(lambda r: r.state is S.MOTION and r.weight == Decimal("0.800"))
        sim.stop()  # unplugged
        wait_for(lambda r: r.state in (S.DISCONNECTED, S.ERROR))
    finally:
        monitor.stop()
        sim.stop()
    assert all(a != b for a, b in itertools.pairwise(seen))  # changes only


@pytest.mark.parametrize("protocol", ["sics", "continuous"])
def test_a_silent_scale_is_not_answering_and_its_last_weight_goes(protocol: str) -> None:
    seen: list[ScaleReading] = []
    changed = threading.Condition()

    def on_reading(reading: ScaleReading) -> None:
        with changed:
            seen.append(reading)
            changed.notify_all()

    def wait_for(reading: ScaleReading) -> None:
        with changed:
            assert changed.wait_for(lambda: seen[-1:] == [reading], 5), seen

    with SimulatedScale(protocol) as sim:
        sim.show("1.500")
        monitor = ScaleMonitor(
            lambda: open_scale(sim.port, protocol), on_reading, retry_s=0.1, silent_s=0.5
        )
        monitor.start()
        try:
            wait_for(ScaleReading(S.STABLE, Decimal("1.500"), "kg"))
            sim.fall_silent()  # the RS-232 cable comes out: no error, just nothing
            wait_for(NO_ANSWER)
            assert not seen[-1].recordable and "not answering" in seen[-1].describe()
            sim.fall_silent(False)
            wait_for(ScaleReading(S.STABLE, Decimal("1.500"), "kg"))
        finally:
            monitor.stop()
