"""The command barcodes a station understands, printed on the command sheet."""

from __future__ import annotations

from enum import StrEnum

from packstation.i18n import N_, _


class Command(StrEnum):
    """A command barcode's payload. Scanned at any time, it drives the station without keys."""

    NEW_PACKAGE = "CMD-NEW-PACKAGE"
    UNDO = "CMD-UNDO"
    SUBMIT = "CMD-SUBMIT"
    REVIEW = "CMD-REVIEW"
    CANCEL_LINE = "CMD-CANCEL-LINE"
    SPLIT_LINE = "CMD-SPLIT-LINE"
    ABORT = "CMD-ABORT"
    OPEN_LINES = "CMD-OPEN-LINES"
    NEXT = "CMD-NEXT"
    REPRINT = "CMD-REPRINT"
    RESUME = "CMD-RESUME"
    DISCARD = "CMD-DISCARD"
    SIGN_OUT = "CMD-SIGN-OUT"

    @property
    def meaning(self) -> str:
        """What the command does, in the words printed beside its barcode."""
        return _(_MEANINGS[self])


_MEANINGS: dict[Command, str] = {
    Command.NEW_PACKAGE: N_("Close this package and start a new one"),
    Command.UNDO: N_(
        "Undo the last change (scan again to undo more); drops a count or line command"
    ),
    Command.SUBMIT: N_(
        "Send the order when every line is packed and every package weighed; "
        "otherwise review it, and scan again to confirm and send"
    ),
    Command.REVIEW: N_("Review the order (lines still open, packages) before sending"),
    Command.CANCEL_LINE: N_("Then scan an item: cancel that line's unpacked rest"),
    Command.SPLIT_LINE: N_(
        "Then scan an item: split that line's unpacked rest to a new shipment; "
        "then a destination (WH-... or a pickup point) if it goes elsewhere"
    ),
    Command.ABORT: N_("Abandon this order without sending anything (scan twice)"),
    Command.OPEN_LINES: N_("Show only the lines still open (scan again to show all)"),
    Command.NEXT: N_("Acknowledge the result or alert shown and go to the next order"),
    Command.REPRINT: N_("Reprint every label of the order just sent"),
    Command.RESUME: N_("At start: resume the unfinished order"),
    Command.DISCARD: N_("At start: discard the unfinished order (scan twice)"),
    Command.SIGN_OUT: N_("Sign the packer out (between orders)"),
}

BOX_PREFIX = "BOX-"
"""`BOX-<preset>` selects a box preset for the open package."""

BADGE_PREFIX = "USER-"
"""`USER-<id>` is a packer's or supervisor's badge."""

COUNT_PREFIX = "QTY-"
"""`QTY-<n>` (or n keyed and Enter) packs n units with the next item scan."""

SHEET_COUNTS = (2, 3, 4, 5, 6, 10, 12, 24)
"""The counts printed on the command sheet as `QTY-<n>` barcodes."""

MAX_KEYED_COUNT_DIGITS = 4
"""A keyed count has at most this many digits (a GTIN has at least 8)."""

DESTINATION_PREFIX = "TO-"
"""`TO-<warehouse or pickup point>` sends the line just split there (listed ones only)."""
