"""SIGKILL the real app (`packstation` in tmux) at random points of a scan sequence; the
resumed session is the one before the kill.

Each round: a fresh station data dir, the app in tmux pointed at a `packstation sandbox`
process. The first j scans are typed one by one, each waited for on the screen (acknowledged);
the rest go as one burst and the app's pid gets SIGKILL a random 0-300 ms later. The journal
must then hold the events of a prefix m >= j of the scans (nothing acknowledged lost, nothing
invented), and the session replayed from it must equal a pure PackingSession fed those m scans,
including the open package and the undo history. Then the app is started again on the same
data dir: it offers the session, F2 brings it back on screen as replayed, and CMD-UNDO in the
live app undoes the last change before the kill.
"""

from __future__ import annotations

import itertools
import os
import random
import re
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from e2e_support import Terminal, alive, running_sandbox, station_env, wait_until

from packstation.config import load_settings
from packstation.omnium.models import OmniumOrder
from packstation.packing.events import event_to_dict
from packstation.packing.rules import PackingRules
from packstation.packing.session import PackingSession
from packstation.sandbox.demo_data import demo_orders
from packstation.station.store import StationStore

ORDER_ID = "ORD-1003"
EAN1 = "7042113000020"  # line 1 (NH-1002), 2 units
EAN2 = "084213000064"  # UPC-A, line 2 (NH-1006)
EAN3 = "084213000149"  # UPC-A, line 3 (NH-1014)
SCANS = [
    "USER-anna",
    ORDER_ID,
    EAN1,
    "BOX-S",
    EAN1,
    "CMD-UNDO",
    EAN1,
    "3103001000",  # GS1 310n net weight: 1.000 kg
    "CMD-NEW-PACKAGE",
    EAN2,
    "CMD-UNDO",
    EAN2,
    EAN3,
    "BOX-M",
]
ORDER_SCAN = SCANS.index(ORDER_ID)
PACKER = SCANS[0].removeprefix("USER-")
KILL_WINDOWS = {1: (0.0, 0.02), 2: (0.02, 0.06), 3: (0.06, 0.3)}
"""Seconds between typing the burst and SIGKILL, per round. The app applies the whole burst
in about 50 ms here, so one kill lands at its start, one inside it, one late or after it."""

SUMMARY = re.compile(r"\d+ / \d+ units? packed, \d+ packages?")
TABLE_ROW = re.compile(r"^(NH-\d+)\s.*?\s(\d+) / (\d+)\s")
PANEL_EDGE = "▊"  # the packages panel's left border; the banner's border sits in column 0


def qty(value: Decimal) -> str:
    """A quantity as the screen writes it (2, not 2.000)."""
    return f"{value.normalize():f}"


@dataclass(frozen=True)
class PackView:
    """What the pack screen shows of a session: summary, packed per line, packages panel."""

    summary: str
    packed: tuple[tuple[str, str, str], ...]
    packages: tuple[str, ...]


def view_of(session: PackingSession) -> PackView:
    """The PackView a session should produce (written independently of the app's renderer)."""
    names = {line.line_item_id: line.code or line.line_item_id for line in session.lines()}
    panel: list[str] = []
    for package in session.packages():
        panel.append(f"Package {package.package_no}" + ("  OPEN" if package.is_open else ""))
        parts = []
        if package.box:
            parts.append(f"box {package.box}")
        if package.dimensions:
            parts.append("{}×{}×{} cm".format(*package.dimensions))
        if not parts:
            parts.append("no box / dimensions")
        weight = package.weight_kg
        parts.append(f"{qty(weight)} kg" if weight is not None else "no weight")
        panel.append("  ".join(parts))
        if not package.contents:
            panel.append("(empty)")
        panel += [f"{qty(units)} × {names[line_id]}" for line_id, units in package.contents]
    packed = tuple(
        (line.code or "", qty(line.packed), qty(line.packable)) for line in session.lines()
    )
    return PackView(session.totals().summary, packed, tuple(panel))


def read_view(screen: str) -> PackView | None:
    """The PackView on a captured pack screen (None when no pack screen is showing)."""
    found = SUMMARY.search(screen)
    if found is None:
        return None
    packed: list[tuple[str, str, str]] = []
    panel: list[str] = []
    for row in screen.splitlines():
        edge = row.rfind(PANEL_EDGE)
        left = row[:edge] if edge > 0 else row
        match = TABLE_ROW.match(left)
        if match:
            packed.append((match[1], match[2], match[3]))
        part = row[edge + 1 :].strip()
        # The scan banner's right edge (▎) is not the packages panel.
        if edge > 0 and part and not part.endswith("▎"):
            panel.append(part)
    return PackView(found[0], tuple(packed), tuple(panel))


def the_order() -> OmniumOrder:
    """ORD-1003 as the sandbox serves it."""
    return next(order for order in demo_orders() if order.id == ORDER_ID)


def expected_session(order: OmniumOrder, rules: PackingRules, count: int) -> PackingSession:
    """A pure session fed the first `count` scans the way the app applies them."""
    assert count > ORDER_SCAN
    session = PackingSession(order, rules)
    # Like flow.start_session: the badge scanned before the order becomes its first event.
    assert len(session.set_packer(PACKER).events) == 1
    for raw in SCANS[ORDER_SCAN + 1 : count]:
        outcome = session.handle_scan(raw)
        assert len(outcome.events) == 1, f"{raw}: {outcome.message}"  # one event per scan
    return session


def assert_same_history(resumed: PackingSession, expected: PackingSession) -> None:
    """Equal now, and after each undo, down to the bottom of the undo history."""
    steps = 0
    while True:
        assert resumed.snapshot() == expected.snapshot(), f"differs after {steps} undos"
        assert resumed.can_undo == expected.can_undo, f"undo history differs after {steps}"
        if not expected.can_undo:
            return
        assert resumed.undo().ok and expected.undo().ok
        steps += 1


def wait_for_view(term: Terminal, want: PackView, what: str) -> None:
    """Until the pack screen shows exactly `want`."""
    seen: list[PackView | None] = [None]

    def shows() -> bool:
        seen[0] = read_view(term.screen())
        return seen[0] == want

    try:
        wait_until(shows, 30, what)
    except AssertionError as err:
        raise AssertionError(f"{err}\nwanted {want}\nshown  {seen[0]}") from None


def app_process_gone(pid: int) -> bool:
    """True once the killed app is dead: reaped, or a zombie its parent (tmux) has yet to reap.

    A zombie has released its files and memory, so it can write nothing more.
    """
    return not alive(pid)


@pytest.fixture(scope="module")
def sandbox_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One sandbox process for the rounds: nothing is submitted, so ORD-1003 stays as it is."""
    with running_sandbox(tmp_path_factory.mktemp("crash-sandbox")) as url:
        yield url


def test_scan_sequence_renders_distinctly() -> None:
    """The ack waits rely on every scan changing what the pack screen shows."""
    order = the_order()
    rules = PackingRules(warehouse="WH-OSLO")
    views = [
        view_of(expected_session(order, rules, n)) for n in range(ORDER_SCAN + 1, 1 + len(SCANS))
    ]
    for before, after in itertools.pairwise(views):
        assert before != after


@pytest.mark.parametrize("round_no", sorted(KILL_WINDOWS))
def test_sigkill_during_scans_then_resume_in_the_real_app(
    tmp_path: Path, sandbox_url: str, round_no: int
) -> None:
    rng = random.Random(f"crash-resume-{round_no}")
    acked = rng.randint(ORDER_SCAN + 2, len(SCANS) - 2)  # at least one item; a burst of 2+
    delay = rng.uniform(*KILL_WINDOWS[round_no])
    data_dir = tmp_path / "station"
    env = station_env(tmp_path, sandbox_url, data_dir)
    rules = PackingRules.from_settings(load_settings(env=env))
    order = the_order()

    # --- the run that gets killed ---------------------------------------------------------
    term = Terminal.start(env)
    try:
        term.wait_for("SCAN AN ORDER")
        pid = term.pid
        assert "packstation" in Path(f"/proc/{pid}/cmdline").read_text()  # the app itself
        for count in range(1, acked + 1):
            term.scan(SCANS[count - 1])
            if count <= ORDER_SCAN:
                term.wait_for(f"Packer: {PACKER}")
            else:
                want = view_of(expected_session(order, rules, count))
                wait_for_view(term, want, f"scan {count} ({SCANS[count - 1]}) on screen")
        term.scan_burst(SCANS[acked:])
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
        wait_until(lambda: app_process_gone(pid), 30, "the killed app to go")
    finally:
        term.close()

    # --- what the journal kept ------------------------------------------------------------
    with StationStore.open(data_dir, set_aside=False) as store:
        unfinished = store.journal.unfinished_session()
    assert unfinished is not None, "the session was lost"
    assert unfinished.order.id == ORDER_ID
    assert unfinished.packer == PACKER
    journalled = unfinished.events
    resumed = PackingSession.replay(
        unfinished.order, rules, journalled, shipment_id=unfinished.shipment_id
    )
    prefixes = {
        count: expected_session(unfinished.order, rules, count)
        for count in range(acked, len(SCANS) + 1)
    }
    matches = [
        count
        for count, session in prefixes.items()
        if [event_to_dict(e) for e in session.events] == journalled
    ]
    assert matches, (
        f"journal ({len(journalled)} events) is no prefix of >= {acked} scans: {journalled}"
    )
    scanned = matches[0]
    expected = prefixes[scanned]
    assert resumed.events == expected.events
    assert resumed.lines() == expected.lines()
    assert resumed.packages() == expected.packages()
    assert resumed.open_package_no == expected.open_package_no
    resumed_view = view_of(resumed)
    undone = PackingSession.replay(
        unfinished.order, rules, journalled, shipment_id=unfinished.shipment_id
    )
    assert undone.undo().ok  # at least one item scan was acknowledged
    undone_view = view_of(undone)
    assert_same_history(resumed, expected)

    # --- the real app brings it back ------------------------------------------------------
    term = Terminal.start(env)
    try:
        screen = term.wait_for("UNFINISHED ORDER")
        flat = " ".join(screen.replace("█", " ").split())
        assert f"Order {ORDER_ID}, shipment {unfinished.shipment_id}, packer {PACKER}" in flat
        assert f"{len(journalled)} changes recorded" in flat
        term.send("F2")
        wait_for_view(term, resumed_view, "the resumed session on screen")
        assert f"Packer: {PACKER}" in term.screen()
        term.scan("CMD-UNDO")
        wait_for_view(term, undone_view, "the undo of the last change before the kill")
        term.wait_for("Undone")
        with StationStore.open(data_dir, set_aside=False) as store:
            after = store.journal.unfinished_session()
        assert after is not None
        assert after.events == [*journalled, {"type": "undone"}]
    finally:
        term.close()
    print(
        f"round {round_no}: {acked} scans acknowledged, kill after {delay * 1000:.0f} ms, "
        f"journal held {scanned} scans ({len(journalled)} events)"
    )
