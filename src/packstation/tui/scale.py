"""The live scale on screen: readings from the scale's thread, the readout, taking a weight.

The scale is read in its own thread (`devices.scale_monitor`); each change of reading is handed
to the event loop with `call_soon_threadsafe`, so the loop never waits on the scale. A scale
that goes away mid-shift only changes what the readout says: packing goes on with GS1 weight
labels and the keyboard, and the packer is told so once.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from dataclasses import replace
from decimal import Decimal

from rich.text import Text
from textual.widgets import Static

from packstation.config import Settings
from packstation.devices.scale import open_scale
from packstation.devices.scale_monitor import ScaleMonitor
from packstation.devices.scale_reading import ScaleReading, ScaleState, disconnected
from packstation.devices.weighing import package_weight
from packstation.i18n import N_, _
from packstation.tui.screens.open_order import OpenOrder
from packstation.tui.station import Station

FALLBACK = N_("packing goes on: scan the scale's GS1 weight label or type the weight (F3)")
"""Shown with `_()`."""


class ScaleReadout(Static):
    """One line: the scale's reading, in words when it cannot be used."""

    DEFAULT_CSS = """
    ScaleReadout { height: 1; padding: 0 1; }
    ScaleReadout.-stable { color: $success; text-style: bold; }
    ScaleReadout.-unusable { color: $warning; }
    ScaleReadout.-gone { color: $error; text-style: bold; }
    """

    def on_mount(self) -> None:
        """Show the newest reading at once."""
        feed: ScaleFeed | None = getattr(self.app, "scale_feed", None)
        if feed is not None:
            self.show(feed.latest)

    def show(self, reading: ScaleReading) -> None:
        """Draw a reading."""
        stable = reading.recordable
        gone = reading.state is ScaleState.DISCONNECTED
        self.set_class(stable, "-stable")
        self.set_class(gone, "-gone")
        self.set_class(not stable and not gone, "-unusable")
        text = reading.describe()
        if stable:
            text += " (stable)"
        # Text from the device is shown as text, never as markup.
        self.update(Text(text if text.startswith("Scale") else f"Scale: {text}"))


class ScaleFeed:
    """The app's scale: starts the reading thread and keeps the newest reading."""

    def __init__(self, app: Station, settings: Settings) -> None:
        self.app = app
        self.latest: ScaleReading = disconnected("connecting…")
        self._connected = False
        self._told_gone = False
        port, protocol, baud = settings.scale_port, settings.scale_protocol, settings.scale_baud
        self._monitor = ScaleMonitor(lambda: open_scale(port, protocol, baud), self._from_thread)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()
        self._pending: ScaleReading | None = None
        self._scheduled = False

    def start(self) -> None:
        """Start reading (call on the event loop)."""
        self._loop = asyncio.get_running_loop()
        self._monitor.start()

    def stop(self) -> None:
        """Stop reading."""
        self._monitor.stop(wait=0.5)

    def _from_thread(self, reading: ScaleReading) -> None:
        if self._loop is None:
            return
        # A fast-streaming scale must not queue a redraw per line: the loop gets the newest
        # reading once, however many arrived since it last looked.
        with self._lock:
            self._pending = reading
            if self._scheduled:
                return
            self._scheduled = True
        with contextlib.suppress(RuntimeError):  # the loop closed while the station quit
            self._loop.call_soon_threadsafe(self._deliver_pending)

    def _deliver_pending(self) -> None:
        with self._lock:
            reading, self._scheduled = self._pending, False
        if reading is not None:
            self.deliver(reading)

    def deliver(self, reading: ScaleReading) -> None:
        """A new reading on the event loop: redraw the readouts, say when the scale went away."""
        self.latest = reading
        for screen in self.app.screen_stack:
            for readout in screen.query(ScaleReadout):
                readout.show(reading)
        if reading.state is ScaleState.DISCONNECTED:
            if self._connected or not self._told_gone:
                self._told_gone = True
                fallback = _(FALLBACK)
                self.app.notify(
                    f"{reading.describe()}; {fallback}", title=_("Scale"), severity="warning"
                )
            self._connected = False
        elif not self._connected:
            if self._told_gone:
                self.app.notify(_("Scale connected again"), title=_("Scale"))
            self._connected = True


def start_scale_feed(app: Station) -> ScaleFeed | None:
    """Start reading the configured scale; None when the settings name none."""
    if not app.settings.has_scale:
        return None
    feed = ScaleFeed(app, app.settings)
    feed.start()
    return feed


async def take_weight(pack: OpenOrder, *, on_scan: bool = False) -> bool:
    """Record the scale's stable weight less the box's tare as the open package's weight.

    On a scan (CMD-NEW-PACKAGE / CMD-SUBMIT) an unusable reading is only a warning, since the
    command goes on; on the key it is refused with the reason. True when a weight was recorded.
    """
    station = pack.station
    feed: ScaleFeed | None = getattr(station, "scale_feed", None)
    if feed is None:
        return False
    package = next(p for p in pack.session.packages() if p.is_open)
    if on_scan and not package.contents:
        return False  # nothing packed yet: whatever lies on the scale is not this package
    preset = pack.session.rules.preset(package.box) if package.box else None
    tare = preset.tare_kg if preset is not None else Decimal(0)
    weighed = package_weight(feed.latest, package.box, tare)
    if weighed.kg is None:
        station.bell()
        if on_scan:
            station.notify(weighed.message, title=_("Scale"), severity="warning")
        else:
            pack.banner(f"✘ {weighed.message}", "bad")
        return False
    if weighed.kg == package.weight_kg:
        if not on_scan:
            pack.banner(f"✔ {weighed.message}", "ok")
        return True
    outcome = pack.session.set_weight(weighed.kg)
    if outcome.rejection is None:
        outcome = replace(outcome, message=weighed.message)
    await pack.show_outcome(outcome)
    return outcome.rejection is None
