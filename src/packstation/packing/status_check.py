"""Are the statuses in the station's settings statuses of Omnium's order types? (pure)

Checked once at start against `GET /api/Settings/OrderTypes`. A configured status that an order
type does not have would make Omnium refuse every submit of that type (or, worse, a status
with another meaning would run the wrong workflow), so the station refuses to start, naming the
type and the statuses it has. Order types Omnium does not have are not packed here: the station
only warns about one the settings name on purpose (not a default).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from packstation.omnium.order_types import OrderType
from packstation.packing.rules import DEFAULT_PACKED_STATUSES, PackingRules


@dataclass(frozen=True)
class StatusCheck:
    """What is wrong (the station must not start) and what is only odd (a warning)."""

    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def _statuses(order_type: OrderType) -> str:
    return ", ".join(order_type.status_names) or "none"


def _types_checked(rules: PackingRules, known: dict[str, OrderType]) -> list[OrderType]:
    """The types this station sends statuses for: those it maps, and Omnium's default type."""
    names = [name for name in rules.packed_statuses if name in known]
    default = next((t.name for t in known.values() if t.default_order_type), None)
    if default is not None and default not in names:
        names.append(default)
    return [known[name] for name in names]


def check_statuses(rules: PackingRules, order_types: Sequence[OrderType]) -> StatusCheck:
    """Every configured status against the statuses of the order types it applies to."""
    known = {t.name: t for t in order_types}
    problems: list[str] = []
    for order_type in _types_checked(rules, known):
        name = order_type.name
        wanted = [
            (
                "packed_statuses" if name in rules.packed_statuses else "completion_status",
                rules.packed_status(name),
            ),
            ("keep_for_later_status", rules.interim_status or ""),
            ("cancel_status", rules.cancel_status or ""),
        ]
        for setting, status in wanted:
            if status and order_type.status(status) is None:
                problems.append(
                    f"{setting}: order type {name} has no status {status!r} "
                    f"(its statuses: {_statuses(order_type)})"
                )
    warnings = [
        f"packed_statuses names order type {name!r}, which Omnium does not have "
        f"(it has: {', '.join(known) or 'none'})"
        for name, status in rules.packed_statuses.items()
        if name not in known and DEFAULT_PACKED_STATUSES.get(name) != status
    ]
    return StatusCheck(tuple(problems), tuple(warnings))


def type_status_problem(
    order_types: Sequence[OrderType], order_type: str, status: str
) -> str | None:
    """Why `status` cannot be sent for an order of `order_type`, or None when it can."""
    found = next((t for t in order_types if t.name == order_type), None)
    if found is None or found.status(status) is not None:
        return None  # a type Omnium does not list: let Omnium answer
    return f"order type {order_type} has no status {status!r} (its statuses: {_statuses(found)})"
