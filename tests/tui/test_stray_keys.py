"""A stray key inside a scanner burst: every scan applies to the order it was typed for.

The keys go through Textual's own terminal parser, as the bytes a terminal sends, because the
parser is where a stray key harms a burst: an Escape followed by scanner data becomes `^` (or
alt+letter, or F3 when the data starts `OR`), so `CMD-SUBMIT` arrived as `^CMD-SUBMIT` and the
next order's weight went onto the open one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import cache
from typing import Any

import pytest
from fastapi import FastAPI
from textual._ansi_sequences import ANSI_SEQUENCES_KEYS
from textual._xterm_parser import XTermParser
from textual.command import CommandPalette
from textual.events import Key
from textual.pilot import Pilot
from tui_support import SIZE, burst, scans, settle, started

from packstation.packing.rules import PackingRules
from packstation.packing.scan import Rejected
from packstation.packing.session import PackingSession
from packstation.packing.symbology import scan_body
from packstation.sandbox.demo_data import demo_orders
from packstation.tui.app import StationApp
from packstation.tui.scanner import KeyOutcome, ScanCapture
from packstation.tui.screens.pack import PackScreen
from packstation.tui.stray import STRAY_KINDS

ITEM_A, WEIGHT_A = "7042113000037", "3302000250"  # ORD-1001: one unit; 2.5 kg
ITEM_B, WEIGHT_B = "7042113000051", "3302000050"  # ORD-1002: three units; 0.5 kg
KG_A, KG_B = Decimal("2.5"), Decimal("0.5")

CONTROL_BYTES = [chr(c) for c in [*range(0x00, 0x0D), *range(0x0E, 0x20), 0x7F]]
"""Every control character (CR ends a scan: that is not a stray key)."""
SEQUENCES = sorted({s for s in ANSI_SEQUENCES_KEYS if s.startswith("\x1b")} - {"\x1b"})
"""Every escape sequence Textual knows as a key (arrows, F-keys, with modifiers…)."""
QUITS = {"\x11"}  # ctrl+q: asks before quitting (submits pending); tested on its own


def terminal_keys(data: str) -> list[Key]:
    """The key events Textual's terminal parser makes of these bytes (read in one go)."""
    parser = XTermParser()
    events = list(parser.feed(data))
    if parser._timeout_time is not None:
        # An escape sequence is still open: the driver's tick after ESCDELAY with no more input.
        parser._timeout_time = 0.0
        events += list(parser.tick())
    return [event for event in events if isinstance(event, Key)]


def types_a_character(data: str) -> bool:
    """True for keys that type a character (keypad digits, option+key): text, not stray keys."""
    return any(k.character and k.character.isprintable() for k in terminal_keys(data))


STRAY_KEYS = [k for k in [*CONTROL_BYTES, *SEQUENCES, "\x1b\x1b"] if not types_a_character(k)]
"""Every key that types no character: 336 byte sequences, 308 once keypad digits and
option+key characters (typed text, which the fuzz test covers) are left out."""


def burst_scans(order_a: str, order_b: str) -> list[str]:
    """What the scanner types: order A then order B, each sent with CMD-SUBMIT twice."""
    return [
        *("USER-anna", order_a, ITEM_A, WEIGHT_A, "CMD-SUBMIT", "CMD-SUBMIT"),
        *(order_b, ITEM_B, ITEM_B, ITEM_B, WEIGHT_B, "CMD-SUBMIT", "CMD-SUBMIT"),
    ]


def burst_bytes(order_a: str, order_b: str, stray: str, gap: int = 4) -> str:
    """The burst with the stray key before scan number `gap` (by default between A's weight
    and A's first CMD-SUBMIT, as reported)."""
    typed = burst_scans(order_a, order_b)
    return scans(*typed[:gap]) + stray + scans(*typed[gap:])


def copies(sandbox_app: FastAPI, count: int, prefix: str = "") -> Iterator[tuple[str, str]]:
    """`count` fresh (A, B) order pairs: copies of ORD-1001 and ORD-1002 under new ids."""
    runtime = sandbox_app.state.sandbox
    first, second = (o for o in demo_orders() if o.id in {"ORD-1001", "ORD-1002"})
    fresh = []
    for n in range(count):
        fresh.append(first.model_copy(update={"id": f"{prefix}A-{n}"}))
        fresh.append(second.model_copy(update={"id": f"{prefix}B-{n}"}))
    assert runtime.add_orders(fresh) == []
    return ((f"{prefix}A-{n}", f"{prefix}B-{n}") for n in range(count))


def planned_weights(app: StationApp) -> dict[str, list[Decimal]]:
    """Each order in the outbox: the weights of the packages it would send."""
    weights: dict[str, list[Decimal]] = {}
    for record in app.store.outbox.list():
        for request in record.requests:
            info = request.patch.shipment_info
            for package in (info.packages or []) if info is not None else []:
                weights.setdefault(record.order_id, []).append(Decimal(str(package.weight_in_kg)))
    return weights


TYPED = burst_scans("A-0", "B-0")


def scans_made(keys: list[Key]) -> list[str]:
    """The scans the station's capture makes of these keys (no field focused)."""
    capture = ScanCapture()
    made = []
    for key in keys:
        if capture.feed(key.key, key.character) is KeyOutcome.SCAN:
            assert capture.completed is not None
            made.append(capture.completed.text)
    return made


@cache
def both_orders() -> list[PackingSession]:
    """Packing sessions of ORD-1001 and ORD-1002 (A and B of the burst)."""
    rules = PackingRules(warehouse="WH-OSLO")
    return [PackingSession(order, rules) for order in demo_orders()[:2]]


@cache
def refused_everywhere(text: str) -> bool:
    """True when both orders refuse this scan in a way that starts the hold, and it names
    neither order (with no order open it would be looked up as an order id)."""
    held = all(
        isinstance(result := session.interpret(text), Rejected) and result.kind in STRAY_KINDS
        for session in both_orders()
    )
    return held and scan_body(text) not in {"A-0", "B-0"}


def test_a_stray_key_never_turns_a_scan_into_another_one() -> None:
    # Every key, before every scan of the burst: the scan after it arrives as typed, or as
    # something both orders refuse so that the hold starts (see tui.stray).
    for stray in STRAY_KEYS:
        for gap in range(len(TYPED)):
            made = scans_made(terminal_keys(scans(*TYPED[:gap]) + stray + scans(*TYPED[gap:])))
            assert len(made) == len(TYPED), (stray, gap, made)
            for typed, arrived in zip(TYPED, made, strict=True):
                same = scan_body(arrived) == scan_body(typed)
                assert same or refused_everywhere(arrived), (stray, gap, arrived)


REPRESENTATIVE = [
    "\x1b",  # Escape: `CMD-SUBMIT` after it arrives as `^CMD-SUBMIT` (the reported case)
    "\x1b\x1b",  # Escape twice
    "\x1b[D",  # Left (CSI)
    "\x1bOD",  # Left (SS3, application cursor mode)
    "\x1b[1;5C",  # ctrl+right
    "\x1bOR",  # F3: opens the package dialog mid-burst
    "\x1bOQ",  # F2: new package (A cannot be sent with an empty package)
    "\x1bOS",  # F4: undo (A's weight undone: A cannot be sent)
    "\x1b[15~",  # F5
    "\x1b[17~",  # F6: review, posted between the scans
    "\x1b[19~",  # F8: abort asked; the next scan keeps the order
    "\t",  # Tab: focus moves
    "\x7f",  # Backspace on an empty buffer
    "\x10",  # ctrl+p: the command palette opens in the middle of the burst
    "\x1d",  # GS alone
    "\n",  # a bare line feed (an empty Enter)
    "\x00",  # NUL
]


async def abandon_what_is_open(app: StationApp, pilot: Pilot[Any]) -> None:
    """Whatever a round left open is abandoned: the next round starts afresh."""
    for screen in app.screen_stack:
        if isinstance(screen, PackScreen):
            await screen.abandon()
    await app.back_to_orders()
    await settle(pilot, app)


@pytest.mark.parametrize("strays", [REPRESENTATIVE[i::2] for i in range(2)])
async def test_no_stray_key_mixes_two_orders(
    station: Callable[..., StationApp], sandbox_app: FastAPI, strays: list[str]
) -> None:
    app = station()
    app.send_submit = lambda tracker: None  # type: ignore[method-assign]  # the outbox is what counts
    lost: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        for stray, (order_a, order_b) in zip(strays, copies(sandbox_app, len(strays)), strict=True):
            for event in terminal_keys(burst_bytes(order_a, order_b, stray)):
                app.post_message(event)
            if isinstance(app.screen, CommandPalette):
                await pilot.press("escape")  # ctrl+p opened it: the scans wait for it to close
            await settle(pilot, app)
            weights = planned_weights(app)
            # Nothing of B on A, nothing of A on B: each order carries its own weight or nothing.
            assert set(weights.get(order_a, [KG_A])) == {KG_A}, repr(stray)
            assert set(weights.get(order_b, [KG_B])) == {KG_B}, repr(stray)
            if order_b not in weights:
                lost.append(repr(stray))
            await abandon_what_is_open(app, pilot)
    # Only the keys that mangle the next scan (Escape) or take the next order id as a palette
    # query (ctrl+p) leave order B unsent, and then nothing of it reached A: the hold.
    assert set(lost) <= {repr(k) for k in ("\x1b", "\x1b\x1b", "\x10")}


GAPS = range(len(TYPED))


@pytest.mark.parametrize("gaps", [GAPS[i::2] for i in range(2)])
async def test_an_escape_before_any_scan_never_mixes_two_orders(
    station: Callable[..., StationApp], sandbox_app: FastAPI, gaps: range
) -> None:
    # An Escape mangles the scan after it (Textual 8.2.8): `^CMD-SUBMIT`, `£302000250` for
    # A's weight, `¶042…` for an item, F3 + `D-…` for an order id (so the ids start with
    # `ORD-` here). Without the hold (tui.stray), an Escape before A's weight put B's weight on
    # A and sent A with it.
    app = station()
    app.send_submit = lambda tracker: None  # type: ignore[method-assign]  # the outbox is what counts
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        pairs = copies(sandbox_app, len(gaps), prefix="ORD-")
        for gap, (order_a, order_b) in zip(gaps, pairs, strict=True):
            for event in terminal_keys(burst_bytes(order_a, order_b, "\x1b", gap)):
                app.post_message(event)
            await settle(pilot, app)
            weights = planned_weights(app)
            assert set(weights.get(order_a, [KG_A])) == {KG_A}, gap
            assert set(weights.get(order_b, [KG_B])) == {KG_B}, gap
            await abandon_what_is_open(app, pilot)


async def test_a_released_hold_says_what_still_waits_for_its_item(
    station: Callable[..., StationApp],
) -> None:
    # The release's banner replaced the amber one of CMD-SPLIT-LINE: the packer no longer saw
    # that the next item scanned would split its line off.
    app = station()
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        burst(app, scans("USER-anna", "ORD-1003", "CMD-SPLIT-LINE", "XYZ-1", "ORD-1003"))
        await settle(pilot, app)
        pack = app.screen
        assert isinstance(pack, PackScreen) and pack.session.pending_command is not None
        text, kind = pack.last_banner
        assert "Back on order ORD-1003" in text and kind == "wait"
        assert "CMD-SPLIT-LINE still waits for an item of its line (CMD-UNDO drops it)" in text
        burst(app, scans("CMD-UNDO"))
        await settle(pilot, app)
        assert pack.session.pending_command is None
