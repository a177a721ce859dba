"""One way to open the configured scale and to wait for a stable weight."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Literal, Protocol

from packstation.devices.hid_scale import HidScale
from packstation.devices.scale_reading import ScaleError, ScaleReading, ScaleState
from packstation.devices.serial_scale import SerialScale

ScaleProtocol = Literal["sics", "continuous", "hid"]
PROTOCOLS: tuple[ScaleProtocol, ...] = ("sics", "continuous", "hid")
STABLE_WITHIN_S = 5.0


class Scale(Protocol):
    """A scale the station reads: serial or HID alike."""

    polled: bool
    """True when it must be asked for each reading (MT-SICS)."""
    steady: bool
    """True when silence means trouble: it answers or streams all the time (serial scales)."""

    def read(self, timeout: float) -> ScaleReading | None:
        """The next reading, or None when none came within timeout."""
        ...

    def close(self) -> None:
        """Release the device."""
        ...


def open_scale(port: str, protocol: str, baud: int = 9600) -> Scale:
    """Open the scale on `port` speaking `protocol`; ScaleError with the reason when impossible."""
    if protocol == "hid":
        return HidScale.open(port or "auto")
    if protocol not in PROTOCOLS:
        raise ScaleError(f"unknown scale protocol {protocol!r} (use sics, continuous or hid)")
    if not port:
        raise ScaleError("no scale port set (scale_port)")
    return SerialScale.open(port, protocol, baud)


def read_stable(
    scale: Scale,
    within: float = STABLE_WITHIN_S,
    *,
    clock: Callable[[], float] = time.monotonic,
) -> ScaleReading:
    """The first stable reading within `within` seconds; ScaleError saying why there was none."""
    deadline = clock() + within
    last: ScaleReading | None = None
    while True:
        left = deadline - clock()
        if left <= 0:
            break
        reading = scale.read(min(left, 0.5))
        if reading is None:
            continue
        last = reading
        if reading.state is ScaleState.STABLE:
            return reading
    why = f"last: {last.describe()}" if last is not None else "the scale sent nothing"
    raise ScaleError(f"no stable reading within {within:g} s ({why})")
