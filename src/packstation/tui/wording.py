"""Small wording helpers so counts, quantities and order lines read naturally on screen."""

from __future__ import annotations

from decimal import Decimal

from packstation.i18n import N_, _, number
from packstation.packing.decisions import Decision
from packstation.packing.views import LineView

DECISION_WORDS = {
    Decision.KEEP: N_("keep"),
    Decision.CANCEL: N_("cancel"),
    Decision.SPLIT: N_("split"),
}
"""A line's decision as the table shows it (translated when shown)."""


def decision_word(decision: object) -> str:
    """The decision of a line's rest in the packer's words (keep, cancel, split)."""
    word = DECISION_WORDS.get(decision) if isinstance(decision, Decision) else None
    return _(word) if word else str(getattr(decision, "value", decision)).lower()


def counted(count: int | Decimal, noun: str, plural: str | None = None) -> str:
    """`1 unit`, `3 units`, `2.5 kg`-style count with the noun in the right number.

    English only: a translated text uses `ngettext` instead (see docs/translating.md)."""
    shown = f"{count.normalize():f}" if isinstance(count, Decimal) else str(count)
    return f"{shown} {noun if count == 1 else (plural or noun + 's')}"


def qty(value: Decimal) -> str:
    """A quantity without trailing zeros (2, not 2.000), with the language's decimal sign."""
    return number(value)


def line_cells(line: LineView) -> tuple[str, str, str, str, str]:
    """The table cells of a line: SKU, name, EAN, packed / packable, decision."""
    decision = ""
    if line.remaining > 0:
        decision = decision_word(line.decision)
        target = line.split_target
        if target is not None and (target.warehouse_code or target.service_point_id):
            decision += f" → {target.warehouse_code or target.service_point_id}"
    elif line.packable > 0:
        decision = "✔ " + _("packed")
    return (
        line.code or "",
        line.display_name or "",
        line.ean or "",
        f"{qty(line.packed)} / {qty(line.packable)}",
        decision,
    )
