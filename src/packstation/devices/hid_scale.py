"""USB HID postal scales through hidapi.

hidapi needs a native library (hidraw or libusb). When it cannot be loaded the station still
starts: opening a HID scale raises ScaleError naming the problem, and packing goes on with GS1
weight labels and the keyboard.
"""

from __future__ import annotations

import contextlib
from typing import Any, Protocol

from packstation.devices.hid_report import POS_USAGE_PAGE, parse_hid_report
from packstation.devices.scale_reading import ScaleError, ScaleReading

DYMO_VENDOR_ID = 0x0922
REPORT_SIZE = 8


class HidDevice(Protocol):
    """The part of `hid.device` the scale uses (a fake in tests stands in for it)."""

    def read(self, max_length: int, timeout_ms: int = 0) -> list[int]:
        """One input report, or [] when none came within the timeout."""
        ...

    def close(self) -> None:
        """Release the device."""
        ...


def load_hid() -> Any:
    """The hidapi module; ScaleError when its native library cannot be used here."""
    # Imported here, not at the top: a missing native library must not stop the station.
    try:
        import hid
    except (ImportError, OSError) as exc:
        raise ScaleError(
            f"USB HID scales need hidapi, which cannot be loaded here: {exc}"
        ) from None
    return hid


def _parse_spec(spec: str) -> tuple[int, int] | None:
    """`0922:8003` as (vendor, product); None when the spec is not one."""
    vendor, sep, product = spec.partition(":")
    if not sep:
        return None
    try:
        return int(vendor, 16), int(product, 16)
    except ValueError:
        return None


def find_scale(devices: list[dict[str, Any]], spec: str) -> dict[str, Any] | None:
    """The enumerated device `spec` names: `auto`/"" (first POS scale), `VID:PID`, or a path."""
    ids = _parse_spec(spec)
    for info in devices:
        if spec in ("", "auto"):
            if info.get("usage_page") == POS_USAGE_PAGE or info.get("vendor_id") == DYMO_VENDOR_ID:
                return info
        elif ids is not None:
            if (info.get("vendor_id"), info.get("product_id")) == ids:
                return info
        elif info.get("path") in (spec, spec.encode()):
            return info
    return None


class HidScale:
    """A HID POS scale: reads its data reports."""

    polled = False
    steady = False  # some HID scales report only when the weight changes; unplugging raises

    def __init__(self, device: HidDevice) -> None:
        self.device = device

    @classmethod
    def open(cls, spec: str = "auto") -> HidScale:
        """Find and open the scale `spec` names; ScaleError when there is none or hidapi fails."""
        hid = load_hid()
        try:
            info = find_scale(hid.enumerate(), spec)
        except (OSError, ValueError) as exc:
            raise ScaleError(f"cannot list USB devices: {exc}") from None
        if info is None:
            wanted = "no USB scale found" if spec in ("", "auto") else f"no USB scale {spec}"
            raise ScaleError(wanted)
        device = hid.device()
        try:
            device.open_path(info["path"])
        except (OSError, ValueError) as exc:
            raise ScaleError(f"cannot open the USB scale: {exc}") from None
        return cls(device)

    def read(self, timeout: float) -> ScaleReading | None:
        """The newest data report within timeout; None when the scale sent nothing new."""
        try:
            report = self.device.read(REPORT_SIZE, max(1, int(timeout * 1000)))
        except (OSError, ValueError) as exc:
            raise ScaleError(f"USB scale gone: {exc}") from None
        return parse_hid_report(report) if report else None

    def close(self) -> None:
        """Release the device."""
        with contextlib.suppress(OSError, ValueError):
            self.device.close()
