"""Scanner capture: turns the keys a keyboard-wedge scanner types into whole scans.

A wedge scanner types the code's characters and then Enter. The App feeds every key to one
`ScanCapture` *before* any widget sees it (see `StationApp.on_event`), so a scan reaches the
station whatever has focus, in the order the terminal delivered the keys (a focused `Input`
can reorder keys in a burst, Textual issue 6605, so scans never pass through one).

Routing (documented in notes/readme-tui.md):
- No text field focused: every printable key (and GS, 0x1D) goes into the buffer; Enter (CR or
  LF) ends the scan. Backspace edits the buffer, Escape clears it. Keys that are not printable
  (F-keys, arrows, Tab, ctrl+...) pass through to bindings and widgets. Enter with an empty
  buffer passes through too (it opens the highlighted queue entry, presses a button, ...).
- A text field focused (weight, dimensions): the key also goes to the field so the packer sees
  what they type, and the buffer records it as well. On Enter, a *barcode-shaped* buffer
  (command, box, badge, GS1 element string, 8/12/13/14-digit GTIN) is taken as a scan and the
  field is restored; anything else is the field's own input and Enter goes to the field.
Scans are never inferred from timing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum, auto

from packstation.packing.symbology import MAX_SCAN_CHARS

GS = "\x1d"
"""The GS1 group separator; inside a scan it separates variable-length element strings."""

ENTER_KEYS = frozenset({"enter", "ctrl+j", "ctrl+m"})
"""Keys that end a scan: CR arrives as `enter`, a bare LF as `ctrl+j`."""

GS_KEYS = frozenset({"ctrl+right_square_bracket", "ctrl+]"})
"""How the terminal reports GS (0x1D): the same byte as ctrl+]."""

_BARCODE_SHAPED = re.compile(
    r"""^(?:
        (?:CMD|BOX|USER)-\S+          # command sheet, box presets, badges
      | \]C1.*                        # symbology identifier of GS1-128
      | \(\d{2,4}\).+                 # human-readable GS1 element string
      | \d{8} | \d{12,14}             # GTIN-8, UPC-A, EAN-13, GTIN-14
      | \d{16,}.*                     # GS1 element strings in digits (AI 01 + more)
    )$""",
    re.VERBOSE,
)


def is_barcode_shaped(text: str) -> bool:
    """True when a typed text looks like something a scanner produced, not a form value."""
    return GS in text or bool(_BARCODE_SHAPED.match(text))


class KeyOutcome(Enum):
    """What the App does with a key after the capture has seen it."""

    CONSUMED = auto()  # the capture took it; no widget or binding sees it
    PASS = auto()  # not ours: normal Textual handling (bindings, focused widget)
    SCAN = auto()  # a scan just ended; the key itself is consumed


@dataclass(frozen=True)
class Scan:
    """One completed scan: its text, its sequence number and the session it was typed under."""

    text: str
    seq: int
    typed_under: str | None = None

    @property
    def scanned(self) -> bool:
        """True when keys typed it (a scanner or a hand); False for keys, buttons, palette."""
        return self.seq >= 0


@dataclass
class ScanCapture:
    """The key buffer. Pure logic: fed (key, character) pairs, it yields completed scans."""

    buffer: list[str] = field(default_factory=list)
    completed: Scan | None = None
    _seq: int = 0

    @property
    def text(self) -> str:
        """The characters typed since the last scan ended."""
        return "".join(self.buffer)

    def clear(self) -> None:
        """Forget the partial scan (Escape, or a form took the text)."""
        self.buffer.clear()

    def feed(
        self,
        key: str,
        character: str | None,
        *,
        field_focused: bool = False,
        typed_under: str | None = None,
    ) -> KeyOutcome:
        """Take one key; on SCAN the finished scan is in `self.completed`."""
        self.completed = None
        if key in ENTER_KEYS:
            text = self.text
            if not text:
                return KeyOutcome.PASS
            if field_focused and not is_barcode_shaped(text):
                # The packer typed a value into the form field; Enter belongs to the field.
                self.clear()
                return KeyOutcome.PASS
            self.clear()
            self._seq += 1
            self.completed = Scan(text=text, seq=self._seq, typed_under=typed_under)
            return KeyOutcome.SCAN
        if key in GS_KEYS or character == GS:
            if len(self.buffer) <= MAX_SCAN_CHARS:
                self.buffer.append(GS)
            return KeyOutcome.CONSUMED
        if key == "backspace" and not field_focused:
            if self.buffer:
                self.buffer.pop()
                return KeyOutcome.CONSUMED
            return KeyOutcome.PASS
        if key == "escape" and not field_focused and self.buffer:
            self.clear()
            return KeyOutcome.CONSUMED
        if character is not None and len(character) == 1 and character.isprintable():
            if len(self.buffer) <= MAX_SCAN_CHARS:
                # One past the limit is kept: the scan is then refused as too long, and a
                # runaway stream of keys cannot grow the buffer (or the bar) without bound.
                self.buffer.append(character)
            # With a field focused the field gets the key too (the App forwards it).
            return KeyOutcome.PASS if field_focused else KeyOutcome.CONSUMED
        if field_focused:
            # Editing or function keys in a field end any barcode attempt (a scanner never
            # types them): what was typed belongs to the field.
            self.clear()
        return KeyOutcome.PASS
