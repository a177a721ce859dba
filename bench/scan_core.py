"""Benchmark: interpreting + applying one item scan on a 250-line order vs a 1-line order.

The cost of a scan must not grow with the order (lines are indexed once per order), so the
ratio should stay near 1 (aim <= 1.2). Run: `.venv/bin/python bench/scan_core.py`.
"""

from __future__ import annotations

import time
from decimal import Decimal

from biip.checksums import gs1_standard_check_digit

from packstation.omnium.models import OmniumOrder, OrderForm, OrderLine, Shipment
from packstation.packing.rules import PackingRules
from packstation.packing.session import PackingSession

SCANS = 200
ROUNDS = 80
BIG = 250


def ean(n: int) -> str:
    """A valid EAN-13 for line n."""
    body = f"703100{n:06d}"
    return body + str(gs1_standard_check_digit(body))


def order(lines: int) -> OmniumOrder:
    """An order of `lines` lines, each with plenty of units to pack, at WH-OSLO."""
    items = [
        OrderLine(
            line_item_id=str(n),
            code=f"SKU-{n}",
            ean=ean(n),
            display_name=f"Item {n}",
            quantity=Decimal(10 * SCANS * ROUNDS),
        )
        for n in range(1, lines + 1)
    ]
    shipment = Shipment(
        shipment_id="1",
        status="Released",
        order_status="InProgress",
        warehouse_code="WH-OSLO",
        line_items=items,
    )
    return OmniumOrder(
        id=f"BENCH-{lines}",
        status="InProgress",
        order_form=OrderForm(line_items=[i.model_copy() for i in items], shipments=[shipment]),
    )


def per_scan(session: PackingSession, raw: str) -> float:
    """Seconds per scan, best of a timed batch."""
    start = time.perf_counter()
    for _ in range(SCANS):
        outcome = session.handle_scan(raw)
    elapsed = time.perf_counter() - start
    assert outcome.ok, outcome.message
    return elapsed / SCANS


def measure(kind: str, small_raw: str, big_raw: str) -> tuple[float, float]:
    """Best per-scan time on the 1-line and the 250-line order.

    Fresh sessions every round (the event log and undo history grow with each scan), and the
    two orders take turns going first so that neither always pays for the other's garbage.
    """
    rules = PackingRules(warehouse="WH-OSLO")
    small_order, big_order = order(1), order(BIG)
    best_small = best_big = float("inf")
    for round_no in range(ROUNDS):
        small = PackingSession(small_order, rules)
        big = PackingSession(big_order, rules)
        if round_no % 2:
            best_big = min(best_big, per_scan(big, big_raw))
            best_small = min(best_small, per_scan(small, small_raw))
        else:
            best_small = min(best_small, per_scan(small, small_raw))
            best_big = min(best_big, per_scan(big, big_raw))
    print(
        f"{kind:<10} 1 line: {best_small * 1e6:6.1f} µs/scan   {BIG} lines: "
        f"{best_big * 1e6:6.1f} µs/scan   ratio {best_big / best_small:.2f}"
    )
    return best_small, best_big


def main() -> int:
    """Run the benchmark and print the ratios (the scanned line is the order's last)."""
    results = [
        measure("EAN-13", ean(1), ean(BIG)),
        measure("SKU code", "sku-1", f"sku-{BIG}"),
        measure(
            "GS1 01+30", f"]C101{ean(1).zfill(14)}\x1d301", f"]C101{ean(BIG).zfill(14)}\x1d301"
        ),
    ]
    small = sum(s for s, _ in results)
    big = sum(b for _, b in results)
    print(f"overall ratio (250 lines / 1 line): {big / small:.2f}  (aim <= 1.2)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
