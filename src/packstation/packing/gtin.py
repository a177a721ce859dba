"""GTIN normalisation: EAN-8, UPC-A, EAN-13 and GTIN-14 all compared as GTIN-14."""

from __future__ import annotations

GTIN_LENGTHS = frozenset({8, 12, 13, 14})


def normalise_gtin(text: str | None) -> str | None:
    """The GTIN-14 form of an EAN-8/UPC-A/EAN-13/GTIN-14 (left-padded with 0), else None.

    UPC-A `036000291452` and EAN-13 `0036000291452` both become `00036000291452`. The check
    digit is not verified here: an order's own codes are matched as they are.
    """
    if text is None:
        return None
    value = text.strip()
    if len(value) not in GTIN_LENGTHS or not value.isascii() or not value.isdigit():
        return None
    return value.zfill(14)
