"""Sandbox throughput: OrderLinesUpdate with 8 concurrent clients on distinct orders, against the
same server answering a trivial authenticated endpoint (GET /api/Orders/{id}) in the same run.

The sandbox runs as `packstation sandbox` (real uvicorn, own process) on loopback, with the
default workflows at step latency 0 (unless --latency-scale) so that the server's own cost is
measured, not the simulated carrier delays. The orders are copies of a demo order, created up
front; each client works through its own. Each OrderLinesUpdate packs a whole order as a station
does (every line delivered, one package with its line references) and runs the full Ship
workflow: SplitShipmentCost, CapturePayments, ReduceInventory, UpdateShipmentStatus,
Notification, ExportOrder. The GET phases read orders of the same size.

Prints throughput, p50/p99/max latency of both, the ratio, and whether the aims hold:
ratio >= 0.3 and no OrderLinesUpdate slower than 10x its median.
Run: .venv/bin/python bench/sandbox_throughput.py [--requests 100] [--rounds 3] [--clients 8]
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from bench_support import CLIENT_ID, SECRET, start_server, write_config


@dataclass
class Phase:
    """Latencies of one phase, and its wall time."""

    name: str
    latencies: list[float]
    wall: float

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.wall

    def quantile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    def line(self) -> str:
        return (
            f"{self.name:<18} {len(self.latencies):>5} req  {self.throughput:8.1f} req/s  "
            f"p50 {1000 * statistics.median(self.latencies):7.2f} ms  "
            f"p99 {1000 * self.quantile(0.99):7.2f} ms  max {1000 * max(self.latencies):7.2f} ms"
        )


def bench_order(template: dict[str, Any], order_id: str) -> dict[str, Any]:
    """A fresh copy of a demo order with its own id."""
    order = copy.deepcopy(template)
    order.update(id=order_id, orderNumber=order_id, tags=[], errors=[])
    return order


def lines_update(order: dict[str, Any]) -> dict[str, Any]:
    """Pack the whole of shipment 1 into one package and complete it (what a station sends)."""
    shipment = order["orderForm"]["shipments"][0]
    lines = shipment["lineItems"]
    return {
        "status": "Ship",
        "lineItemUpdates": [
            {"lineItemId": x["lineItemId"], "deliveredQuantity": x["quantity"]} for x in lines
        ],
        "shipmentInfo": {
            "shipmentId": shipment["shipmentId"],
            "packages": [
                {
                    "id": f"{order['id']}-P1",
                    "weightInKg": 1.5,
                    "dimensions": {"lengthInCm": 30, "widthInCm": 20, "heightInCm": 10},
                    "lineItemReferences": [
                        {"lineItemId": x["lineItemId"], "quantity": x["quantity"]} for x in lines
                    ],
                }
            ],
        },
    }


class RawHttp:
    """A minimal keep-alive HTTP/1.1 client on asyncio streams.

    httpx costs the benchmark process about as much CPU per request as the server spends on a
    GET, which would make both phases measure the client; this costs a small fraction of it.
    """

    def __init__(self, url: str, token: str) -> None:
        host_port = url.split("://", 1)[1]
        self.host, port = host_port.rsplit(":", 1)
        self.port = int(port)
        self.token = token
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def __aenter__(self) -> RawHttp:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.writer is not None
        self.writer.close()
        await self.writer.wait_closed()

    async def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
        """Send one request and read the whole answer."""
        assert self.reader is not None and self.writer is not None
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Authorization: Bearer {self.token}\r\nContent-Length: {len(body)}\r\n"
            + ("Content-Type: application/json\r\n" if body else "")
            + "\r\n"
        )
        self.writer.write(head.encode() + body)
        await self.writer.drain()
        raw = await self.reader.readuntil(b"\r\n\r\n")
        lines = raw.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        length = next(
            int(line.split(":", 1)[1])
            for line in lines
            if line.lower().startswith("content-length:")
        )
        return status, await self.reader.readexactly(length)


async def run_phase(
    name: str, url: str, token: str, work: list[list[dict[str, Any]]], write: bool
) -> Phase:
    """Each client works through its own list of orders, all clients at once: GET each order,
    or complete each order with one OrderLinesUpdate."""
    latencies: list[float] = []
    failures: list[str] = []

    async def client(orders: list[dict[str, Any]]) -> None:
        async with RawHttp(url, token) as http:
            for order in orders:
                body = json.dumps(lines_update(order)).encode() if write else b""
                started = time.perf_counter()
                if write:
                    status, text = await http.request(
                        "POST", f"/api/Orders/{order['id']}/OrderLinesUpdate", body
                    )
                else:
                    status, text = await http.request("GET", f"/api/Orders/{order['id']}")
                latencies.append(time.perf_counter() - started)
                if status != 200:
                    failures.append(f"{status} {text[:200]!r}")
                elif write and b'"isAborted":true' in text:
                    failures.append(f"aborted: {text[-400:]!r}")

    started = time.perf_counter()
    await asyncio.gather(*(client(orders) for orders in work))
    wall = time.perf_counter() - started
    if failures:
        raise SystemExit(f"{name}: {len(failures)} failed requests, first: {failures[0]}")
    return Phase(name, latencies, wall)


async def main(args: argparse.Namespace) -> int:
    """Set up, measure GET and OrderLinesUpdate alternately, report."""
    with tempfile.TemporaryDirectory(prefix="sandbox-bench-") as tmp:
        config = write_config(Path(tmp), args.latency_scale)
        process, url = start_server(Path(tmp) / "data", config)
        try:
            async with httpx.AsyncClient(base_url=url, timeout=60) as http:
                token = (
                    await http.post(
                        "/api/Token", params={"clientId": CLIENT_ID, "clientSecret": SECRET}
                    )
                ).text
                http.headers["Authorization"] = f"Bearer {token}"
                template = (await http.get(f"/api/Orders/{args.template}")).json()
                warehouse = template["orderForm"]["shipments"][0]["warehouseCode"]
                for item in template["orderForm"]["lineItems"]:
                    body = {"warehouse": warehouse, "sku": item["code"], "quantity": 10**9}
                    (await http.put("/sandbox/stock", json=body)).raise_for_status()
                # Every client completes its own orders, each once (as stations do).
                per_client = args.requests * (args.rounds + 1)
                orders = [
                    [bench_order(template, f"BENCH-{c + 1}-{i + 1}") for i in range(per_client)]
                    for c in range(args.clients)
                ]
                for order in (o for client_orders in orders for o in client_orders):
                    (await http.post("/api/Orders", json=order)).raise_for_status()
            print(
                f"sandbox {url}: {args.clients} clients x {args.requests} requests x "
                f"{args.rounds} rounds, copies of {args.template} "
                f"({len(template['orderForm']['lineItems'])} lines), "
                f"latency scale {args.latency_scale}"
            )

            def batch(index: int) -> list[list[dict[str, Any]]]:
                start = index * args.requests
                return [client[start : start + args.requests] for client in orders]

            await run_phase("warm-up GET", url, token, batch(0), write=False)
            await run_phase("warm-up update", url, token, batch(0), write=True)
            reads: list[Phase] = []
            writes: list[Phase] = []
            # Alternate the phases so that drift (caches, CPU clock) hits both alike.
            for index in range(1, args.rounds + 1):
                reads.append(await run_phase("GET order", url, token, batch(index), False))
                writes.append(await run_phase("OrderLinesUpdate", url, token, batch(index), True))
        finally:
            process.terminate()
            process.wait(timeout=15)

    read = Phase("GET order", [x for p in reads for x in p.latencies], sum(p.wall for p in reads))
    write = Phase(
        "OrderLinesUpdate", [x for p in writes for x in p.latencies], sum(p.wall for p in writes)
    )
    ratio = write.throughput / read.throughput
    median = statistics.median(write.latencies)
    slowest = max(write.latencies)
    print(read.line())
    print(write.line())
    print(
        f"ratio OrderLinesUpdate/GET throughput: {ratio:.3f}  (aim >= 0.3: "
        f"{'holds' if ratio >= 0.3 else 'MISSED'})"
    )
    print(
        f"slowest OrderLinesUpdate = {slowest / median:.1f} x its median  (aim <= 10x: "
        f"{'holds' if slowest <= 10 * median else 'MISSED'})"
    )
    return 0


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=100, help="per client and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--template", default="ORD-1003", help="demo order to copy")
    parser.add_argument("--latency-scale", type=float, default=0.0)
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args())))
