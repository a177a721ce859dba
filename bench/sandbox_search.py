"""The sandbox's order search on a large store: a station's queue query at 1,000, 6,000 and
60,000 stored orders (1x, 6x, 60x), measured in one run.

Each store holds copies of the demo orders (about 7 KB each), oldest first, in two warehouses;
one in twenty waits (InProgress), the rest are Completed; one in fifty is tagged `vip`. The
sandbox runs as `packstation sandbox` (own process, loopback) on the filled store. Timed, as
the median of 20 requests each:
- the queue query: `POST /api/Orders/Search` for the station's statuses, oldest first, 100 a
  page, its first page and its last (the station reads every page);
- a tag query (`tags: [vip]`, newest first), which read every order before it was indexed.

Aim (issue 16 item 6): at 60,000 orders the queue query answers within 5x of 1,000.
Run: .venv/bin/python bench/sandbox_search.py [--sizes 1000,6000,60000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from bench_support import start_server, token, verdict, write_config

from packstation.omnium.models import OmniumOrder
from packstation.sandbox.demo_data import demo_orders
from packstation.sandbox.store import SandboxStore

WAITING_EVERY = 20
VIP_EVERY = 50
QUEUE_STATUSES = ["InProgress", "PartiallyShipped"]
REPEATS = 20
START = datetime(2026, 1, 1, tzinfo=UTC)


def fill(data: Path, size: int) -> None:
    """`size` copies of the demo orders in a new sandbox store, oldest first."""
    templates = [o for o in demo_orders() if o.status == "InProgress"]
    store = SandboxStore.open(data)
    try:
        batch: list[OmniumOrder] = []
        for n in range(size):
            template = templates[n % len(templates)]
            created = (START + timedelta(minutes=n)).strftime("%Y-%m-%dT%H:%M:%SZ")
            batch.append(
                template.model_copy(
                    update={
                        "id": f"S-{n:06d}",
                        "order_number": f"S-{n:06d}",
                        "status": "InProgress" if n % WAITING_EVERY == 0 else "Completed",
                        "tags": ["vip"] if n % VIP_EVERY == 0 else [],
                        "created": created,
                        "modified": created,
                    }
                )
            )
            if len(batch) == 1000:
                store.insert_orders(batch)
                batch = []
        store.insert_orders(batch)
        store.set_meta("seeded", "1")  # the demo orders stay out
    finally:
        store.close()


def timed(http: httpx.Client, body: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    """Median seconds of REPEATS searches with this body; the last answer."""
    times = []
    answer: dict[str, Any] = {}
    for _ in range(REPEATS):
        started = time.perf_counter()
        reply = http.post("/api/Orders/Search", json=body)
        times.append(time.perf_counter() - started)
        reply.raise_for_status()
        answer = reply.json()
    return statistics.median(times), answer


def measure(size: int, root: Path) -> dict[str, float]:
    """Fill a store of `size` orders, serve it, time the searches."""
    data = root / f"sandbox-{size}"
    started = time.perf_counter()
    fill(data, size)
    filled = time.perf_counter() - started
    process, url = start_server(data, write_config(root, 0.0))
    try:
        with httpx.Client(
            base_url=url, timeout=600, headers={"Authorization": f"Bearer {token(url)}"}
        ) as http:
            queue = {"selectedStatuses": QUEUE_STATUSES, "sortOrder": "CreatedAscending"}
            first, answer = timed(http, {**queue, "take": 100, "page": 0})
            waiting = answer["totalHits"]
            assert waiting == len(range(0, size, WAITING_EVERY)), waiting
            assert [o["id"] for o in answer["result"][:2]] == ["S-000000", f"S-{WAITING_EVERY:06d}"]
            last_page = min((waiting - 1) // 100, 99)
            last, answer = timed(http, {**queue, "take": 100, "page": last_page})
            assert answer["result"], "the last page is empty"
            tags, answer = timed(
                http, {"tags": ["vip"], "sortOrder": "CreatedDescending", "take": 20}
            )
            assert answer["totalHits"] == len(range(0, size, VIP_EVERY))
            assert answer["result"][0]["tags"] == ["vip"]
    finally:
        process.terminate()
        process.wait(timeout=15)
    return {"first": first, "last": last, "tags": tags, "waiting": waiting, "fill": filled}


def main(args: argparse.Namespace) -> int:
    """Measure each size, print the figures and the aim."""
    sizes = [int(s) for s in args.sizes.split(",")]
    figures = {}
    with tempfile.TemporaryDirectory(prefix="sandbox-search-") as tmp:
        for size in sizes:
            f = measure(size, Path(tmp))
            figures[size] = f
            print(
                f"{size:>6} orders ({f['waiting']:>5} waiting; filled in {f['fill']:5.1f} s): "
                f"queue page 0 {1000 * f['first']:7.1f} ms, last page {1000 * f['last']:7.1f} ms"
                f"  tag search {1000 * f['tags']:7.1f} ms",
                flush=True,
            )
    small, large = min(sizes), max(sizes)
    scale = large / small
    worst = max(figures[large]["first"], figures[large]["last"])
    base = max(figures[small]["first"], figures[small]["last"])
    ratio = worst / base
    print(
        f"queue query at {large} / {small} orders (slower of first and last page): {ratio:.1f}x "
        f"for {scale:.0f}x the orders  (aim within 5x: {verdict(ratio <= 5)})"
    )
    tags = figures[large]["tags"] / figures[small]["tags"]
    print(f"tag search at {large} / {small} orders: {tags:.1f}x (no aim; read every order before)")
    return 0


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,6000,60000")
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(main(parse_args()))
