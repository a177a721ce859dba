"""Memory over a shift: the station app (headless, as `run_test` drives it) packs and submits
one small order after another by scanner bursts, going back to the order screen after each;
optionally first one large order.

The sandbox runs as `packstation sandbox` in its own process (step latency 0), so only the
station's memory is measured: resident memory (VmRSS) after a garbage collection, after order
10, 50 and the last. With --large N, before the shift an N-line order is opened, packed (the
session takes the scans directly: typing 5,000 scans would take minutes and measures scanning,
not memory), weighed and submitted by scans, and memory is read before opening it (after one
small order: what a station's first order loads for good is not the large order's), back on
the order screen after it was sent, and once the submit's work after the answer (following
the booking, carrier labels) ended.

Aims (issue 16 item 3, issue 12 item 10): after the last order within 10 % of after order 50
and of after order 10; after the large order within 1.5x of before opening it.
Run: .venv/bin/python bench/shift_memory.py [--orders 500] [--large 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import gc
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from bench_support import CLIENT_ID, SECRET, rss_mb, start_server, token, verdict, write_config
from large_order import big_order
from textual import events

from packstation.config import Settings
from packstation.omnium.client import OmniumClient
from packstation.tui.app import StationApp
from packstation.tui.screens.order import OrderScreen
from packstation.tui.screens.pack import PackScreen
from packstation.tui.screens.workflow import WorkflowScreen
from packstation.tui.station import StationServices
from packstation.tui.themes import load_themes

SMALL_TEMPLATE = "ORD-1003"
LARGE_TEMPLATE = "ORD-1009"
SIZE = (150, 48)
WARM_UP = "WARM-0001"
"""The small order packed before a large one (--large)."""


def key_events(text: str) -> list[events.Key]:
    """The keys a wedge scanner types for `text` (Enter after each code)."""
    keys = []
    for char in text:
        if char == "\r":
            keys.append(events.Key("enter", "\r"))
        elif char.isalnum():
            keys.append(events.Key(char, char))
        else:
            keys.append(events.Key({"-": "minus", ".": "full_stop"}.get(char, char), char))
    return keys


async def until(pilot: Any, predicate: Any, seconds: float = 600) -> None:
    """Poll until predicate() holds."""
    end = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > end:
            raise SystemExit("the app did not get there in time")
        await pilot.pause(0.01)


async def scan(app: StationApp, pilot: Any, *codes: str) -> None:
    """A scanner burst of `codes`, then wait until every scan was applied."""
    for key in key_events("".join(f"{c}\r" for c in codes)):
        app.post_message(key)
    for _ in range(3):
        await pilot.pause()
        await app.wait_for_scans()


async def finish_submit(app: StationApp, pilot: Any) -> None:
    """Wait for the workflow screen's outcome, then F10 back to the order screen."""
    await until(pilot, lambda: isinstance(app.screen, WorkflowScreen))
    screen = app.screen
    assert isinstance(screen, WorkflowScreen)
    await until(pilot, lambda: screen.tracker.finished)
    outcome = screen.tracker.outcome
    if outcome is None or outcome.state != "done" or outcome.aborted:
        raise SystemExit(f"order {screen.tracker.order_id}: {screen.tracker.progress[-3:]}")
    await pilot.press("f10")
    await until(pilot, lambda: isinstance(app.screen, OrderScreen))


def pack_directly(pack: object) -> None:
    """Pack every line and weigh every package through the session (no local outlives it:
    a reference kept here would keep the order alive and be measured as the app's)."""
    assert isinstance(pack, PackScreen)
    session = pack.session
    for n, line in enumerate(session.lines()):
        if n and n % 200 == 0:
            session.handle_scan("CMD-NEW-PACKAGE")
        assert session.handle_scan(line.code or "").ok
    for view in session.packages():
        session.set_weight(session.rules.max_weight_kg / 100, view.package_no)


async def pack_small(app: StationApp, pilot: Any, order_id: str, codes: list[str]) -> None:
    """Open a small order, pack it by scans, submit it and go back to the order screen."""
    await scan(app, pilot, order_id)
    await until(pilot, lambda: isinstance(app.screen, PackScreen))
    await scan(app, pilot, *codes, "3103000500", "CMD-SUBMIT", "CMD-SUBMIT")
    await finish_submit(app, pilot)


def sending(app: StationApp) -> bool:
    """True while a submit's worker (sending, then the work after the answer) runs."""
    return any(w.group == "send" and not w.is_finished for w in app.workers)


def settled_rss() -> float:
    """RSS after a full collection."""
    gc.collect()
    return rss_mb()


async def shift(url: str, data: Path, args: argparse.Namespace, codes: list[str]) -> int:
    """Run the shift in the app; print and judge the figures."""
    settings = Settings(data_dir=data, theme="packstation-dark", print_labels=False)
    async with OmniumClient(url, CLIENT_ID, SECRET, timeout=300) as client:
        services = StationServices(settings=settings, client=client, sandbox=True)
        app = StationApp(services, theme_set=load_themes([]))
        async with app.run_test(size=SIZE) as pilot:
            await asyncio.wait_for(app.started.wait(), 30)
            await scan(app, pilot, "USER-BENCH")
            ok = True
            if args.large:
                cold = settled_rss()
                # One small order first: a station has packed before a large order comes, and
                # what its first order loads for good (the GS1 parser's 5.7 MB company prefix
                # table, label and barcode modules) is not the large order's to give back.
                await pack_small(app, pilot, WARM_UP, codes)
                before = settled_rss()
                print(
                    f"station started: {cold:.1f} MB; after one small order {before:.1f} MB",
                    flush=True,
                )
                await scan(app, pilot, f"LARGE-{args.large}")
                await until(pilot, lambda: isinstance(app.screen, PackScreen))
                opened = settled_rss()
                pack_directly(app.screen)
                await scan(app, pilot, "CMD-SUBMIT", "CMD-SUBMIT")
                await finish_submit(app, pilot)
                after = settled_rss()
                ratio = after / before
                ok &= ratio <= 1.5
                print(
                    f"{args.large}-line order: before opening {before:.1f} MB, open "
                    f"{opened:.1f} MB, back on the order screen after the submit {after:.1f} MB "
                    f"= {ratio:.2f}x  (aim <= 1.5x: {verdict(ratio <= 1.5)}; "
                    f"{after / cold:.2f}x of the station just started)",
                    flush=True,
                )
                # The answer is in, but the submit still follows the order for the booking
                # and prints the carrier's labels (up to booking_wait_seconds): memory once
                # that work ended too.
                waited = time.perf_counter()
                # Until the sender's worker ended: it lets the tracker go, then hands the C
                # heap's freed pages back (trackers alone empty a moment before that).
                await until(pilot, lambda: not app.trackers and not sending(app))
                waited = time.perf_counter() - waited
                done = settled_rss()
                ok &= done / before <= 1.5
                print(
                    f"  once the submit's work after the answer ended ({waited:.0f} s later): "
                    f"{done:.1f} MB = {done / before:.2f}x  "
                    f"(aim <= 1.5x: {verdict(done / before <= 1.5)}; "
                    f"{done / cold:.2f}x of the station just started)",
                    flush=True,
                )
            marks: dict[int, float] = {}
            started = time.perf_counter()
            for n in range(1, args.orders + 1):
                await pack_small(app, pilot, f"SHIFT-{n:04d}", codes)
                if n in (1, 10, 50, args.orders) or n % 100 == 0:
                    marks[n] = settled_rss()
                    print(
                        f"after order {n:>4}: {marks[n]:6.1f} MB  "
                        f"({time.perf_counter() - started:6.1f} s)",
                        flush=True,
                    )
            app.exit(0)
    last = marks[args.orders]
    for base in (10, 50):
        if base in marks and base < args.orders:
            growth = last / marks[base] - 1
            ok &= growth <= 0.10
            print(
                f"memory after order {args.orders} vs after order {base}: {100 * growth:+.1f} %  "
                f"(aim <= +10 %: {verdict(growth <= 0.10)})"
            )
    return 0 if ok else 1


async def create_orders(url: str, args: argparse.Namespace) -> list[str]:
    """Stock and orders in the sandbox; the codes that pack one small order.

    Its own function: the large order built here (a dict of N lines) is let go before the
    station is measured, which runs in this same process."""
    bearer = token(url)
    async with httpx.AsyncClient(
        base_url=url, timeout=300, headers={"Authorization": f"Bearer {bearer}"}
    ) as http:
        small = (await http.get(f"/api/Orders/{SMALL_TEMPLATE}")).json()
        shipment = small["orderForm"]["shipments"][0]
        warehouse = shipment["warehouseCode"]
        codes = [x["code"] for x in shipment["lineItems"] for _ in range(int(x["quantity"]))]
        skus = {x["code"] for x in shipment["lineItems"]}
        if args.large:
            skus |= {f"LB-{n:05d}" for n in range(1, args.large + 1)}
        for sku in sorted(skus):
            body = {"warehouse": warehouse, "sku": sku, "quantity": 10**7}
            (await http.put("/sandbox/stock", json=body)).raise_for_status()
        ids = [f"SHIFT-{n:04d}" for n in range(1, args.orders + 1)]
        for order_id in [*ids, WARM_UP] if args.large else ids:
            order = copy.deepcopy(small)
            order.update(id=order_id, orderNumber=order_id, errors=[])
            (await http.post("/api/Orders", json=order)).raise_for_status()
        if args.large:
            template = (await http.get(f"/api/Orders/{LARGE_TEMPLATE}")).json()
            order = big_order(template, f"LARGE-{args.large}", args.large)
            (await http.post("/api/Orders", json=order)).raise_for_status()
    return codes


async def main(args: argparse.Namespace) -> int:
    """Create the orders, run the shift."""
    with tempfile.TemporaryDirectory(prefix="shift-memory-") as tmp:
        config = write_config(Path(tmp), 0.0, "maxBodyBytes = 100000000")
        process, url = start_server(Path(tmp) / "sandbox", config)
        try:
            codes = await create_orders(url, args)
            print(f"sandbox {url}: {args.orders} copies of {SMALL_TEMPLATE}", flush=True)
            return await shift(url, Path(tmp) / "station", args, codes)
        finally:
            process.terminate()
            process.wait(timeout=15)


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=500)
    parser.add_argument("--large", type=int, default=0, help="lines of a large order first")
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args())))
