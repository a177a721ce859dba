"""Configured statuses against Omnium's order types (the start-up check)."""

from __future__ import annotations

from packstation.omnium.order_types import OrderStatusSetting, OrderType
from packstation.packing.rules import PackingRules
from packstation.packing.status_check import (
    check_statuses,
    order_type_problem,
    type_status_problem,
)


def order_type(name: str, *statuses: str, default: bool = False) -> OrderType:
    return OrderType(
        name=name,
        default_order_type=default,
        order_statuses=[OrderStatusSetting(name=s) for s in statuses],
    )


ONLINE = order_type(
    "Online", "New", "InProgress", "PackedAndReady", "Ship", "OrderCanceled", default=True
)
PICKUP = order_type("ClickAndCollect", "New", "InProgress", "ReadyForPickup", "PickedUp")


def test_the_default_settings_fit_omniums_common_flows() -> None:
    check = check_statuses(PackingRules(warehouse="WH"), [ONLINE, PICKUP])
    assert check.problems == () and check.warnings == ()


def test_a_packed_status_the_type_lacks_names_the_type_and_its_statuses() -> None:
    rules = PackingRules(
        warehouse="WH", packed_statuses={"Online": "PackedAndReady", "ClickAndCollect": "Packed"}
    )
    check = check_statuses(rules, [ONLINE, PICKUP])
    assert check.problems == (
        "packed_statuses: order type ClickAndCollect has no status 'Packed' "
        "(its statuses: New, InProgress, ReadyForPickup, PickedUp)",
    )


def test_keep_for_later_and_cancel_statuses_are_checked_for_every_type_packed_here() -> None:
    rules = PackingRules(warehouse="WH", interim_status="InProgress", cancel_status="OrderCanceled")
    check = check_statuses(rules, [ONLINE, PICKUP])
    assert check.problems == (
        "cancel_status: order type ClickAndCollect has no status 'OrderCanceled' "
        "(its statuses: New, InProgress, ReadyForPickup, PickedUp)",
    )


def test_completion_status_is_checked_for_omniums_default_type_when_not_mapped() -> None:
    rules = PackingRules(warehouse="WH", packed_statuses={}, completion_status="Completed")
    check = check_statuses(rules, [ONLINE, PICKUP])
    assert check.problems == (
        "completion_status: order type Online has no status 'Completed' "
        "(its statuses: New, InProgress, PackedAndReady, Ship, OrderCanceled)",
    )


def test_types_omnium_lacks_are_not_checked_and_only_a_chosen_one_is_warned_about() -> None:
    defaults = check_statuses(PackingRules(warehouse="WH"), [ONLINE])
    assert defaults.problems == () and defaults.warnings == ()
    rules = PackingRules(
        warehouse="WH", packed_statuses={"Online": "PackedAndReady", "Onlien": "Ship"}
    )
    check = check_statuses(rules, [ONLINE, PICKUP])
    assert check.problems == ()
    assert check.warnings == (
        "packed_statuses names order type 'Onlien', which Omnium does not have "
        "(it has: Online, ClickAndCollect)",
    )


def test_one_status_of_one_type() -> None:
    assert type_status_problem([ONLINE], "Online", "Ship") is None
    assert type_status_problem([ONLINE], "Pos", "Ship") is None
    assert type_status_problem([ONLINE], "Online", "Picked") == (
        "order type Online has no status 'Picked' "
        "(its statuses: New, InProgress, PackedAndReady, Ship, OrderCanceled)"
    )


def test_an_order_of_a_mapped_type_or_without_the_types_read_opens() -> None:
    rules = PackingRules(warehouse="WH")
    assert order_type_problem(rules, [ONLINE, PICKUP], "ClickAndCollect") is None
    assert order_type_problem(rules, [ONLINE, PICKUP], None) is None  # Omnium's default type
    assert order_type_problem(rules, [], "Anything") is None


def test_an_unmapped_type_whose_fallback_status_it_has_opens() -> None:
    b2b = order_type("B2B", "New", "PackedAndReady")
    assert order_type_problem(PackingRules(warehouse="WH"), [ONLINE, b2b], "B2B") is None


def test_an_unmapped_type_without_the_fallback_status_says_what_and_what_to_do() -> None:
    b2b = order_type("B2B", "New", "Delivered")
    problem = order_type_problem(PackingRules(warehouse="WH"), [ONLINE, b2b], "B2B")
    assert problem is not None
    assert problem.what == (
        "order type B2B is not in the station's packed_statuses, and the fallback "
        "completion_status 'PackedAndReady' is not one of its statuses"
    )
    assert problem.statuses == "New, Delivered"
    assert 'packed_statuses.B2B = "<one of its statuses>"' in problem.fix


def test_an_unmapped_type_is_checked_for_keep_for_later_and_cancel_too() -> None:
    b2b = order_type("B2B", "New", "PackedAndReady")
    rules = PackingRules(warehouse="WH", cancel_status="OrderCanceled")
    problem = order_type_problem(rules, [ONLINE, b2b], "B2B")
    assert problem is not None
    assert problem.what == "cancel_status 'OrderCanceled' is not a status of order type B2B"
    assert problem.fix.startswith("set cancel_status to a status every packed order type has")


def test_a_type_omnium_does_not_have_is_refused_naming_the_types_it_has() -> None:
    problem = order_type_problem(PackingRules(warehouse="WH"), [ONLINE, PICKUP], "Pos")
    assert problem is not None
    assert problem.what == (
        "its order type 'Pos' is not one of Omnium's order types (Online, ClickAndCollect), so "
        "Omnium would refuse its status"
    )
    assert problem.fix == "correct the order's type in Omnium"
