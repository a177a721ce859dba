"""A shift by scans alone (issue 15): one-scan submit, keyed counts, case sizes, split
destinations, the packers list and the commands that belong to other screens."""

from __future__ import annotations

from decimal import Decimal

from packing_factories import L, make_order, rules

from packstation.omnium.models import Shipment
from packstation.packing.badges import sign_in_refusal
from packstation.packing.decisions import Decision, SplitTarget
from packstation.packing.destinations import split_destinations
from packstation.packing.outcome import Action
from packstation.packing.scan import RejectKind
from packstation.packing.session import PackingSession

MUG = "5901234123457"
CASE = "1" + MUG[:-1] + "4"  # the mug's case GTIN-14 (indicator 1)


def packing(*specs: L, **rule_overrides: object) -> PackingSession:
    session = PackingSession(make_order(*specs), rules(**rule_overrides))
    session.handle_scan("USER-anna")
    return session


def test_one_submit_sends_when_every_line_is_packed_and_every_package_weighed() -> None:
    s = packing(L("MUG", MUG, 2))
    s.handle_scan(MUG)
    s.handle_scan("3103001000")
    # A line still open: the first CMD-SUBMIT shows the review.
    assert s.handle_scan("CMD-SUBMIT").action is Action.REVIEW_SUBMIT
    s.handle_scan(MUG)
    assert s.nothing_to_decide
    assert s.handle_scan("CMD-SUBMIT").action is Action.CONFIRM_SUBMIT


def test_a_package_without_weight_stops_the_one_scan_submit() -> None:
    s = packing(L("MUG", MUG, 1))
    s.handle_scan(MUG)
    out = s.handle_scan("CMD-SUBMIT")
    assert out.rejection is not None and "Package 1 has no weight" in out.message


def test_the_review_stays_reachable_and_a_submit_from_it_sends() -> None:
    s = packing(L("MUG", MUG, 1))
    s.handle_scan(MUG)
    s.handle_scan("3103001000")
    review = s.handle_scan("CMD-REVIEW")
    assert review.action is Action.REVIEW_SUBMIT and s.reviewing
    assert s.handle_scan("CMD-SUBMIT").action is Action.CONFIRM_SUBMIT


def test_a_keyed_count_packs_that_many_of_the_next_item() -> None:
    s = packing(L("MUG", MUG, 20), L("PLATE", None, 2))
    out = s.handle_scan("12")
    assert out.action is Action.AWAIT_ITEM and s.pending_count == 12
    assert s.handle_scan(MUG).ok
    assert s.packed("1") == 12 and s.pending_count is None
    # QTY- barcodes from the command sheet do the same.
    s.handle_scan("QTY-6")
    s.handle_scan(MUG)
    assert s.packed("1") == 18


def test_a_keyed_count_is_bounded_by_what_is_open_on_the_line() -> None:
    s = packing(L("MUG", MUG, 5))
    s.handle_scan("4")
    s.handle_scan(MUG)
    s.handle_scan("3")
    out = s.handle_scan(MUG)
    assert out.rejection is not None and out.rejection.kind is RejectKind.TOO_MANY
    assert "only 1 of 5 units left, not 3" in out.message and "count 3 dropped" in out.message
    assert s.packed("1") == 4 and s.pending_count is None


def test_a_waiting_count_refuses_other_scans_and_undo_drops_it() -> None:
    s = packing(L("MUG", MUG, 5))
    s.handle_scan("2")
    out = s.handle_scan("3103001000")
    assert out.rejection is not None and out.rejection.kind is RejectKind.COUNT_WAITING
    assert "scan the item" in out.message and s.pending_count == 2
    assert s.handle_scan("CMD-UNDO").message == "Count 2 dropped"
    assert s.pending_count is None and s.packed("1") == 0


def test_a_line_coded_like_a_number_is_an_item_not_a_count() -> None:
    s = packing(L("12", None, 3))
    assert s.handle_scan("12").ok and s.packed("1") == 1


def test_a_count_or_zero_that_is_not_a_number_is_refused() -> None:
    s = packing(L("MUG", MUG, 5))
    assert s.handle_scan("QTY-0").rejection.kind is RejectKind.BAD_COUNT  # type: ignore[union-attr]
    assert s.handle_scan("QTY-x").rejection.kind is RejectKind.BAD_COUNT  # type: ignore[union-attr]


def test_a_bare_case_gtin_counts_its_known_size() -> None:
    s = packing(L("MUG", MUG, 48, gtins=[CASE]), case_sizes={CASE: 24})
    out = s.handle_scan(CASE)
    assert out.ok and s.packed("1") == 24
    # Without a known size it is refused (nothing packed).
    unknown = packing(L("MUG", MUG, 48, gtins=[CASE]))
    out = unknown.handle_scan(CASE)
    assert out.rejection is not None and "key the count" in out.message
    assert unknown.packed("1") == 0


def test_split_destinations_come_from_the_settings_and_the_shipment() -> None:
    shipment = Shipment(shipment_id="1", shipping_method_name="Bring", service_point_id="SP-9")
    found = split_destinations(shipment, ["WH-BERGEN", "WH-OSLO"], {"Bring": ["SP-1"]}, "WH-OSLO")
    assert found == (
        SplitTarget(),
        SplitTarget(warehouse_code="WH-BERGEN"),
        SplitTarget(service_point_id="SP-1"),
        SplitTarget(service_point_id="SP-9"),
    )


def test_a_split_goes_only_to_a_listed_destination() -> None:
    s = packing(L("MUG", MUG, 3), split_warehouses=("WH-BERGEN",))
    s.handle_scan(MUG)
    s.handle_scan("CMD-SPLIT-LINE")
    out = s.handle_scan(MUG)
    assert "TO-<destination> (WH-BERGEN)" in out.message
    typo = s.handle_scan("TO-WH-BERGN")
    assert typo.rejection is not None and typo.rejection.kind is RejectKind.BAD_DESTINATION
    assert "MUG" in typo.message and "known: WH-BERGEN" in typo.message
    assert s.decision("1") == (Decision.SPLIT, SplitTarget())
    ok = s.handle_scan("TO-wh-bergen")
    assert ok.ok and "warehouse WH-BERGEN" in ok.message
    assert s.decision("1") == (Decision.SPLIT, SplitTarget(warehouse_code="WH-BERGEN"))


def test_a_destination_without_a_split_line_is_refused() -> None:
    s = packing(L("MUG", MUG, 3), split_warehouses=("WH-BERGEN",))
    out = s.handle_scan("TO-WH-BERGEN")
    assert out.rejection is not None and "no line is being split" in out.message


def test_the_packers_list_limits_who_signs_in() -> None:
    assert sign_in_refusal("USER-bob", ["anna"]) is not None
    assert sign_in_refusal("USER-Anna", ["anna"]) is None
    assert sign_in_refusal("boss", ["anna"], ["boss"]) is None
    assert sign_in_refusal("bob", []) is None
    s = PackingSession(make_order(L("MUG", MUG, 1)), rules(packers=("anna",)))
    out = s.handle_scan("USER-bob")
    assert out.rejection is not None and out.rejection.kind is RejectKind.NOT_SIGNED_IN
    assert s.packer_id is None
    assert s.handle_scan("USER-anna").ok and s.packer_id == "anna"


def test_commands_of_other_screens_are_refused_with_the_reason() -> None:
    s = packing(L("MUG", MUG, 1))
    for command in ("CMD-NEXT", "CMD-RESUME", "CMD-DISCARD", "CMD-REPRINT"):
        out = s.handle_scan(command)
        assert out.rejection is not None and "does nothing while order ORD-1 is open" in out.message
    out = s.handle_scan("CMD-SIGN-OUT")
    assert out.rejection is not None and "send or abort order ORD-1 first" in out.message
    assert s.handle_scan("CMD-OPEN-LINES").action is Action.TOGGLE_OPEN_LINES
    assert s.packed("1") == Decimal(0)
