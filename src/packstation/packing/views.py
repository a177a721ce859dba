"""Read models the screen draws: per line, per package, and the order's totals."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from packstation.i18n import ngettext, number
from packstation.packing.decisions import Decision, SplitTarget


def fmt_qty(value: Decimal) -> str:
    """A quantity as a packer reads it: "3", "2.5" ("2,5" in nb/sv/da; never "3.000" or "1E+1")."""
    return number(value)


@dataclass(frozen=True)
class LineView:
    """One line of the target shipment as the packer sees it."""

    line_item_id: str
    code: str | None
    display_name: str | None
    ean: str | None
    ordered: Decimal
    """The line's quantity in the target shipment."""
    done_before: Decimal
    """Units delivered or cancelled before this session."""
    packable: Decimal
    """ordered - done_before: what this session can pack."""
    packed: Decimal
    remaining: Decimal
    decision: Decision
    split_target: SplitTarget | None

    @property
    def complete(self) -> bool:
        """True when every packable unit is packed."""
        return self.remaining <= 0


@dataclass(frozen=True)
class PackageView:
    """One package: its contents by line (in line order), box, dimensions and weight."""

    package_no: int
    contents: tuple[tuple[str, Decimal], ...]
    box: str | None
    dimensions: tuple[int, int, int] | None
    """(length, width, height) in whole cm."""
    weight_kg: Decimal | None
    is_open: bool

    @property
    def units(self) -> Decimal:
        """Units in the package."""
        return sum((units for _, units in self.contents), Decimal(0))

    @property
    def volume_litres(self) -> Decimal | None:
        """L x W x H / 1000, or None without dimensions."""
        if self.dimensions is None:
            return None
        length, width, height = self.dimensions
        return Decimal(length * width * height) / 1000


@dataclass(frozen=True)
class Totals:
    """The order's running count."""

    units_packed: Decimal
    units_packable: Decimal
    packages: int

    @property
    def summary(self) -> str:
        """E.g. "17 / 20 units packed, 2 packages"."""
        packed = ngettext(
            "{packed} / {packable} units packed, {count} package",
            "{packed} / {packable} units packed, {count} packages",
            self.packages,
        )
        return packed.format(
            packed=fmt_qty(self.units_packed),
            packable=fmt_qty(self.units_packable),
            count=self.packages,
        )


@dataclass(frozen=True)
class SessionSnapshot:
    """Everything a session holds that a replay or an undo must reproduce; compare with ==."""

    order_id: str
    shipment_id: str
    packer_id: str | None
    lines: tuple[LineView, ...]
    packages: tuple[PackageView, ...]
