"""A scan's symbology identifier (`]C1`, `]E0`, `]d2`…) and its data: one rule for every screen.

Kept apart from `scan` (which needs the order models) so screens that only need a scan's data
can read it without loading them.
"""

from __future__ import annotations

from packstation.packing.gs1 import GS, split_symbology

MAX_SCAN_CHARS = 1000
"""Longer scans are refused before they are read: no barcode on a packing bench is longer
(GS1-128 holds 48 characters), and a 200 000-digit "scan" took a second to refuse."""

SCAN_PADDING = " \t\r\n\0"
"""What a scanner may send around the data (spaces, line ends, NUL)."""


def split_scan(raw: str) -> tuple[str | None, str]:
    """(symbology identifier or None, the scan's data without padding or GS around it)."""
    symbology, body = split_symbology(raw.strip(SCAN_PADDING))
    return symbology, body.strip(SCAN_PADDING + GS)


def scan_body(raw: str) -> str:
    """The data of a scan without symbology identifier, padding or GS around it.

    Every screen reads scans through this (or `scan.interpret`), so a prefix is stripped
    the same way everywhere, command barcodes included."""
    return split_scan(raw)[1]


def shown(text: str, limit: int = 40) -> str:
    """A scan as the packer should see it: GS visible, long values shortened."""
    visible = text.replace(GS, "<GS>")
    return visible if len(visible) <= limit else visible[: limit - 1] + "…"
