"""Bar/space module patterns for Code 128 and GS1-128, encoded by python-barcode.

The renderers draw the modules themselves, so one encoding serves SVG, PNG and the checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from barcode.charsets import code128 as code128_sets  # type: ignore[import-untyped]
from barcode.codex import Code128, Gs1_128  # type: ignore[import-untyped]
from barcode.errors import BarcodeError  # type: ignore[import-untyped]

from packstation.labels.errors import LabelError

QUIET_ZONE_MODULES = 10
"""Code 128 needs at least ten module widths of white either side."""

_PRINTABLE_ASCII = re.compile(r"^[\x20-\x7e]+$")


@dataclass(frozen=True)
class Symbol:
    """One barcode: its payload, whether it is GS1 (FNC1 first), and its module pattern."""

    payload: str
    gs1: bool
    modules: str

    @property
    def width_modules(self) -> int:
        """Width in modules, quiet zones excluded."""
        return len(self.modules)

    def runs(self) -> list[tuple[int, int]]:
        """The bars as (start module, width in modules) pairs."""
        bars: list[tuple[int, int]] = []
        start = -1
        for i, module in enumerate(self.modules + "0"):
            if module == "1" and start < 0:
                start = i
            elif module == "0" and start >= 0:
                bars.append((start, i - start))
                start = -1
        return bars


class _Code128(Code128):  # type: ignore[misc]
    """python-barcode's Code 128 without its one wrong shortcut.

    It folds a leading subset switch into the start code, but after Start C the value 99 is
    the data "99", not a switch: "99" encoded as an empty symbol and "9999" read back "99".
    """

    def _try_to_optimize(self, encoded: list[int]) -> list[int]:
        if encoded[0] == code128_sets.START_CODES["C"] and encoded[1:2] == [99]:
            return encoded
        result: list[int] = super()._try_to_optimize(encoded)
        return result


def code128(payload: str) -> Symbol:
    """A plain Code 128 symbol (no FNC1) for printable ASCII text such as `CMD-UNDO`."""
    if not _PRINTABLE_ASCII.match(payload):
        raise LabelError(f"barcode text must be printable ASCII: {payload!r}")
    return Symbol(payload, gs1=False, modules=_build(_Code128(payload)))


def gs1_128(element_string: str) -> Symbol:
    """A GS1-128 symbol: FNC1 then the element string (e.g. `00` + SSCC), digits only here."""
    if not element_string.isdigit():
        # Non-numeric AIs need FNC1 separators between variable-length fields; not used here.
        raise LabelError(f"GS1-128 element string must be digits: {element_string!r}")
    return Symbol(element_string, gs1=True, modules=_build(Gs1_128(element_string)))


def _build(symbol: Code128) -> str:
    try:
        patterns: list[str] = symbol.build()
    except (BarcodeError, KeyError, RuntimeError, ValueError) as exc:
        raise LabelError(f"cannot encode {symbol.code!r} as Code 128: {exc}") from exc
    return patterns[0]
