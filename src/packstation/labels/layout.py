"""Page layout primitives in millimetres, shared by the SVG, PNG, PDF and ZPL renderers."""

from __future__ import annotations

from dataclasses import dataclass, field

from packstation.labels.barcodes import Symbol

MONO_ADVANCE = 0.6
"""Advance width of the monospaced label font, as a fraction of the font size."""


@dataclass(frozen=True)
class Text:
    """A line of text; `y` is the baseline, `size` the font size (em), all in mm."""

    x: float
    y: float
    size: float
    text: str
    bold: bool = False


@dataclass(frozen=True)
class Bars:
    """A barcode with its top-left corner at (x, y); quiet zones are outside this box."""

    x: float
    y: float
    module: float
    height: float
    symbol: Symbol

    @property
    def width(self) -> float:
        """Width of the bars in mm, quiet zones excluded."""
        return self.module * self.symbol.width_modules


@dataclass(frozen=True)
class Rule:
    """A filled rectangle (a line or a box edge)."""

    x: float
    y: float
    width: float
    height: float


Item = Text | Bars | Rule


@dataclass(frozen=True)
class Page:
    """One page or label: its size in mm and what is drawn on it."""

    width: float
    height: float
    items: tuple[Item, ...] = field(default_factory=tuple)

    def texts(self) -> list[str]:
        """Every text line on the page, in drawing order."""
        return [item.text for item in self.items if isinstance(item, Text)]

    def symbols(self) -> list[Symbol]:
        """Every barcode on the page, in drawing order."""
        return [item.symbol for item in self.items if isinstance(item, Bars)]


def printable(text: str) -> str:
    """`text` with control and other unprintable characters dropped (tabs become spaces)."""
    return "".join(ch for ch in text.replace("\t", " ") if ch.isprintable())


def fit_text(text: str, size: float, width: float) -> str:
    """`text` made printable and shortened with "..." to fit `width` mm at font `size`."""
    text = printable(text)
    max_chars = max(1, int(width / (size * MONO_ADVANCE)))
    if len(text) <= max_chars:
        return text
    # Plain dots: a thermal printer's resident font may lack the ellipsis character.
    return text[: max(0, max_chars - 3)].rstrip() + "..."


def text_width(text: str, size: float) -> float:
    """Width in mm of `text` in the monospaced label font."""
    return len(text) * size * MONO_ADVANCE


def wrap_text(text: str, size: float, width: float, max_lines: int = 3) -> list[str]:
    """`text` broken at spaces into lines that fit `width` mm; the last line may be shortened."""
    max_chars = max(1, int(width / (size * MONO_ADVANCE)))
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= max_chars or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
    return [fit_text(line, size, width) for line in lines]
