"""Small wording helpers so counts read naturally on screen."""

from __future__ import annotations

from decimal import Decimal


def counted(count: int | Decimal, noun: str, plural: str | None = None) -> str:
    """`1 unit`, `3 units`, `2.5 kg`-style count with the noun in the right number."""
    shown = f"{count.normalize():f}" if isinstance(count, Decimal) else str(count)
    return f"{shown} {noun if count == 1 else (plural or noun + 's')}"
