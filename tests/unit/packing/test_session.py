"""The packing session: applying scans and keyboard actions, refusals, undo, decisions, submit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from packing_factories import L, make_order, rules, session_for

from packstation.packing.decisions import Decision, SplitTarget
from packstation.packing.events import (
    BoxChosen,
    DecisionSet,
    DimensionsSet,
    ItemPacked,
    PackageOpened,
    PackerSet,
    Undone,
    WeightSet,
    event_to_dict,
)
from packstation.packing.outcome import Action
from packstation.packing.scan import ItemScan, RejectKind
from packstation.packing.session import PackingSession, ReplayError

MUG = "5901234123457"
GS = "\x1d"


def two_lines() -> PackingSession:
    return session_for(L("MUG", MUG, 3, name="Blue mug"), L("PLATE", None, 2, name="Plate"))


def assert_refused(session: PackingSession, outcome_kind: RejectKind, action: object) -> None:
    """`action()` is refused with `outcome_kind` and changes nothing at all."""
    before, events = session.snapshot(), session.events
    outcome = action()  # type: ignore[operator]
    assert not outcome.ok
    assert outcome.rejection.kind is outcome_kind
    assert outcome.events == ()
    assert outcome.message == outcome.rejection.reason
    assert session.snapshot() == before
    assert session.events == events


def test_item_scans_fill_the_open_package_and_count() -> None:
    s = two_lines()
    out = s.handle_scan(MUG)
    assert out.ok and out.events == (ItemPacked("1", Decimal(1), 1),)
    assert out.line_item_id == "1"
    assert out.scan == ItemScan("1", Decimal(1), MUG)
    assert out.message == "Packed 1 × MUG (Blue mug) (package 1): 1 / 3"
    s.handle_scan("plate")
    s.handle_scan(f"0105901234123457{GS}302")
    assert s.line("1").packed == 3 and s.line("1").complete
    assert s.line("2").remaining == 1
    assert s.package(1).contents == (("1", Decimal(3)), ("2", Decimal(1)))
    assert s.totals().summary == "4 / 5 units packed, 1 package"


def test_more_than_the_line_has_left_is_refused() -> None:
    s = two_lines()
    assert_refused(s, RejectKind.TOO_MANY, lambda: s.handle_scan(f"0105901234123457{GS}304"))
    s.pack("1", Decimal(3))
    out = s.handle_scan(MUG)
    assert out.rejection is not None
    assert out.rejection.reason == "Line MUG (Blue mug): all 3 units already packed"
    assert_refused(s, RejectKind.LINE_COMPLETE, lambda: s.handle_scan(MUG))


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("7031000000014", RejectKind.NOT_ON_ORDER),
        ("nonsense", RejectKind.UNKNOWN_BARCODE),
        ("BOX-NOPE", RejectKind.UNKNOWN_BOX),
        ("3303000000", RejectKind.BAD_WEIGHT),
        ("3301009000", RejectKind.BAD_WEIGHT),  # 900.0 kg > 70 kg
        (f"3312000000{GS}3322000030{GS}3332000020", RejectKind.BAD_DIMENSIONS),
        (f"3311000040{GS}3322000030{GS}3332000020", RejectKind.BAD_DIMENSIONS),  # 4 m
        (f"3313000450{GS}3323000300{GS}3333000200{GS}3301009000", RejectKind.BAD_WEIGHT),
        ("CMD-NEW-PACKAGE", RejectKind.EMPTY_PACKAGE),
        ("CMD-UNDO", RejectKind.NOTHING_TO_UNDO),
        ("CMD-SUBMIT", RejectKind.NOT_READY),
        ("USER-", RejectKind.BAD_BADGE),
    ],
)
def test_scans_that_are_refused_change_nothing(raw: str, kind: RejectKind) -> None:
    s = two_lines()
    assert_refused(s, kind, lambda: s.handle_scan(raw))


def test_keyboard_refusals_change_nothing() -> None:
    s = two_lines()
    s.pack("1")
    assert_refused(s, RejectKind.NOT_ON_ORDER, lambda: s.pack("99"))
    assert_refused(s, RejectKind.BAD_COUNT, lambda: s.pack("1", Decimal(0)))
    assert_refused(s, RejectKind.BAD_WEIGHT, lambda: s.set_weight(Decimal(0)))
    assert_refused(s, RejectKind.BAD_WEIGHT, lambda: s.set_weight(Decimal("-1")))
    assert_refused(s, RejectKind.BAD_WEIGHT, lambda: s.set_weight(Decimal("70.001")))
    assert_refused(s, RejectKind.BAD_DIMENSIONS, lambda: s.set_dimensions(0, 10, 10))
    assert_refused(s, RejectKind.BAD_DIMENSIONS, lambda: s.set_dimensions(301, 10, 10))
    assert_refused(s, RejectKind.UNKNOWN_BOX, lambda: s.choose_box("Q"))
    assert_refused(s, RejectKind.BAD_EVENT, lambda: s.set_weight(Decimal(1), package_no=2))
    assert_refused(s, RejectKind.TOO_MANY, lambda: s.unpack("1", Decimal(2)))
    assert_refused(s, RejectKind.TOO_MANY, lambda: s.unpack("2"))
    assert_refused(s, RejectKind.NOT_ON_ORDER, lambda: s.set_decision("99", Decision.CANCEL))


def test_limits_come_from_the_rules() -> None:
    s = PackingSession(
        make_order(L("A", quantity=1)),
        rules(max_weight_kg=Decimal(5), max_dimension_cm=50),
    )
    assert s.set_weight(Decimal(5)).ok
    assert not s.set_weight(Decimal("5.01")).ok
    assert s.set_dimensions(50, 50, 50).ok
    assert not s.choose_box("L").ok  # 60 cm long
    assert s.set_weight(Decimal("70")).rejection is not None


def test_box_weight_and_dimensions_of_the_open_package() -> None:
    s = two_lines()
    s.handle_scan(MUG)
    assert s.handle_scan("BOX-S").events == (BoxChosen(1, "S", 25, 20, 10),)
    assert s.handle_scan("]C13303001250").events == (WeightSet(1, Decimal("1.250")),)
    p = s.package(1)
    assert (p.box, p.dimensions, p.weight_kg, p.volume_litres) == (
        "S",
        (25, 20, 10),
        Decimal("1.25"),
        Decimal(5),
    )
    out = s.handle_scan(f"3312000041{GS}3322000031{GS}3332000021{GS}3302000200")
    assert out.events == (DimensionsSet(1, 41, 31, 21), WeightSet(1, Decimal("2.00")))
    p = s.package(1)
    assert (p.box, p.dimensions, p.weight_kg) == (None, (41, 31, 21), Decimal(2))


def test_new_package_only_after_the_open_one_holds_something() -> None:
    s = two_lines()
    s.handle_scan(MUG)
    assert s.handle_scan("CMD-NEW-PACKAGE").events == (PackageOpened(2),)
    assert s.open_package_no == 2
    s.handle_scan(MUG)
    assert [p.contents for p in s.packages()] == [(("1", Decimal(1)),), (("1", Decimal(1)),)]
    assert [p.is_open for p in s.packages()] == [False, True]
    # Keyboard: weigh an earlier package, pack into it, take out of it.
    assert s.set_weight(Decimal(1), package_no=1).ok
    assert s.pack("2", package_no=1).ok
    assert s.unpack("1", package_no=1).ok
    assert s.package(1).contents == (("2", Decimal(1)),)
    assert s.line("1").packed == 1


def test_undo_reverses_exactly_the_last_change_repeatedly() -> None:
    s = two_lines()
    states = [s.snapshot()]
    for raw in ("USER-9", MUG, "BOX-M", "3303000900", "CMD-NEW-PACKAGE", "plate", MUG):
        assert s.handle_scan(raw).ok
        states.append(s.snapshot())
    s.set_decision("2", Decision.CANCEL)
    states.append(s.snapshot())
    while len(states) > 1:
        states.pop()
        out = s.handle_scan("CMD-UNDO")
        assert out.ok and out.events == (Undone(),)
        assert s.snapshot() == states[-1]
    assert not s.can_undo
    assert not s.handle_scan("CMD-UNDO").ok


def test_cancel_line_command_then_item() -> None:
    s = two_lines()
    s.handle_scan(MUG)
    out = s.handle_scan("CMD-CANCEL-LINE")
    assert out.action is Action.AWAIT_LINE and out.events == ()
    assert s.pending_command is not None
    out = s.handle_scan(MUG)
    assert out.events == (DecisionSet("1", Decision.CANCEL),)
    assert s.pending_command is None
    assert s.line("1").packed == 1  # the item scan did not pack
    assert s.decision("1") == (Decision.CANCEL, None)
    assert "(2) will be cancelled" in out.message


def test_split_line_command_then_item() -> None:
    s = two_lines()
    s.handle_scan("CMD-SPLIT-LINE")
    out = s.handle_scan("PLATE")
    assert out.events == (DecisionSet("2", Decision.SPLIT),)
    assert s.line("2").decision is Decision.SPLIT
    assert s.line("2").split_target == SplitTarget()


def test_line_command_waits_through_a_rejection_and_undo_drops_it() -> None:
    s = two_lines()
    s.handle_scan("CMD-CANCEL-LINE")
    assert not s.handle_scan("nonsense").ok
    assert s.pending_command is not None
    out = s.handle_scan("CMD-UNDO")
    assert out.ok and out.events == () and s.pending_command is None
    s.handle_scan("CMD-CANCEL-LINE")
    # Any other scan is refused with the reason; the command still waits (issue 15 item 7).
    for other in ("BOX-S", "3103000500", "CMD-NEW-PACKAGE"):
        out = s.handle_scan(other)
        assert not out.ok and out.rejection.kind is RejectKind.LINE_COMMAND_WAITING
        assert "CMD-CANCEL-LINE is waiting" in out.message
    assert s.pending_command is not None and s.package(1).box is None
    assert s.package(1).weight_kg is None
    assert s.handle_scan(MUG).events == (DecisionSet("1", Decision.CANCEL),)


def test_cancel_on_a_fully_packed_line_is_refused() -> None:
    s = two_lines()
    s.pack("1", Decimal(3))
    s.handle_scan("CMD-CANCEL-LINE")
    assert_refused(s, RejectKind.NOTHING_LEFT, lambda: s.handle_scan(MUG))


def test_decisions_by_keyboard() -> None:
    s = two_lines()
    target = SplitTarget("WH-BERGEN", None)
    out = s.set_decision("1", Decision.SPLIT, target)
    assert out.events == (DecisionSet("1", Decision.SPLIT, "WH-BERGEN", None),)
    assert "warehouse WH-BERGEN" in out.message
    assert s.line("1").split_target == target
    s.set_decision("1", Decision.SPLIT, SplitTarget(None, "SP-17"))
    assert s.line("1").split_target == SplitTarget(None, "SP-17")
    s.set_decision("1", Decision.KEEP, target)  # a target means nothing for KEEP
    assert s.decision("1") == (Decision.KEEP, None)
    assert s.line("2").decision is Decision.KEEP  # the default


def test_badge_sets_the_packer() -> None:
    s = two_lines()
    assert s.handle_scan("USER-anna").events == (PackerSet("anna"),)
    assert s.packer_id == "anna"


def test_submit_needs_review_then_confirmation() -> None:
    s = two_lines()
    out = s.handle_scan("CMD-SUBMIT")
    assert out.rejection is not None
    assert "Scan your badge" in out.message and "Nothing is packed" in out.message
    s.handle_scan("USER-1")
    s.handle_scan(MUG)
    s.handle_scan("CMD-NEW-PACKAGE")
    problems = s.check_submit()
    assert problems == ["Package 1 has no weight", "Package 2 is empty"]
    s.handle_scan("CMD-UNDO")
    s.set_weight(Decimal(1))
    assert s.check_submit() == []
    first = s.handle_scan("CMD-SUBMIT")
    assert first.action is Action.REVIEW_SUBMIT and s.reviewing
    assert "1 / 5 units packed" in first.message
    second = s.handle_scan("CMD-SUBMIT")
    assert second.action is Action.CONFIRM_SUBMIT and not s.reviewing


def test_a_change_after_review_needs_a_new_review() -> None:
    s = two_lines()
    for raw in ("USER-1", MUG, "3303001000", "CMD-SUBMIT"):
        s.handle_scan(raw)
    assert s.reviewing
    s.handle_scan("plate")
    assert not s.reviewing
    assert s.handle_scan("CMD-SUBMIT").action is Action.REVIEW_SUBMIT


def test_rules_can_drop_weight_and_badge_requirements() -> None:
    s = PackingSession(
        make_order(L("A", quantity=1)), rules(require_weight=False, require_packer=False)
    )
    s.pack("1")
    assert s.check_submit() == []


def test_abort_and_order_id_scans_change_nothing() -> None:
    s = two_lines()
    s.handle_scan(MUG)
    before = s.snapshot()
    assert s.handle_scan("CMD-ABORT").action is Action.ABORT
    assert s.handle_scan("ORD-1").action is Action.ORDER_ID
    assert s.snapshot() == before and len(s.events) == 1


def test_replay_rebuilds_the_same_session_from_dicts() -> None:
    s = two_lines()
    for raw in (
        "USER-2",
        MUG,
        "BOX-M",
        "CMD-NEW-PACKAGE",
        "plate",
        "CMD-UNDO",
        MUG,
        "3303000800",
        "CMD-SPLIT-LINE",
        "plate",
    ):
        s.handle_scan(raw)
    journal = [event_to_dict(e) for e in s.events]
    again = PackingSession.replay(s.order, s.rules, journal)
    assert again.snapshot() == s.snapshot()
    assert again.events == s.events
    # The undo history is rebuilt too.
    assert again.undo().ok and s.undo().ok
    assert again.snapshot() == s.snapshot()


def test_replay_of_a_journal_that_no_longer_fits_fails_clearly() -> None:
    s = two_lines()
    with pytest.raises(ReplayError, match="event 2"):
        PackingSession.replay(
            s.order, s.rules, [ItemPacked("1", Decimal(3), 1), ItemPacked("1", Decimal(1), 1)]
        )


def test_replay_of_an_unreadable_event_fails_clearly() -> None:
    s = two_lines()
    journal = [event_to_dict(ItemPacked("1", Decimal(1), 1)), {"type": "teleported"}]
    with pytest.raises(ReplayError, match="event 2 cannot be read"):
        PackingSession.replay(s.order, s.rules, journal)


def test_a_scan_costs_the_same_lookup_on_a_big_order() -> None:
    specs = [L(f"SKU-{i}", None, 1) for i in range(300)]
    s = session_for(*specs)
    assert s.handle_scan("sku-299").line_item_id == "300"
    assert s.totals().summary == "1 / 300 units packed, 1 package"


def test_undo_names_what_it_undid() -> None:
    s = two_lines()
    s.handle_scan(MUG)
    s.handle_scan("CMD-NEW-PACKAGE")
    s.handle_scan("PLATE")
    s.handle_scan("3103000500")
    assert s.handle_scan("CMD-UNDO").message == "Undone: Package 2: 0.5 kg"
    assert s.handle_scan("CMD-UNDO").message == "Undone: 1 × PLATE from package 2"
    assert s.handle_scan("CMD-UNDO").message == "Undone: Package 2 opened"
    assert s.handle_scan("CMD-UNDO").message == "Undone: 1 × MUG from package 1"
