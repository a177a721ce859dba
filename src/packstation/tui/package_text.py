"""A package as the packer reads it: number, box or dimensions, weight and contents."""

from __future__ import annotations

from rich.text import Text

from packstation.packing.views import PackageView
from packstation.tui.wording import qty

MAX_SHOWN_OPEN = 14
MAX_SHOWN_CLOSED = 4


def package_text(package: PackageView, names: dict[str, str]) -> Text:
    """One package as text: number, box or dimensions, weight, contents."""
    text = Text()
    head = f"Package {package.package_no}"
    text.append(head, style="bold reverse" if package.is_open else "bold")
    if package.is_open:
        text.append("  OPEN", style="bold")
    text.append("\n")
    if package.box:
        text.append(f"  box {package.box}")
    if package.dimensions:
        length, width, height = package.dimensions
        text.append(f"  {length}×{width}×{height} cm")
    if not package.box and not package.dimensions:
        text.append("  no box / dimensions", style="italic")
    weight = f"{qty(package.weight_kg)} kg" if package.weight_kg is not None else "no weight"
    text.append(f"  {weight}\n")
    if not package.contents:
        text.append("  (empty)\n", style="italic")
    shown = package.contents if package.is_open else package.contents[:MAX_SHOWN_CLOSED]
    shown = shown[-MAX_SHOWN_OPEN:]
    hidden = len(package.contents) - len(shown)
    for line_id, units in shown:
        text.append(f"  {qty(units)} × {names.get(line_id, line_id)}\n")
    if hidden > 0:
        text.append(f"  … and {hidden} more lines ({qty(package.units)} units)\n", style="italic")
    return text
