"""The continuous output of retail and postal scales: `ST,GS,+  1.234kg` several times a second.

Header one is the state (`ST` stable, `US` unstable, `OL` overload), header two the kind of
weight (`GS` gross, `NT` net, `TR` tare; some scales leave it out), then the signed weight with
its unit. Overload often carries dashes or blanks instead of a number.
"""

from __future__ import annotations

import re

from packstation.devices.scale_reading import (
    ScaleReading,
    ScaleState,
    normalise_unit,
    parse_weight,
)

_LINE = re.compile(
    r"^(?P<state>ST|US|OL)\s*,\s*(?:(?P<kind>GS|NT|TR|GW|NW)\s*,\s*)?"
    r"(?P<number>[-+\s\d.]*?)\s*(?P<unit>kg|g|lbs?|oz)?\s*$",
    re.IGNORECASE,
)


def parse_continuous(line: str) -> ScaleReading | None:
    """The reading in one line of continuous output; None when the line is not one."""
    match = _LINE.match(line.strip())
    if match is None:
        return None
    state = match.group("state").upper()
    if state == "OL":
        return ScaleReading(ScaleState.OVERWEIGHT)
    weight = parse_weight(match.group("number"))
    unit = match.group("unit")
    if weight is None or unit is None:
        return None
    kind = ScaleState.STABLE if state == "ST" else ScaleState.MOTION
    if weight < 0:
        kind = ScaleState.NEGATIVE
    return ScaleReading(kind, weight, normalise_unit(unit))
