"""Random key streams into every screen (hypothesis, bounded): no crash, and no order but the
open one changes. Streams mix printable text, control keys and escape-sequence keys, markup,
huge numbers, command barcodes and other orders' barcodes; F-keys in them open the package
dialog, the review, the command palette, the supervisor desk question and so on."""

from __future__ import annotations

import asyncio
import itertools
import tempfile
from pathlib import Path

from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual import events
from tui_support import SIZE, key_event, make_app, open_order, scans

from packstation.omnium.client import OmniumClient
from packstation.sandbox.demo_data import demo_orders

OPEN = "ORD-1003"
COPIES = itertools.count(1)
NAMED_KEYS = [
    "escape", "tab", "shift+tab", "up", "down", "left", "right", "home", "end", "pageup",
    "pagedown", "backspace", "delete", "insert", "enter", "ctrl+j", "ctrl+m", "ctrl+h",
    "ctrl+i", "ctrl+p", "ctrl+c", "ctrl+a", "ctrl+e", "ctrl+k", "ctrl+u", "ctrl+w", "ctrl+z",
    "ctrl+right_square_bracket", "alt+shift+c", "ctrl+left", "ctrl+right", "shift+up",
    *[f"f{n}" for n in range(1, 13)],
]  # fmt: skip
"""Keys that type no character (ctrl+q quits: tested on its own)."""
TOKENS = [
    "[/]", "[bold]", "[@click=app.quit]", "[link=https://x.io]x[/link]", "1e1000000",
    "1e5000", "9" * 1500, "CMD-SUBMIT", "CMD-ABORT", "CMD-UNDO", "CMD-NEW-PACKAGE",
    "CMD-CANCEL-LINE", "BOX-M", "USER-fuzz", "3103000500", "3302000050", "7042113000020",
    "084213000064", "ORD-1002", "ORD-1001", "7042113000037", "]C0CMD-SUBMIT", "\x1d", "\r",
]  # fmt: skip
"""Whole pieces a scanner (or a hostile hand) types: each followed by Enter when drawn."""

key = st.one_of(
    st.sampled_from(NAMED_KEYS).map(lambda name: events.Key(name, None)),
    st.characters(codec="utf-8", exclude_categories=("Cs",)).map(key_event),
    st.sampled_from(TOKENS).map(lambda text: [key_event(c) for c in scans(text)]),
)


def flat(stream: list[events.Key | list[events.Key]]) -> list[events.Key]:
    """The keys in the order they are typed."""
    out: list[events.Key] = []
    for item in stream:
        out.extend(item if isinstance(item, list) else [item])
    return out


def fresh_order(sandbox_app: FastAPI) -> str:
    """A new copy of ORD-1003 (four lines) under a new id: each example packs its own."""
    runtime = sandbox_app.state.sandbox
    # The sandbox releases its queued demo order (ORD-1014) 15 s after it starts: released
    # now, a slow run cannot count the sandbox's own change against the keys (it did, once).
    runtime.store.release_due(float("inf"))
    source = next(o for o in demo_orders() if o.id == OPEN)
    order_id = f"FZ-{next(COPIES)}"
    assert runtime.add_orders([source.model_copy(update={"id": order_id})]) == []
    return order_id


def orders_json(sandbox_app: FastAPI) -> dict[str, str | None]:
    """Every order in the sandbox, as stored."""
    store = sandbox_app.state.sandbox.store
    return {order_id: store.get_order_json(order_id) for order_id in store.order_ids()}


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(stream=st.lists(key, min_size=1, max_size=40))
async def test_random_keys_change_nothing_but_the_open_order(
    omnium_client: OmniumClient,
    sandbox_app: FastAPI,
    stream: list[events.Key | list[events.Key]],
) -> None:
    order_id = fresh_order(sandbox_app)
    before = orders_json(sandbox_app)
    app = make_app(omnium_client, Path(tempfile.mkdtemp(prefix="fuzz-")), supervisors=["fuzz"])
    async with app.run_test(size=SIZE) as pilot:
        await open_order(app, pilot, order_id, packer="anna")
        for event in flat(stream):
            app.post_message(event)
        # Bounded: a dialog the keys opened may hold scans; what matters is what got through.
        for _ in range(40):
            await pilot.pause(0.05)
            if app.idle:
                break
        await asyncio.sleep(0)
        assert app.is_running and app._exception is None, app._exception
        for record in app.store.outbox.list():
            assert record.order_id == order_id
    after = orders_json(sandbox_app)
    changed = {order_id for order_id in after if after[order_id] != before.get(order_id)}
    assert changed <= {order_id}
