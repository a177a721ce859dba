"""GS1 element strings (GS1-128, DataMatrix, QR, DataBar) parsed with biip into packing data.

biip loads its GS1 tables on import (about 90 ms, `python -X importtime`, before the first
screen): this module is the one place that imports it, inside the functions that need it, so
it loads at the first GS1 scan or when the station warms it up after its first screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import TYPE_CHECKING

from packstation.packing.gtin import GTIN_LENGTHS

if TYPE_CHECKING:
    # Annotations only: biip is imported where it is used (see the module docstring).
    from biip import ParseConfig

GS = "\x1d"
"""The group separator a scanner sends for FNC1 between variable-length fields."""

GS1_SYMBOLOGY_IDS = frozenset({"]C1", "]d2", "]Q3", "]e0", "]J1"})
"""Symbology identifiers whose data is a GS1 element string."""


@cache
def _config() -> ParseConfig:
    from biip import ParseConfig  # deferred: see the module docstring

    return ParseConfig(gs1_element_strings_verify_date=False)


def warm_up() -> None:
    """Load biip now (in a background thread) so the first scan does not wait for it."""
    _config()


@dataclass(frozen=True)
class Gs1Data:
    """What a packing station reads from a GS1 element string."""

    gtin: str | None = None
    """GTIN-14 from AI 01 (trade item) or 02 (contained items)."""
    count: int | None = None
    """Units from AI 30 or 37."""
    weight_kg: Decimal | None = None
    """Gross weight (AI 330n), else net weight (AI 310n)."""
    length_m: Decimal | None = None
    width_m: Decimal | None = None
    height_m: Decimal | None = None

    @property
    def has_dimensions(self) -> bool:
        """True when any of AI 331n/332n/333n was present."""
        return any(v is not None for v in (self.length_m, self.width_m, self.height_m))


def marked_as_gs1(body: str, symbology: str | None) -> bool:
    """Whether the scanner marked a scan as GS1: symbology id, FNC1 (GS) or bracketed AIs."""
    return symbology in GS1_SYMBOLOGY_IDS or GS in body or body.startswith("(")


def split_symbology(text: str) -> tuple[str | None, str]:
    """(symbology identifier like "]C1" or None, the data after it)."""
    if text.startswith("]") and len(text) >= 3:
        from biip import ParseError  # deferred: see the module docstring
        from biip.symbology import SymbologyIdentifier

        try:
            sid = SymbologyIdentifier.extract(text)
        except (ParseError, ValueError):
            return None, text
        return text[: len(sid)], text[len(sid) :]
    return None, text


def has_valid_check_digit(gtin14: str) -> bool:
    """True when the last digit of a GTIN-14 is its GS1 check digit."""
    from biip.checksums import gs1_standard_check_digit  # deferred: see the module docstring

    return gs1_standard_check_digit(gtin14[:-1]) == int(gtin14[-1])


def sscc_problem(value: str) -> str | None:
    """Why biip refuses `value` as an SSCC-18 (the first line of its message), or None."""
    from biip import ParseError  # deferred: see the module docstring
    from biip.sscc import Sscc

    try:
        Sscc.parse(value)
    except ParseError as exc:
        return str(exc).splitlines()[0]
    return None


def looks_like_gs1(body: str, symbology: str | None) -> bool:
    """Whether a scan (without symbology identifier) should be tried as a GS1 element string.

    A bare 8/12/13/14-digit number is a plain GTIN (biip would otherwise read an EAN-8
    starting with 96 as AI 96), so it is not tried here.
    """
    if marked_as_gs1(body, symbology):
        return True
    if body.isascii() and body.isdigit():
        return len(body) not in GTIN_LENGTHS and len(body) >= 4
    # Variable-length fields may hold letters (batch, serial) after a numeric start.
    return len(body) > 16 and body[:16].isdigit() and body[:2] in ("01", "02")


def parse_gs1(body: str) -> Gs1Data | None:
    """The packing data in a GS1 element string, or None if it is not one or holds none."""
    from biip import ParseError  # deferred: see the module docstring
    from biip.gs1_messages import GS1Message

    try:
        if body.startswith("("):
            message = GS1Message.parse_hri(body, config=_config())
        else:
            message = GS1Message.parse(body.lstrip(GS), config=_config())
    except (ParseError, ValueError):
        return None
    values: dict[str, str] = {}
    decimals: dict[str, Decimal] = {}
    for element in message.element_strings:
        ai = element.ai.ai
        values.setdefault(ai[:3] if len(ai) == 4 else ai, element.value)
        if element.decimal is not None:
            decimals.setdefault(ai[:3] if len(ai) == 4 else ai, element.decimal)
    gtin = values.get("01") or values.get("02")
    count_text = values.get("30") or values.get("37")
    data = Gs1Data(
        gtin=gtin,
        count=int(count_text) if count_text is not None else None,
        weight_kg=decimals.get("330", decimals.get("310")),
        length_m=decimals.get("331"),
        width_m=decimals.get("332"),
        height_m=decimals.get("333"),
    )
    if data.gtin is None and data.weight_kg is None and not data.has_dimensions:
        return None
    return data


def metres_to_cm(value: Decimal) -> int:
    """Metres to whole centimetres, rounded half up (Omnium's dimensions are integers)."""
    return int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
