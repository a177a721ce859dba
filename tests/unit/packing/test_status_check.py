"""Configured statuses against Omnium's order types (the start-up check)."""

from __future__ import annotations

from packstation.omnium.order_types import OrderStatusSetting, OrderType
from packstation.packing.rules import PackingRules
from packstation.packing.status_check import check_statuses, type_status_problem


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
