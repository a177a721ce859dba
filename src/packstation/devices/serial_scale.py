"""Serial scales (RS-232 or USB-serial) through pyserial: MT-SICS polled, or continuous output.

The port is anything `serial.serial_for_url` opens: `/dev/ttyUSB0`, `COM3`, `socket://host:4001`
for a serial server, `loop://` in tests.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import time
from collections.abc import Callable

import serial

from packstation.devices.continuous import parse_continuous
from packstation.devices.scale_reading import ScaleError, ScaleReading
from packstation.devices.sics import SEND_IMMEDIATELY, parse_sics

READ_SLICE_S = 0.05
"""How long one read of the port waits, so a stop or a deadline is noticed quickly."""
MAX_LINE = 256
"""Bytes without a line end after which the buffer is dropped as garbage."""
SICS_RESEND_S = 1.0
"""An MT-SICS scale that has not answered `SI` by then is asked again."""

_LINE_END = re.compile(rb"[\r\n]+")

if sys.platform != "win32":
    import termios

    _PLATFORM_ERRORS: tuple[type[BaseException], ...] = (termios.error,)
else:  # Windows has no termios; pyserial raises SerialException there
    _PLATFORM_ERRORS = ()
PORT_ERRORS: tuple[type[BaseException], ...] = (
    serial.SerialException,
    OSError,
    *_PLATFORM_ERRORS,
    TypeError,  # pyserial's posix read after the device vanished mid-call
)


def port_error(exc: BaseException) -> str:
    """A port error in a few words (`No such file or directory`), not pyserial's repetitions."""
    number = getattr(exc, "errno", None)
    if isinstance(number, int):
        return os.strerror(number)
    if len(exc.args) == 2 and isinstance(exc.args[0], int):  # termios.error(errno, text)
        return str(exc.args[1])
    return str(exc) or type(exc).__name__


class LineBuffer:
    """Bytes in, whole lines out: a partial line waits for its end, endless garbage is dropped."""

    def __init__(self) -> None:
        self._pending = b""

    def feed(self, data: bytes) -> list[str]:
        """The complete lines that `data` finishes."""
        parts = _LINE_END.split(self._pending + data)
        self._pending = parts.pop()
        if len(self._pending) > MAX_LINE:
            self._pending = b""
        return [p.decode("ascii", "replace") for p in parts if p]

    def clear(self) -> None:
        """Forget a partial line (before a new command)."""
        self._pending = b""


class SerialScale:
    """A scale on a serial port speaking MT-SICS (`sics`) or continuous output (`continuous`)."""

    def __init__(
        self,
        port: serial.SerialBase,
        protocol: str,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if protocol not in ("sics", "continuous"):
            raise ValueError(f"not a serial scale protocol: {protocol!r}")
        self.port = port
        self.protocol = protocol
        self._parse = parse_sics if protocol == "sics" else parse_continuous
        self._lines = LineBuffer()
        self._clock = clock
        # A scale polled with SI answers only when asked; one that streams never needs asking.
        self.polled = protocol == "sics"
        self.steady = True

    @classmethod
    def open(cls, port: str, protocol: str, baud: int = 9600) -> SerialScale:
        """Open the port; ScaleError with the reason when it cannot be opened."""
        try:
            handle = serial.serial_for_url(port, baudrate=baud, timeout=READ_SLICE_S)
        except (serial.SerialException, OSError, ValueError) as exc:
            raise ScaleError(f"cannot open {port}: {port_error(exc)}") from None
        return cls(handle, protocol)

    def _write(self, data: bytes) -> None:
        try:
            self.port.reset_input_buffer()
            self._lines.clear()
            self.port.write(data)
        except PORT_ERRORS as exc:
            raise ScaleError(f"port {self.port.name} failed: {port_error(exc)}") from None

    def _read_chunk(self) -> bytes:
        try:
            waiting = self.port.in_waiting
            return bytes(self.port.read(max(1, waiting)))
        except PORT_ERRORS as exc:
            raise ScaleError(f"port {self.port.name} failed: {port_error(exc)}") from None

    def read(self, timeout: float) -> ScaleReading | None:
        """The next reading (the newest one for a streaming scale); None if none within timeout."""
        deadline = self._clock() + timeout
        asked = None
        while True:
            now = self._clock()
            if self.polled and (asked is None or now - asked >= SICS_RESEND_S):
                self._write(SEND_IMMEDIATELY)
                asked = now
            latest = None
            for line in self._lines.feed(self._read_chunk()):
                reading = self._parse(line)
                if reading is not None:
                    latest = reading
            if latest is not None:
                return latest
            if self._clock() >= deadline:
                return None

    def close(self) -> None:
        """Release the port."""
        with contextlib.suppress(*PORT_ERRORS):
            self.port.close()
