"""Mettler Toledo MT-SICS: the `SI` (send weight immediately) command and its answers.

`S S      1.234 kg` is stable, `S D      1.236 kg` dynamic (still moving); `S I` means the
command cannot be executed now, `S +` overload, `S -` underload; `ES`, `ET`, `EL` are syntax,
transmission and logical errors. Lines end in CR LF.
"""

from __future__ import annotations

import re

from packstation.devices.scale_reading import (
    ScaleReading,
    ScaleState,
    normalise_unit,
    parse_weight,
)

SEND_IMMEDIATELY = b"SI\r\n"
"""Ask for the current weight, stable or not (`S` would wait for stability)."""

_WEIGHT = re.compile(r"^S\s+([SD])\s+(\S(?:.*\S)?)\s+([A-Za-z]+)$")
_ERRORS = {
    "S I": (ScaleState.ERROR, "busy: command not executable now"),
    "S +": (ScaleState.OVERWEIGHT, ""),
    "S -": (ScaleState.NEGATIVE, ""),
    "ES": (ScaleState.ERROR, "command not understood (ES)"),
    "ET": (ScaleState.ERROR, "transmission error (ET)"),
    "EL": (ScaleState.ERROR, "logical error (EL)"),
}


def parse_sics(line: str) -> ScaleReading | None:
    """The reading in one MT-SICS answer line; None when the line is not one."""
    text = line.strip()
    known = _ERRORS.get(" ".join(text.split()))
    if known is not None:
        return ScaleReading(known[0], detail=known[1])
    match = _WEIGHT.match(text)
    if match is None:
        return None
    weight = parse_weight(match.group(2))
    if weight is None:
        return None
    state = ScaleState.STABLE if match.group(1) == "S" else ScaleState.MOTION
    if state is ScaleState.STABLE and weight < 0:
        state = ScaleState.NEGATIVE
    return ScaleReading(state, weight, normalise_unit(match.group(3)))
