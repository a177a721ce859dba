"""Scan burst benchmark: 200 scans (13 digits + Enter) in one burst into the pack screen of the
250-line demo order, against the same burst into a bare Textual app that only buffers keys.

Prints both times and the ratio (aim: at most 1.5). Run: .venv/bin/python bench/scan_burst.py
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Static

from packstation.config import Settings
from packstation.omnium.client import OmniumClient
from packstation.sandbox.app import create_app
from packstation.sandbox.auth import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from packstation.tui.app import StationApp
from packstation.tui.screens.pack import PackScreen
from packstation.tui.station import StationServices
from packstation.tui.themes import load_themes

SCANS = 200
SIZE = (150, 48)
ROUNDS = 3


def key_events(codes: list[str]) -> list[events.Key]:
    """The key events a wedge scanner produces for these codes."""
    keys: list[events.Key] = []
    for code in codes:
        keys.extend(events.Key(ch, ch) for ch in code)
        keys.append(events.Key("enter", "\r"))
    return keys


class BareApp(App[None]):
    """Only buffers keys; counts the Enters."""

    def __init__(self) -> None:
        super().__init__()
        self.buffer: list[str] = []
        self.scans: list[str] = []
        self.done = asyncio.Event()

    def compose(self) -> ComposeResult:
        yield Static("bare")

    def on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            self.scans.append("".join(self.buffer))
            self.buffer.clear()
            if len(self.scans) >= SCANS:
                self.done.set()
        elif event.character:
            self.buffer.append(event.character)


async def bare_burst(codes: list[str]) -> float:
    app = BareApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        keys = key_events(codes)
        start = time.perf_counter()
        for key in keys:
            app.post_message(key)
        await app.done.wait()
        elapsed = time.perf_counter() - start
        assert app.scans == codes
    return elapsed


async def station_burst(work: Path) -> tuple[float, int]:
    sandbox = create_app(work / "sandbox", reset=True)
    runtime = sandbox.state.sandbox
    runtime.workflow_config = runtime.workflow_config.without_latency()
    client = OmniumClient(
        "http://sandbox.bench",
        DEMO_CLIENT_ID,
        DEMO_CLIENT_SECRET,
        transport=httpx.ASGITransport(app=sandbox),
    )
    settings = Settings(data_dir=work / "station")
    app = StationApp(
        StationServices(settings=settings, client=client, sandbox=True),
        theme_set=load_themes([]),
    )
    async with app.run_test(size=SIZE) as pilot:
        await asyncio.wait_for(app.started.wait(), 30)
        app.post_scan("ORD-1009")
        await app.wait_for_scans()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PackScreen), type(screen)
        codes = [
            line.ean
            for line in screen.session.lines()
            if line.ean and len(line.ean) == 13
            for _ in range(int(line.packable))
        ][:SCANS]
        keys = key_events(codes)
        before = app.scans_applied
        start = time.perf_counter()
        for key in keys:
            app.post_message(key)
        while app.scans_applied - before < SCANS:  # noqa: ASYNC110
            await asyncio.sleep(0.001)
        await app.wait_for_scans()
        elapsed = time.perf_counter() - start
        packed = int(screen.session.totals().units_packed)
        # Leave the journal clean for the next round.
        await app.in_thread(app.store.journal.discard, screen.session_id)
    await client.aclose()
    runtime.close()
    return elapsed, packed


async def main() -> int:
    codes_for_bare = [f"{7042113000000 + i:013d}" for i in range(SCANS)]
    bare: list[float] = []
    station: list[float] = []
    for round_no in range(ROUNDS):
        bare.append(await bare_burst(codes_for_bare))
        with tempfile.TemporaryDirectory() as tmp:
            elapsed, packed = await station_burst(Path(tmp))
        assert packed == SCANS, f"only {packed} of {SCANS} scans registered"
        station.append(elapsed)
        print(f"round {round_no + 1}: bare {bare[-1]:.3f} s, station {elapsed:.3f} s")
    b, s = statistics.median(bare), statistics.median(station)
    ratio = s / b
    print(f"bare app (buffer keys only): {b:.3f} s for {SCANS} scans")
    print(f"station pack screen (250-line order): {s:.3f} s for {SCANS} scans, all registered")
    print(f"ratio: {ratio:.2f} (aim <= 1.5)")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
