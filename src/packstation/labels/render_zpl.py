"""ZPL II output (203 dpi) of a laid-out label, for Zebra-compatible thermal printers.

Barcodes use `^BC` in mode N with Zebra's invocation codes: `>;` starts in subset C and `>8`
is FNC1, so `>;>800` + SSCC is a GS1-128 symbol whose first character is FNC1 (the convention
of Zebra's ZPL II guide, ^BC "UCC/EAN" examples). The check digit is ours, so `e` (UCC check
digit) is N, and the human-readable line is a separate text field. Text fields use
`^FH` hex escapes for the characters ZPL would treat as commands, and `^CI28` (UTF-8).
"""

from __future__ import annotations

from packstation.labels.barcodes import Symbol
from packstation.labels.errors import LabelError
from packstation.labels.layout import Bars, Page, Rule, Text

ZPL_DPI = 203

_HEX_ESCAPES = {"_": "_5F", "^": "_5E", "~": "_7E"}


def dots(mm: float) -> int:
    """Millimetres to printer dots at 203 dpi."""
    return round(mm * ZPL_DPI / 25.4)


def zpl_field_text(text: str) -> str:
    """Text safe inside `^FH_^FD...^FS`: command characters as `_XX` hex escapes."""
    return "".join(_HEX_ESCAPES.get(ch, ch) for ch in text if ch >= " ")


def zpl_code128_data(symbol: Symbol) -> str:
    """The `^FD` data of a `^BC` mode N field that encodes exactly `symbol`."""
    if symbol.gs1:
        if not symbol.payload.isdigit() or len(symbol.payload) % 2:
            raise LabelError(f"ZPL GS1-128 needs an even number of digits: {symbol.payload!r}")
        return ">;>8" + symbol.payload
    # Subset B from the start; a literal ">" is written "><" in ZPL.
    return ">:" + symbol.payload.replace(">", "><")


def render_zpl(page: Page, *, copies: int = 1) -> str:
    """One ZPL label (`^XA` ... `^XZ`) for the page."""
    out = [
        "^XA",
        "^CI28",
        f"^PW{dots(page.width)}",
        f"^LL{dots(page.height)}",
        "^LH0,0",
    ]
    for item in page.items:
        if isinstance(item, Text):
            height = max(10, dots(item.size))
            top = max(0, dots(item.y - item.size * 0.8))
            field = f"^A0N,{height},{height}^FH_^FD{zpl_field_text(item.text)}^FS"
            out.append(f"^FO{dots(item.x)},{top}{field}")
            if item.bold:
                # ^A0 has no bold weight; a second pass one dot to the right thickens strokes.
                out.append(f"^FO{dots(item.x) + 1},{top}{field}")
        elif isinstance(item, Rule):
            w, h = max(1, dots(item.width)), max(1, dots(item.height))
            out.append(f"^FO{dots(item.x)},{dots(item.y)}^GB{w},{h},{min(w, h)}^FS")
        elif isinstance(item, Bars):
            module, height = max(1, dots(item.module)), max(1, dots(item.height))
            data = zpl_code128_data(item.symbol)
            # GS1 data is digits and invocation codes only; other text needs ^FH escapes.
            hex_escape = "" if item.symbol.gs1 else "^FH_"
            data_field = f"{hex_escape}^FD{zpl_field_text(data)}^FS"
            out.append(
                f"^FO{dots(item.x)},{dots(item.y)}^BY{module},3,{height}"
                f"^BCN,{height},N,N,N,N{data_field}"
            )
    out.append(f"^PQ{copies}")
    out.append("^XZ")
    return "\n".join(out) + "\n"
