"""A bare case GTIN counts the size the order gives it (a line property), else the settings'."""

from __future__ import annotations

import pytest
from packing_factories import L, make_order, rules

from packstation.omnium.models import OmniumOrder, OrderLine, PropertyItem
from packstation.packing.case_sizes import case_sizes_for, order_case_sizes, property_case_size
from packstation.packing.session import PackingSession

MUG = "5901234123457"
CASE = "1" + MUG[:-1] + "4"  # the mug's case GTIN-14 (indicator 1)
OUTER = "2" + MUG[:-1] + "1"  # a second packaging level (indicator 2)


def sized(value: str, key: str = "CaseSize") -> list[PropertyItem]:
    """A line's properties holding one case size."""
    return [PropertyItem(key="Colour", value="blue"), PropertyItem(key=key, value=value)]


def order_with(properties: list[PropertyItem], *, where: str = "order") -> OmniumOrder:
    """ORD-1 with 48 mugs sold in units whose case GTIN is on the line; `properties` on the
    order-level line, the shipment's copy, or both."""
    order = make_order(L("MUG", MUG, 48, gtins=[CASE]))
    if where in {"order", "both"}:
        order.order_form.line_items[0].properties = properties
    if where in {"shipment", "both"}:
        order.order_form.shipments[0].line_items[0].properties = properties
    return order


def packing(order: OmniumOrder, **rule_overrides: object) -> PackingSession:
    session = PackingSession(order, rules(**rule_overrides))
    session.handle_scan("USER-anna")
    return session


@pytest.mark.parametrize("where", ["order", "shipment", "both"])
def test_the_orders_case_size_counts_a_bare_case_gtin(where: str) -> None:
    s = packing(order_with(sized("24"), where=where))
    out = s.handle_scan(CASE)
    assert out.ok and s.packed("1") == 24


def test_the_order_wins_over_the_settings_which_size_the_rest() -> None:
    s = packing(order_with(sized("12")), case_sizes={CASE: 24})
    assert s.handle_scan(CASE).ok and s.packed("1") == 12
    # No size on the order: the settings' size counts.
    fallback = packing(order_with([]), case_sizes={CASE: 24})
    assert fallback.handle_scan(CASE).ok and fallback.packed("1") == 24


@pytest.mark.parametrize("value", ["", "x", "0", "-6", "2.5", "NaN", "Infinity", "100001"])
def test_a_size_that_is_no_whole_number_of_units_is_not_taken(value: str) -> None:
    s = packing(order_with(sized(value)))
    out = s.handle_scan(CASE)
    assert out.rejection is not None and "key the count" in out.message
    assert s.packed("1") == 0
    # With the settings' size as fallback, that one counts.
    fallback = packing(order_with(sized(value)), case_sizes={CASE: 24})
    assert fallback.handle_scan(CASE).ok and fallback.packed("1") == 24


def test_the_property_key_is_matched_in_any_case_and_can_be_turned_off() -> None:
    line = OrderLine(line_item_id="1", gtins=[CASE], properties=sized(" 24.0 ", key="casesize"))
    assert property_case_size(line, "CaseSize") == 24
    assert property_case_size(line, "") is None
    s = packing(order_with(sized("24")), case_size_property="")
    assert s.handle_scan(CASE).rejection is not None and s.packed("1") == 0
    other = packing(order_with(sized("24", key="UnitsPerCase")), case_size_property="UnitsPerCase")
    assert other.handle_scan(CASE).ok and other.packed("1") == 24


def test_a_line_with_two_case_levels_or_two_lines_disagreeing_size_nothing() -> None:
    two_levels = OrderLine(line_item_id="1", gtins=[CASE, OUTER], properties=sized("24"))
    assert order_case_sizes([two_levels], "CaseSize") == {}
    one = OrderLine(line_item_id="1", gtins=[CASE], properties=sized("24"))
    same = OrderLine(line_item_id="2", gtins=[CASE], properties=sized("24"))
    differs = OrderLine(line_item_id="3", gtins=[CASE], properties=sized("6"))
    assert order_case_sizes([one, same], "CaseSize") == {CASE: 24}
    assert order_case_sizes([one, differs], "CaseSize") == {}
    assert case_sizes_for([one, differs], "CaseSize", {CASE: 10}) == {CASE: 10}
