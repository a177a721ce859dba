"""The kinds of document a station prints, each routed to its own printer."""

from __future__ import annotations

from enum import StrEnum

from packstation.i18n import N_


class DocumentKind(StrEnum):
    """A document the station prints; the `printers` setting maps each to a printer."""

    SSCC_LABEL = "sscc_label"
    CARRIER_LABEL = "carrier_label"
    PACKING_SLIP = "packing_slip"
    PICKUP_SLIP = "pickup_slip"
    COMMAND_SHEET = "command_sheet"

    @property
    def noun(self) -> str:
        """The document in words, in English (shown to the packer with `_()`)."""
        return _NOUNS[self]


_NOUNS = {
    DocumentKind.SSCC_LABEL: N_("label"),
    DocumentKind.CARRIER_LABEL: N_("carrier label"),
    DocumentKind.PACKING_SLIP: N_("packing slip"),
    DocumentKind.PICKUP_SLIP: N_("pickup slip"),
    DocumentKind.COMMAND_SHEET: N_("command sheet"),
}
