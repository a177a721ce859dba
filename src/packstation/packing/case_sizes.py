"""How many units a bare case GTIN-14 holds: what the order says first, the settings after.

Omnium's contract has no case-size field on an order line. It carries custom `properties`
(key/value) on every line, which is where a shop puts such a fact; the station reads the one
named by `case_size_property` (default `CaseSize`). The line's `selectedUnit*` fields are not
used: the contract does not say which way the conversion factor runs nor which of the line's
GTINs is the selected unit, and a wrong guess would send a wrong quantity.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from packstation.omnium.models import OrderLine
from packstation.packing.index import line_gtins

DEFAULT_CASE_SIZE_PROPERTY = "CaseSize"
"""The order line property that says how many units the line's case holds."""

MAX_CASE_SIZE = 100000
"""The same bound the settings' `case_sizes` have."""


def is_case_gtin(gtin: str) -> bool:
    """True for a GTIN-14 of a packaging level (indicator digit 1-8)."""
    return len(gtin) == 14 and gtin[0] in "12345678"


def property_case_size(line: OrderLine, key: str) -> int | None:
    """The line's case size from its property `key` (case-insensitive), or None when absent or
    not a whole number from 1 to MAX_CASE_SIZE."""
    wanted = key.strip().casefold()
    if not wanted:
        return None
    for item in line.properties or ():
        if (item.key or "").strip().casefold() != wanted:
            continue
        try:
            size = Decimal((item.value or "").strip())
        except InvalidOperation:
            return None
        if not size.is_finite() or size != size.to_integral_value():
            return None
        return int(size) if 0 < size <= MAX_CASE_SIZE else None
    return None


def order_case_sizes(lines: Iterable[OrderLine], key: str) -> dict[str, int]:
    """Case GTIN-14 -> units, from the lines' case-size property.

    A line's size is taken only when the line carries exactly one case GTIN: with an inner
    pack and an outer case on one line, one number cannot say which of them it counts. A case
    GTIN two lines give different sizes to is left out (the settings, or a refusal, decide).
    """
    found: dict[str, int] = {}
    clashing: set[str] = set()
    for line in lines:
        size = property_case_size(line, key)
        if size is None:
            continue
        cases = [g for g in line_gtins(line) if is_case_gtin(g)]
        if len(cases) != 1:
            continue
        gtin = cases[0]
        if found.get(gtin, size) != size:
            clashing.add(gtin)
        found[gtin] = size
    return {gtin: size for gtin, size in found.items() if gtin not in clashing}


def case_sizes_for(
    lines: Iterable[OrderLine], key: str, settings: Mapping[str, int]
) -> dict[str, int]:
    """The case sizes a session uses: the order's, and the settings' for cases it does not
    size (Omnium's data is the judge where it speaks)."""
    return {**settings, **order_case_sizes(lines, key)}
