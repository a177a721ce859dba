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

from packstation.i18n import _
from packstation.omnium.order_types import OrderType
from packstation.packing.rules import DEFAULT_ORDER_TYPE, DEFAULT_PACKED_STATUSES, PackingRules


@dataclass(frozen=True)
class StatusCheck:
    """What is wrong (the station must not start) and what is only odd (a warning)."""

    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def _statuses(order_type: OrderType) -> str:
    return ", ".join(order_type.status_names) or _("none")


def _types_checked(rules: PackingRules, known: dict[str, OrderType]) -> list[OrderType]:
    """The types this station sends statuses for: those it maps, and Omnium's default type."""
    names = [name for name in rules.packed_statuses if name in known]
    default = next((t.name for t in known.values() if t.default_order_type), None)
    if default is not None and default not in names:
        names.append(default)
    return [known[name] for name in names]


def _wanted(rules: PackingRules, name: str) -> list[tuple[str, str]]:
    """(setting, status) of every status the station may send for an order of type `name`."""
    return [
        (
            "packed_statuses" if name in rules.packed_statuses else "completion_status",
            rules.packed_status(name),
        ),
        ("keep_for_later_status", rules.interim_status or ""),
        ("cancel_status", rules.cancel_status or ""),
    ]


def check_statuses(rules: PackingRules, order_types: Sequence[OrderType]) -> StatusCheck:
    """Every configured status against the statuses of the order types it applies to."""
    known = {t.name: t for t in order_types}
    problems: list[str] = []
    for order_type in _types_checked(rules, known):
        name = order_type.name
        for setting, status in _wanted(rules, name):
            if status and order_type.status(status) is None:
                problems.append(
                    _(
                        "{setting}: order type {order_type} has no status {status} "
                        "(its statuses: {statuses})"
                    ).format(
                        setting=setting,
                        order_type=name,
                        status=repr(status),
                        statuses=_statuses(order_type),
                    )
                )
    warnings = [
        _(
            "packed_statuses names order type {order_type}, which Omnium does not have "
            "(it has: {order_types})"
        ).format(order_type=repr(name), order_types=", ".join(known) or _("none"))
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
    return _("order type {order_type} has no status {status} (its statuses: {statuses})").format(
        order_type=order_type, status=repr(status), statuses=_statuses(found)
    )


@dataclass(frozen=True)
class OrderTypeProblem:
    """Why the station cannot pack an order of this type (short enough for the packer's
    banner), the statuses the type has, and what a supervisor changes to fix it."""

    what: str
    statuses: str
    fix: str


def order_type_problem(
    rules: PackingRules, order_types: Sequence[OrderType], order_type: str | None
) -> OrderTypeProblem | None:
    """Why an order of `order_type` must not be packed with these settings, or None.

    The start-up check covers the types the settings map and Omnium's default type; an order
    of another type is checked here, when it is opened, before anything is scanned or sent.
    Without Omnium's order types (not read) there is nothing to check against."""
    if not order_types:
        return None
    name = order_type or DEFAULT_ORDER_TYPE
    found = next((t for t in order_types if t.name == name), None)
    if found is None:
        return OrderTypeProblem(
            f"its order type {name!r} is not one of Omnium's order types "
            f"({', '.join(t.name for t in order_types)}), so Omnium would refuse its status",
            "",
            "correct the order's type in Omnium",
        )
    for setting, status in _wanted(rules, name):
        if not status or found.status(status) is not None:
            continue
        if setting == "completion_status":
            return OrderTypeProblem(
                f"order type {name} is not in the station's packed_statuses, and the fallback "
                f"completion_status {status!r} is not one of its statuses",
                _statuses(found),
                f'map the type in the settings file: packed_statuses.{name} = "<one of its '
                'statuses>" (packstation config path shows the file)',
            )
        return OrderTypeProblem(
            f"{setting} {status!r} is not a status of order type {name}",
            _statuses(found),
            f"set {setting} to a status every packed order type has, in the settings file "
            "(packstation config path shows the file)",
        )
    return None
