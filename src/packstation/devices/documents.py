"""The kinds of document a station prints, each routed to its own printer."""

from __future__ import annotations

from enum import StrEnum


class DocumentKind(StrEnum):
    """A document the station prints; the `printers` setting maps each to a printer."""

    SSCC_LABEL = "sscc_label"
    CARRIER_LABEL = "carrier_label"
    PACKING_SLIP = "packing_slip"
    PICKUP_SLIP = "pickup_slip"
    COMMAND_SHEET = "command_sheet"

    @property
    def noun(self) -> str:
        """The document in words, as the packer is told about it."""
        return _NOUNS[self]


_NOUNS = {
    DocumentKind.SSCC_LABEL: "label",
    DocumentKind.CARRIER_LABEL: "carrier label",
    DocumentKind.PACKING_SLIP: "packing slip",
    DocumentKind.PICKUP_SLIP: "pickup slip",
    DocumentKind.COMMAND_SHEET: "command sheet",
}
