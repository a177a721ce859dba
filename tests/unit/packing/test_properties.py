"""Property tests over random orders and random scan/keyboard sequences (hypothesis)."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from packing_factories import Counter, L, make_order, rules

from packstation.omnium.models import OmniumOrder
from packstation.packing.decisions import Decision, SplitTarget
from packstation.packing.events import Undone, event_from_dict, event_to_dict
from packstation.packing.outcome import Outcome
from packstation.packing.plan import plan_submission
from packstation.packing.session import PackingSession

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# A small pool so that lines share codes and scans hit lines that are full.
EANS = ["5901234123457", "4006381333931", "96385074", "036000291452", None]
CODES = ["MUG", "PLATE", "SPOON", "mug"]


@st.composite
def orders(draw: st.DrawFn) -> OmniumOrder:
    count = draw(st.integers(1, 7))
    specs = []
    for _ in range(count):
        quantity = draw(st.integers(1, 4))
        done = draw(st.integers(0, quantity - 1))
        specs.append(
            L(
                draw(st.sampled_from(CODES)),
                draw(st.sampled_from(EANS)),
                quantity,
                delivered=done,
            )
        )
    return make_order(*specs)


Action = Callable[[PackingSession], Outcome]


@st.composite
def actions(draw: st.DrawFn) -> Action:
    kind = draw(
        st.sampled_from(
            [
                "scan_code",
                "scan_code",
                "scan_code",
                "scan_ean",
                "scan_gs1",
                "pack",
                "unpack",
                "new",
                "undo",
                "weight",
                "dims",
                "box",
                "decision",
                "decision",
                "badge",
                "line_cmd",
                "line_cmd",
                "submit",
            ]
        )
    )
    line = str(draw(st.integers(1, 8)))
    units = Decimal(draw(st.integers(-1, 5)))
    package = draw(st.one_of(st.none(), st.integers(0, 4)))
    if kind == "scan_code":
        raw = draw(st.sampled_from([*CODES, "nothing", " plate "]))
        return lambda s: s.handle_scan(raw)
    if kind == "scan_ean":
        raw = draw(st.sampled_from([e for e in EANS if e] + ["7031000000014"]))
        return lambda s: s.handle_scan(raw)
    if kind == "scan_gs1":
        count = draw(st.integers(0, 4))
        raw = f"]C10105901234123457\x1d30{count}"
        return lambda s: s.handle_scan(raw)
    if kind == "pack":
        return lambda s: s.pack(line, units, package)
    if kind == "unpack":
        return lambda s: s.unpack(line, units, package)
    if kind == "new":
        return lambda s: s.handle_scan("CMD-NEW-PACKAGE")
    if kind == "undo":
        return lambda s: s.handle_scan("CMD-UNDO")
    if kind == "weight":
        kg = Decimal(draw(st.integers(-5, 800))) / 10
        return lambda s: s.set_weight(kg, package)
    if kind == "dims":
        d = draw(st.tuples(st.integers(-1, 320), st.integers(1, 60), st.integers(1, 60)))
        return lambda s: s.set_dimensions(*d, package_no=package)
    if kind == "box":
        name = draw(st.sampled_from(["S", "m", "XL", "ENV", "HUGE"]))
        return lambda s: s.handle_scan(f"BOX-{name}")
    if kind == "decision":
        decision = draw(st.sampled_from(list(Decision)))
        target = draw(st.sampled_from([None, SplitTarget("WH-B"), SplitTarget(None, "SP-1")]))
        return lambda s: s.set_decision(line, decision, target)
    if kind == "badge":
        user = draw(st.sampled_from(["USER-1", "USER-2", "USER-"]))
        return lambda s: s.handle_scan(user)
    if kind == "line_cmd":
        cmd = draw(st.sampled_from(["CMD-CANCEL-LINE", "CMD-SPLIT-LINE"]))
        code = draw(st.sampled_from(CODES))
        return lambda s: _two(s.handle_scan(cmd), s.handle_scan(code))
    return lambda s: s.handle_scan("CMD-SUBMIT")


def _two(first: Outcome, second: Outcome) -> Outcome:
    assert first.events == ()
    return second


def check_invariants(s: PackingSession) -> None:
    per_line: dict[str, Decimal] = {}
    for view in s.packages():
        for lid, units in view.contents:
            assert units > 0
            per_line[lid] = per_line.get(lid, Decimal(0)) + units
    for lv in s.lines():
        assert Decimal(0) <= lv.packed <= lv.packable  # never over-packs
        assert per_line.get(lv.line_item_id, Decimal(0)) == lv.packed
        assert lv.remaining == lv.packable - lv.packed
    for view in s.packages():
        if view.weight_kg is not None:
            assert Decimal(0) < view.weight_kg <= s.rules.max_weight_kg
        if view.dimensions is not None:
            assert all(0 < d <= s.rules.max_dimension_cm for d in view.dimensions)
    assert s.packages()[-1].is_open


@SETTINGS
@given(order=orders(), steps=st.lists(actions(), max_size=40))
def test_random_sequences_keep_every_invariant(order: OmniumOrder, steps: list[Action]) -> None:
    s = PackingSession(order, rules())
    history = [s.snapshot()]  # the state before each change not yet undone
    for step in steps:
        before, log = s.snapshot(), s.events
        outcome = step(s)
        if not outcome.ok or not outcome.events:
            assert s.snapshot() == before and s.events == log  # refusals change nothing
        elif outcome.events == (Undone(),):
            assert s.snapshot() == history.pop()  # undo restores the previous state
        else:
            # Undo right away restores the state exactly; then redo to go on.
            for _ in outcome.events:
                assert s.undo().ok
            assert s.snapshot() == before
            for event in outcome.events:
                assert s.apply(event).ok
            history.extend([before] * len(outcome.events))
        check_invariants(s)
    # Replaying the journal (through JSON) rebuilds an equal session.
    journal = json.loads(json.dumps([event_to_dict(e) for e in s.events]))
    again = PackingSession.replay(order, rules(), [event_from_dict(d) for d in journal])
    assert again.snapshot() == s.snapshot()
    assert again.events == s.events


@SETTINGS
@given(order=orders(), steps=st.lists(actions(), max_size=40))
def test_plans_state_exactly_what_the_session_shows(
    order: OmniumOrder, steps: list[Action]
) -> None:
    s = PackingSession(order, rules())
    for step in steps:
        step(s)
    s.set_packer("anna")
    if not s.packages()[-1].contents:
        # Fill the open package if anything is left, so most examples reach a plan.
        left = [lv.line_item_id for lv in s.lines() if lv.remaining > 0]
        if left:
            s.pack(left[0])
    for view in s.packages():
        if view.weight_kg is None:
            s.set_weight(Decimal(2), view.package_no)
    if s.check_submit():
        event("not ready")
        return  # e.g. nothing packed or an empty open package: nothing to plan
    plan = plan_submission(s, sscc=Counter())
    event(f"planned, {len(plan.requests)} request(s)")
    existing = plan.delivery_shipment_id == s.shipment.shipment_id
    delivered: dict[str, Decimal] = {}
    cancelled: dict[str, Decimal] = {}
    split: dict[str, Decimal] = {}
    refs: dict[str, Decimal] = {}
    for patch in plan.requests:
        assert patch.user_id == "anna"
        for u in patch.line_item_updates:
            assert u.delivered_quantity is None or u.split_quantity is None
            if u.split_quantity is not None:
                split[u.line_item_id] = u.split_quantity
            if u.delivered_quantity is not None:
                delivered[u.line_item_id] = u.delivered_quantity
            if u.canceled_quantity is not None:
                cancelled[u.line_item_id] = u.canceled_quantity
    for package, contents in zip(plan.packages, plan.contents, strict=True):
        # References name exactly the lines whose units the package holds.
        assert [r.line_item_id for r in package.line_item_references or []] == [
            lid for lid, _ in contents
        ]
        for lid, units in contents:
            refs[lid] = refs.get(lid, Decimal(0)) + units
    kept = False
    for lv in s.lines():
        lid = lv.line_item_id
        before = s.index.lines[lid].delivered_quantity if existing else Decimal(0)
        # package references per line sum to the delivered quantity (what this session packed)
        assert refs.get(lid, Decimal(0)) == lv.packed
        assert delivered.get(lid, before) - before == lv.packed
        rest_cancelled = lv.remaining if lv.decision is Decision.CANCEL else Decimal(0)
        rest_split = lv.remaining if lv.decision is Decision.SPLIT else Decimal(0)
        assert cancelled.get(lid, Decimal(0)) == rest_cancelled
        assert split.get(lid, Decimal(0)) == rest_split
        kept = kept or (lv.remaining > 0 and lv.decision is Decision.KEEP)
    assert existing is not kept
    assert plan.requests[-1].status == "PackedAndReady"


SCAN_ALPHABET = st.sampled_from(list("0123456789]CdQEe()-USERBOXCMD \x1d\r\nx"))


@SETTINGS
@given(
    raw=st.one_of(
        st.text(SCAN_ALPHABET, max_size=40),
        st.text(max_size=40),
        st.builds(
            lambda a, b: a + "\x1d" + b,
            st.text("0123456789", max_size=20),
            st.text("0123456789", max_size=20),
        ),
    )
)
def test_any_scan_text_is_interpreted_or_refused_never_raises(raw: str) -> None:
    s = PackingSession(make_order(L("MUG", "5901234123457", 3), L("PLATE", None, 2)), rules())
    before = s.snapshot()
    outcome = s.handle_scan(raw)
    if not outcome.ok:
        assert s.snapshot() == before and outcome.message
    check_invariants(s)


@SETTINGS
@given(
    order=orders(),
    before=st.lists(actions(), max_size=20),
    lost=st.lists(actions(), min_size=1, max_size=10),
    after=st.lists(actions(), max_size=20),
)
def test_rollback_returns_exactly_to_the_checkpoint(
    order: OmniumOrder,
    before: list[Action],
    lost: list[Action],
    after: list[Action],
) -> None:
    # Changes the journal could not record are rolled back: the session must then behave
    # exactly like a twin that never saw them (state, history, undo, pending line command).
    s, twin = PackingSession(order, rules()), PackingSession(order, rules())
    for step in before:
        step(s)
        step(twin)
    mark = s.checkpoint()
    for step in lost:
        step(s)
    s.rollback(mark)
    assert s.snapshot() == twin.snapshot() and s.events == twin.events
    assert (s.pending_command, s.reviewing, s.can_undo) == (
        twin.pending_command,
        twin.reviewing,
        twin.can_undo,
    )
    for step in [*after, *[lambda x: x.undo()] * 25]:
        assert step(s) == step(twin)
        assert s.snapshot() == twin.snapshot()
        check_invariants(s)
    assert s.events == twin.events
