"""The command barcodes a station understands, printed on the command sheet."""

from __future__ import annotations

from enum import StrEnum


class Command(StrEnum):
    """A command barcode's payload. Scanned at any time, it drives the station without keys."""

    NEW_PACKAGE = "CMD-NEW-PACKAGE"
    UNDO = "CMD-UNDO"
    SUBMIT = "CMD-SUBMIT"
    CANCEL_LINE = "CMD-CANCEL-LINE"
    SPLIT_LINE = "CMD-SPLIT-LINE"
    ABORT = "CMD-ABORT"

    @property
    def meaning(self) -> str:
        """What the command does, in the words printed beside its barcode."""
        return _MEANINGS[self]


_MEANINGS: dict[Command, str] = {
    Command.NEW_PACKAGE: "Close this package and start a new one",
    Command.UNDO: "Undo the last change (scan again to undo more)",
    Command.SUBMIT: "Review the order; scan again to confirm and send",
    Command.CANCEL_LINE: "Then scan an item: cancel that line's unpacked rest",
    Command.SPLIT_LINE: "Then scan an item: split that line's unpacked rest to a new shipment",
    Command.ABORT: "Abandon this order without sending anything",
}

BOX_PREFIX = "BOX-"
"""`BOX-<preset>` selects a box preset for the open package."""

BADGE_PREFIX = "USER-"
"""`USER-<id>` is a packer's or supervisor's badge."""
