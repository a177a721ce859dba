"""The station's queue on a busy tenant: 10, 100 and 1,000 orders waiting at WH-OSLO among 50,
500 and 5,000 orders of the tenant (1x, 10x, 100x).

The sandbox runs as `packstation sandbox` (own process, loopback); its store is filled before
it starts. Timed: `read_queue` as the order screen runs it, i.e. Omnium's search for the waiting
statuses paged through (100 per page, oldest first) and every order checked for an open
shipment here. Prints, per size: the best of 3 runs, pages read, orders listed, and the ratio
of time per listed order against 1x; then the aim: all 1,000 listed within 2 s at 100x.
Run: .venv/bin/python bench/order_queue.py
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

from bench_support import CLIENT_ID, SECRET, start_server, verdict, write_config

from packstation.omnium.client import OmniumClient
from packstation.sandbox.demo_data import tenant_orders
from packstation.sandbox.runtime import SandboxRuntime
from packstation.station.queue import read_queue

SIZES = {"1x": (50, 10), "10x": (500, 100), "100x": (5000, 1000)}
STATUSES = ("InProgress", "PartiallyShipped")
RUNS = 3


def fill(data: Path, total: int, waiting: int) -> None:
    """A sandbox store with the demo data and the tenant's orders."""
    runtime = SandboxRuntime(data)
    runtime.add_orders(tenant_orders(total, waiting))
    runtime.close()


async def measure(url: str) -> tuple[float, int, int]:
    """Best wall time of reading the queue, orders listed, pages read."""
    best = float("inf")
    listed = pages = 0
    async with OmniumClient(url, CLIENT_ID, SECRET) as client:
        await client.get_token()
        for _ in range(RUNS):
            started = time.perf_counter()
            queue = await read_queue(client, "WH-OSLO", statuses=STATUSES)
            best = min(best, time.perf_counter() - started)
            listed, pages = len(queue.entries), -(-queue.searched // 100)
    return best, listed, pages


async def main() -> int:
    results: dict[str, tuple[float, int, int]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        config = write_config(Path(tmp), 0.0)
        for name, (total, waiting) in SIZES.items():
            data = Path(tmp) / name
            fill(data, total, waiting)
            process, url = start_server(data, config)
            try:
                results[name] = await measure(url)
            finally:
                process.terminate()
                process.wait()
            wall, listed, pages = results[name]
            print(
                f"{name:>5}: {waiting:5d} waiting among {total:5d}: {wall * 1000:7.1f} ms, "
                f"{pages:3d} pages, {listed:5d} listed"
            )
    base_wall, base_listed, _ = results["1x"]
    for name in ("10x", "100x"):
        wall, listed, _ = results[name]
        ratio = (wall / listed) / (base_wall / base_listed)
        print(f"time per listed order {name} / 1x: {ratio:.2f}x")
    wall, listed, _ = results["100x"]
    ok = wall < 2.0 and listed >= SIZES["100x"][1]
    print(f"100x: {listed} listed in {wall:.2f} s  (aim: all 1,000 within 2 s: {verdict(ok)})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
