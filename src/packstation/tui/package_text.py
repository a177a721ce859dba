"""A package as the packer reads it: number, box or dimensions, weight and contents."""

from __future__ import annotations

from rich.text import Text

from packstation.i18n import _, ngettext
from packstation.packing.views import PackageView
from packstation.tui.wording import qty

MAX_SHOWN_OPEN = 14
MAX_SHOWN_CLOSED = 4


def package_text(package: PackageView, names: dict[str, str]) -> Text:
    """One package as text: number, box or dimensions, weight, contents."""
    text = Text()
    head = _("Package {number}").format(number=package.package_no)
    text.append(head, style="bold reverse" if package.is_open else "bold")
    if package.is_open:
        text.append("  " + _("OPEN"), style="bold")
    text.append("\n")
    if package.box:
        text.append("  " + _("box {box}").format(box=package.box))
    if package.dimensions:
        length, width, height = package.dimensions
        text.append(f"  {length}×{width}×{height} cm")
    if not package.box and not package.dimensions:
        text.append("  " + _("no box / dimensions"), style="italic")
    weight = f"{qty(package.weight_kg)} kg" if package.weight_kg is not None else _("no weight")
    text.append(f"  {weight}\n")
    if not package.contents:
        text.append("  " + _("(empty)") + "\n", style="italic")
    shown = package.contents if package.is_open else package.contents[:MAX_SHOWN_CLOSED]
    shown = shown[-MAX_SHOWN_OPEN:]
    hidden = len(package.contents) - len(shown)
    for line_id, units in shown:
        text.append(f"  {qty(units)} × {names.get(line_id, line_id)}\n")
    if hidden > 0:
        more = ngettext(
            "… and {count} more line ({units} units)",
            "… and {count} more lines ({units} units)",
            hidden,
        ).format(count=hidden, units=qty(package.units))
        text.append(f"  {more}\n", style="italic")
    return text


def package_line(package: PackageView, names: dict[str, str]) -> Text:
    """One package in one paragraph (it wraps), for a narrow screen: a package of four rows
    in a panel six rows high hid the next package's weight and contents at 80x24."""
    text = Text()
    text.append(_("Package {number}").format(number=package.package_no), style="bold")
    if package.is_open:
        text.append(" " + _("OPEN"), style="bold")
    parts: list[str] = []
    if package.box:
        parts.append(_("box {box}").format(box=package.box))
    if package.dimensions:
        length, width, height = package.dimensions
        parts.append(f"{length}×{width}×{height} cm")
    if not package.box and not package.dimensions:
        parts.append(_("no box / dimensions"))
    parts.append(
        f"{qty(package.weight_kg)} kg" if package.weight_kg is not None else _("no weight")
    )
    contents = [
        f"{qty(units)} × {names.get(line_id, line_id)}" for line_id, units in package.contents
    ]
    parts.append(", ".join(contents) if contents else _("(empty)"))
    text.append(": " + " · ".join(parts))
    return text
