"""USB HID scales through a fake device behind the interface hidapi's device is used through."""

from __future__ import annotations

import sys
import threading
from decimal import Decimal
from typing import Any

import pytest

from packstation.devices.hid_scale import HidScale, find_scale, load_hid
from packstation.devices.scale import open_scale, read_stable
from packstation.devices.scale_monitor import ScaleMonitor
from packstation.devices.scale_reading import ScaleError, ScaleReading, ScaleState

S = ScaleState


class FakeHidDevice:
    """Hands out queued reports like `hid.device.read`; raises OSError once unplugged."""

    def __init__(self, reports: list[list[int]]) -> None:
        self.reports = list(reports)
        self.unplugged = False
        self.closed = False
        self.opened: bytes | None = None

    def open_path(self, path: bytes) -> None:
        self.opened = path

    def read(self, max_length: int, timeout_ms: int = 0) -> list[int]:
        if self.unplugged:
            raise OSError("read error")
        return self.reports.pop(0)[:max_length] if self.reports else []

    def close(self) -> None:
        self.closed = True


class FakeHidModule:
    """Stands in for the `hid` module: enumerate() and device()."""

    def __init__(self, devices: list[dict[str, Any]], device: FakeHidDevice) -> None:
        self.devices = devices
        self._device = device

    def enumerate(self) -> list[dict[str, Any]]:
        return self.devices

    def device(self) -> FakeHidDevice:
        return self._device


KEYBOARD = {"path": b"/dev/hidraw0", "vendor_id": 0x046D, "product_id": 0xC31C, "usage_page": 1}
DYMO = {"path": b"/dev/hidraw3", "vendor_id": 0x0922, "product_id": 0x8003, "usage_page": 0x8D}


def test_reads_stable_weight_after_motion() -> None:
    device = FakeHidDevice([[3, 3, 2, 0, 0x10, 0], [3, 4, 2, 0, 0xD2, 0x04]])
    scale = HidScale(device)
    assert scale.read(0.1) == ScaleReading(S.MOTION, Decimal(16), "g")
    assert read_stable(scale, 1) == ScaleReading(S.STABLE, Decimal(1234), "g")
    scale.close()
    assert device.closed


def test_nothing_new_is_none_and_unplugged_is_an_error() -> None:
    device = FakeHidDevice([])
    scale = HidScale(device)
    assert scale.read(0.01) is None
    device.unplugged = True
    with pytest.raises(ScaleError, match="USB scale gone"):
        scale.read(0.01)


def test_finds_the_scale_among_other_devices() -> None:
    devices = [KEYBOARD, DYMO]
    assert find_scale(devices, "auto") is DYMO
    assert find_scale(devices, "0922:8003") is DYMO
    assert find_scale(devices, "/dev/hidraw3") is DYMO
    assert find_scale(devices, "0922:9999") is None
    assert find_scale([KEYBOARD], "") is None


def test_open_through_the_hid_module(monkeypatch: pytest.MonkeyPatch) -> None:
    device = FakeHidDevice([[3, 4, 3, 0xFD, 0xE8, 0x03]])  # 1000 x 10^-3 kg
    monkeypatch.setitem(sys.modules, "hid", FakeHidModule([KEYBOARD, DYMO], device))
    scale = open_scale("", "hid")
    assert device.opened == DYMO["path"]
    assert read_stable(scale, 1).kg == Decimal("1.000")
    with pytest.raises(ScaleError, match="no USB scale found"):
        monkeypatch.setitem(sys.modules, "hid", FakeHidModule([KEYBOARD], device))
        open_scale("auto", "hid")


def test_without_a_usable_hidapi_the_scale_is_reported_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "hid", None)  # import hid -> ImportError
    with pytest.raises(ScaleError, match="need hidapi, which cannot be loaded"):
        load_hid()
    seen: list[ScaleReading] = []
    got = threading.Event()

    def on_reading(reading: ScaleReading) -> None:
        seen.append(reading)
        got.set()

    monitor = ScaleMonitor(lambda: open_scale("", "hid"), on_reading, retry_s=10)
    monitor.start()
    try:
        assert got.wait(5)
    finally:
        monitor.stop()
    assert seen[0].state is S.DISCONNECTED and "hidapi" in seen[0].describe()
