"""Reads the scale in a background thread and reports each change of reading.

The thread opens the scale, reads it until stopped, and when the scale goes away (unplugged,
port gone) reports it as disconnected and tries again every few seconds, so a scale that comes
back is used again without a restart.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from packstation.devices.scale import Scale
from packstation.devices.scale_reading import (
    ScaleError,
    ScaleReading,
    ScaleState,
    disconnected,
)

RETRY_S = 3.0
"""Wait between attempts to open a scale that is not there."""
POLL_S = 0.2
"""Pause between two questions to a polled (MT-SICS) scale: five readings a second."""
SILENT_S = 3.0
"""A serial scale that has sent nothing for this long is shown as not answering (its last
weight must not linger on screen, nor be recorded, after a cable came out)."""

NO_ANSWER = ScaleReading(ScaleState.ERROR, detail="not answering")


class ScaleMonitor:
    """Owns the reading thread; `on_reading` is called from that thread on every change."""

    def __init__(
        self,
        opener: Callable[[], Scale],
        on_reading: Callable[[ScaleReading], None],
        *,
        retry_s: float = RETRY_S,
        poll_s: float = POLL_S,
        silent_s: float = SILENT_S,
    ) -> None:
        self._opener = opener
        self._on_reading = on_reading
        self._retry_s = retry_s
        self._poll_s = poll_s
        self._silent_s = silent_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.latest: ScaleReading = disconnected("not opened yet")

    def start(self) -> None:
        """Start reading in a daemon thread (it must never keep the station from quitting)."""
        self._thread = threading.Thread(target=self._run, name="scale", daemon=True)
        self._thread.start()

    def stop(self, wait: float = 2.0) -> None:
        """Ask the thread to stop and wait a little for it."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(wait)

    def _report(self, reading: ScaleReading) -> None:
        if reading != self.latest:
            self.latest = reading
            self._on_reading(reading)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                scale = self._opener()
            except Exception as exc:  # ScaleError, or a driver's surprise: try again later
                self._report(disconnected(str(exc)))
                self._stop.wait(self._retry_s)
                continue
            try:
                self._read_until_gone(scale)
            except ScaleError as exc:
                self._report(disconnected(str(exc)))
            except Exception as exc:  # a driver's surprise must not end reading for the shift
                self._report(disconnected(f"{type(exc).__name__}: {exc}"))
            finally:
                scale.close()
            self._stop.wait(self._retry_s)

    def _read_until_gone(self, scale: Scale) -> None:
        heard = time.monotonic()
        while not self._stop.is_set():
            reading = scale.read(0.5)
            now = time.monotonic()
            if reading is not None:
                heard = now
                self._report(reading)
            elif scale.steady and now - heard > self._silent_s:
                self._report(NO_ANSWER)
            if scale.polled:
                self._stop.wait(self._poll_s)
