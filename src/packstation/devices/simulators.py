"""Simulated devices that speak the real protocols: a scale on a pseudo-terminal and a ZPL
printer on a loopback socket. For trying the station without hardware, and for its tests.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import threading
import tty
from dataclasses import dataclass, field, replace
from decimal import Decimal

from packstation.devices.zpl_status import HOST_STATUS, PrinterStatus, host_status_answer

CONTINUOUS_EVERY_S = 0.1


@dataclass
class ScaleFace:
    """What the simulated scale shows: a weight in a unit, and whether it settled."""

    weight: Decimal = Decimal(0)
    unit: str = "kg"
    stable: bool = True
    overload: bool = False


def sics_answer(face: ScaleFace) -> bytes:
    """The MT-SICS answer to `SI` for what the scale shows."""
    if face.overload:
        return b"S +\r\n"
    if face.weight < 0 and face.stable:
        return b"S -\r\n"
    mark = "S" if face.stable else "D"
    return f"S {mark} {face.weight:>10f} {face.unit}\r\n".encode()


def continuous_line(face: ScaleFace) -> bytes:
    """One line of continuous output for what the scale shows."""
    if face.overload:
        return b"OL,GS,+  ------kg\r\n"
    head = "ST" if face.stable else "US"
    sign = "-" if face.weight < 0 else "+"
    return f"{head},GS,{sign}{abs(face.weight):>8f}{face.unit}\r\n".encode()


class SimulatedScale:
    """A serial scale on a pseudo-terminal: open `port` as you would `/dev/ttyUSB0`."""

    def __init__(self, protocol: str = "sics", face: ScaleFace | None = None) -> None:
        if protocol not in ("sics", "continuous"):
            raise ValueError(f"cannot simulate {protocol!r}")
        self.protocol = protocol
        self.face = face or ScaleFace()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._raw: list[bytes] = []
        self._silent = False
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        self.port = os.ttyname(self.slave)
        self._thread = threading.Thread(target=self._serve, name="sim-scale", daemon=True)

    def __enter__(self) -> SimulatedScale:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> str:
        """Start answering; the port's path."""
        self._thread.start()
        return self.port

    def show(self, weight: Decimal | str, unit: str | None = None, *, stable: bool = True) -> None:
        """Put a weight on the scale."""
        with self._lock:
            self.face = replace(
                self.face,
                weight=Decimal(weight),
                unit=unit or self.face.unit,
                stable=stable,
                overload=False,
            )

    def overload(self) -> None:
        """Put too much on the scale."""
        with self._lock:
            self.face = replace(self.face, overload=True)

    def fall_silent(self, silent: bool = True) -> None:
        """Stop sending anything (a cable pulled out of an RS-232 port), or start again."""
        with self._lock:
            self._silent = silent

    def send_raw(self, data: bytes) -> None:
        """Send bytes as they are (garbage, partial lines) before the next answer."""
        with self._lock:
            self._raw.append(data)

    def _next_output(self) -> bytes:
        with self._lock:
            if self._silent:
                return b""
            raw, self._raw = b"".join(self._raw), []
            face = self.face
        if self.protocol == "sics":
            return raw + sics_answer(face)
        return raw + continuous_line(face)

    def _serve(self) -> None:
        pending = b""
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([self.master], [], [], CONTINUOUS_EVERY_S)
                if self.protocol == "continuous":
                    if ready:
                        os.read(self.master, 1024)
                    os.write(self.master, self._next_output())
                    continue
                if not ready:
                    continue
                pending += os.read(self.master, 1024)
            except OSError:
                return
            while b"\n" in pending:
                line, _, pending = pending.partition(b"\n")
                if line.strip() == b"SI":
                    with contextlib.suppress(OSError):
                        os.write(self.master, self._next_output())
                elif line.strip():
                    with contextlib.suppress(OSError):
                        os.write(self.master, b"ES\r\n")

    def stop(self) -> None:
        """Stop answering and close the pseudo-terminal (to the station: unplugged)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(1.0)
        for fd in (self.master, self.slave):
            with contextlib.suppress(OSError):
                os.close(fd)


@dataclass
class SimulatedPrinter:
    """A ZPL printer on a loopback TCP port: records each job and answers `~HS`."""

    host: str = "127.0.0.1"
    port: int = 0
    status: PrinterStatus = field(default_factory=PrinterStatus)
    answers_status: bool = True
    jobs: list[bytes] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._server = socket.create_server((self.host, self.port))
        self.port = self._server.getsockname()[1]
        self._stop = threading.Event()
        self._received = threading.Condition()
        self._thread = threading.Thread(target=self._serve, name="sim-printer", daemon=True)

    @property
    def address(self) -> str:
        """The printer address for the settings: `tcp://127.0.0.1:PORT`."""
        return f"tcp://{self.host}:{self.port}"

    def __enter__(self) -> SimulatedPrinter:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        """Start accepting connections."""
        self._thread.start()

    def _serve(self) -> None:
        self._server.settimeout(0.1)
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._connection, args=(conn,), daemon=True).start()

    def _connection(self, conn: socket.socket) -> None:
        data = b""
        with conn:
            conn.settimeout(5.0)
            while True:
                try:
                    chunk = conn.recv(65536)
                except OSError:
                    break
                if not chunk:
                    break
                data += chunk
                while HOST_STATUS in data:
                    data = data.replace(HOST_STATUS, b"", 1)
                    if self.answers_status:
                        conn.sendall(host_status_answer(self.status))
        if data.strip():
            with self._received:
                self.jobs.append(data)
                self._received.notify_all()

    def wait_for_jobs(self, count: int, timeout: float = 5.0) -> list[bytes]:
        """The jobs received, once `count` have arrived (or the timeout passed)."""
        with self._received:
            self._received.wait_for(lambda: len(self.jobs) >= count, timeout)
            return list(self.jobs)

    def stop(self) -> None:
        """Stop accepting connections."""
        self._stop.set()
        self._server.close()
        if self._thread.is_alive():
            self._thread.join(1.0)
