"""What is packed where: packages, units per line, decisions and the packer.

Changed only by checked events, each change returning its exact inverse (the undo history).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from packstation.packing.decisions import Decision, SplitTarget
from packstation.packing.events import (
    BoxChosen,
    DecisionSet,
    Event,
    ItemPacked,
    ItemUnpacked,
    PackageOpened,
    PackerSet,
    Undone,
    WeightSet,
)

ZERO = Decimal(0)
ONE = Decimal(1)

Inverse = Callable[[], None]
"""Reverses exactly one applied event."""


@dataclass
class Package:
    """One package's contents (units per line), box, dimensions and weight."""

    contents: dict[str, Decimal] = field(default_factory=dict)
    box: str | None = None
    dimensions: tuple[int, int, int] | None = None
    weight_kg: Decimal | None = None


_PackageState = tuple[dict[str, Decimal], str | None, tuple[int, int, int] | None, Decimal | None]


@dataclass(frozen=True)
class StateMark:
    """A copy of a `PackState` at one moment, for `PackState.restore`."""

    packed: dict[str, Decimal]
    packages: tuple[Package, ...]
    package_state: tuple[_PackageState, ...]
    decisions: dict[str, tuple[Decision, SplitTarget | None]]
    packer: str | None


class PackState:
    """The packages and what is in them; the last package is the open one."""

    def __init__(self) -> None:
        self.packed: dict[str, Decimal] = {}
        self.packages: list[Package] = [Package()]
        self.decisions: dict[str, tuple[Decision, SplitTarget | None]] = {}
        self.packer: str | None = None

    def mark(self) -> StateMark:
        """A copy of the state now."""
        return StateMark(
            packed=dict(self.packed),
            packages=tuple(self.packages),
            package_state=tuple(
                (dict(p.contents), p.box, p.dimensions, p.weight_kg) for p in self.packages
            ),
            decisions=dict(self.decisions),
            packer=self.packer,
        )

    def restore(self, mark: StateMark) -> None:
        """Return exactly to `mark`.

        The containers and packages are restored in place: the undo history's inverses (and
        the session) refer to them.
        """
        self.packed.clear()
        self.packed.update(mark.packed)
        self.packages[:] = mark.packages
        for pkg, (contents, box, dimensions, weight) in zip(
            self.packages, mark.package_state, strict=True
        ):
            pkg.contents.clear()
            pkg.contents.update(contents)
            pkg.box, pkg.dimensions, pkg.weight_kg = box, dimensions, weight
        self.decisions.clear()
        self.decisions.update(mark.decisions)
        self.packer = mark.packer

    def do(self, event: Event) -> Inverse:
        """Apply a checked event; return how to reverse exactly it."""
        if isinstance(event, ItemPacked | ItemUnpacked):
            sign = ONE if isinstance(event, ItemPacked) else -ONE
            pkg = self.packages[event.package_no - 1]
            lid, units = event.line_item_id, event.units * sign
            _add(pkg.contents, lid, units)
            _add(self.packed, lid, units)

            def inverse() -> None:
                _add(pkg.contents, lid, -units)
                _add(self.packed, lid, -units)

            return inverse
        if isinstance(event, PackageOpened):
            self.packages.append(Package())

            def close() -> None:
                self.packages.pop()

            return close
        if isinstance(event, PackerSet):
            before = self.packer
            self.packer = event.user_id.strip()
            return lambda: setattr(self, "packer", before)
        if isinstance(event, DecisionSet):
            lid = event.line_item_id
            previous = self.decisions.get(lid)
            if event.decision is Decision.KEEP:
                self.decisions.pop(lid, None)
            else:
                target = None
                if event.decision is Decision.SPLIT:
                    target = SplitTarget(event.warehouse_code, event.service_point_id)
                self.decisions[lid] = (event.decision, target)
            return lambda: _restore(self.decisions, lid, previous)
        assert not isinstance(event, Undone)
        pkg = self.packages[event.package_no - 1]
        saved = (pkg.box, pkg.dimensions, pkg.weight_kg)
        if isinstance(event, WeightSet):
            pkg.weight_kg = event.weight_kg
        elif isinstance(event, BoxChosen):
            pkg.box = event.box
            pkg.dimensions = (event.length_cm, event.width_cm, event.height_cm)
        else:
            pkg.box = None
            pkg.dimensions = (event.length_cm, event.width_cm, event.height_cm)

        def restore() -> None:
            pkg.box, pkg.dimensions, pkg.weight_kg = saved

        return restore


def _add(counts: dict[str, Decimal], key: str, delta: Decimal) -> None:
    value = counts.get(key, ZERO) + delta
    if value == 0:
        counts.pop(key, None)
    else:
        counts[key] = value


def _restore(
    decisions: dict[str, tuple[Decision, SplitTarget | None]],
    key: str,
    previous: tuple[Decision, SplitTarget | None] | None,
) -> None:
    if previous is None:
        decisions.pop(key, None)
    else:
        decisions[key] = previous
