"""Scans that may belong to another order hold the scans typed after them.

A scan the open order does not know (another order's id, an unknown code, an item that is
not on the order) is the sign that the scans around it were typed for something else: a
scanner burst for the next order, or a command barcode the terminal mangled (a stray Escape
in a burst turns `CMD-SUBMIT` into `^CMD-SUBMIT`, and `ORD-…` into F3 + `D-…`). Applying the
next scans anyway put the next order's weight on the open one and sent it. So after such a
refusal every scanned code is refused too, until the packer scans the open order's id again
(or uses a function key, which no scanner types). Timing plays no part.
"""

from __future__ import annotations

from dataclasses import dataclass

from packstation.i18n import _
from packstation.packing.outcome import Outcome, refused
from packstation.packing.scan import RejectKind
from packstation.packing.symbology import scan_body, shown

STRAY_KINDS = frozenset({RejectKind.UNKNOWN_BARCODE, RejectKind.NOT_ON_ORDER})
"""Refusals that suggest the scan was meant for another order."""


@dataclass
class StrayHold:
    """The hold of one open order: which refused scan started it, if any."""

    order_id: str
    cause: str | None = None

    @property
    def held(self) -> bool:
        """True while scanned codes are refused."""
        return self.cause is not None

    def screen(self, text: str, *, scanned: bool) -> Outcome | None:
        """None to apply the scan; else the hold's own answer (a refusal, or the release)."""
        if self.cause is None:
            return None
        if not scanned:
            # A function key or a button: the packer acts on this order on purpose.
            self.cause = None
            return None
        if scan_body(text).upper() == self.order_id.upper():
            self.cause = None
            return Outcome(
                message=_("Back on order {order_id}: scans apply to it again").format(
                    order_id=self.order_id
                )
            )
        return refused(
            _(
                "{scan} not applied: scans are held since {cause} was refused (it may be for "
                "another order). Scan {order_id} to go on with this order."
            ).format(
                scan=shown(scan_body(text) or text),
                cause=shown(self.cause),
                order_id=self.order_id,
            ),
            RejectKind.HELD,
        )

    def note(self, text: str, outcome: Outcome) -> None:
        """Start holding after a refusal that points at another order."""
        rejection = outcome.rejection
        if rejection is not None and rejection.kind in STRAY_KINDS and self.cause is None:
            self.cause = scan_body(text) or text
