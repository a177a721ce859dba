"""USB HID POS scales (usage page 0x8D; Dymo M-series, Stamps.com and similar): the data report.

Six bytes: report id (3), status, unit, exponent (signed), weight low byte, weight high byte.
The weight is `(low + 256 * high) * 10 ** exponent` in the unit.
"""

from __future__ import annotations

from decimal import Decimal

from packstation.devices.scale_reading import ScaleReading, ScaleState

POS_USAGE_PAGE = 0x8D
"""The HID usage page of weighing devices."""
DATA_REPORT_ID = 3

# HID POS "Scale Status" values.
_STATUS: dict[int, tuple[ScaleState, str]] = {
    1: (ScaleState.ERROR, "fault"),
    2: (ScaleState.STABLE, ""),  # stable at zero
    3: (ScaleState.MOTION, ""),
    4: (ScaleState.STABLE, ""),
    5: (ScaleState.NEGATIVE, ""),
    6: (ScaleState.OVERWEIGHT, ""),
    7: (ScaleState.ERROR, "needs calibration"),
    8: (ScaleState.ERROR, "needs re-zeroing"),
}
# HID POS "Weight Unit" values the station can convert.
_UNITS = {1: "mg", 2: "g", 3: "kg", 11: "oz", 12: "lb"}


def parse_hid_report(report: bytes | list[int]) -> ScaleReading | None:
    """The reading in one data report; None for other reports and short reads."""
    data = bytes(report)
    if len(data) < 6 or data[0] != DATA_REPORT_ID:
        return None
    status, unit_code, exponent = data[1], data[2], int.from_bytes(data[3:4], signed=True)
    raw = data[4] | data[5] << 8
    state, detail = _STATUS.get(status, (ScaleState.ERROR, f"unknown status {status}"))
    if state in (ScaleState.ERROR, ScaleState.OVERWEIGHT):
        return ScaleReading(state, detail=detail)
    unit = _UNITS.get(unit_code)
    if unit is None:
        return ScaleReading(ScaleState.ERROR, detail=f"unknown unit {unit_code}")
    weight = Decimal(raw).scaleb(exponent)
    if state is ScaleState.NEGATIVE:
        weight = -weight
    return ScaleReading(state, weight, unit)
