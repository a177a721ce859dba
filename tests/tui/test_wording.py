"""Counts on screen read naturally: one unit, two units."""

from decimal import Decimal

from packstation.tui.wording import counted


def test_singular_and_plural() -> None:
    assert counted(1, "package") == "1 package"
    assert counted(0, "package") == "0 packages"
    assert counted(3, "line") == "3 lines"


def test_decimal_counts_drop_trailing_zeros() -> None:
    assert counted(Decimal("1.000"), "unit") == "1 unit"
    assert counted(Decimal("2.50"), "unit") == "2.5 units"
    assert counted(Decimal("10"), "unit") == "10 units"
