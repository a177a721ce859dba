"""Benchmark: does a streaming scale disturb the event loop?

A continuous-output scale on a pseudo-terminal sends 10, 100 and 1,000 changing readings a
second (1x, 10x, 100x) through the station's own path: pyserial in the scale thread, the
ScaleMonitor, `call_soon_threadsafe` onto the asyncio loop. Meanwhile a 5 ms ticker on the loop
records how late each tick fires. The baseline is the same ticker with no scale, in the same
run. Prints the readings delivered and the 99th-percentile / worst tick lateness, with ratios
against the baseline (aim: p99 ratio near 1 at 1x; the loop is never held for a frame, 16 ms).
Run: `.venv/bin/python bench/scale_feed.py` (Linux or macOS).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import threading
import time
import tty

from packstation.devices.scale import open_scale
from packstation.devices.scale_monitor import ScaleMonitor
from packstation.devices.scale_reading import ScaleReading

SECONDS = 3.0
TICK_S = 0.005
RATES = (10, 100, 1000)


def feed(master: int, rate: int, stop: threading.Event) -> None:
    """Write `rate` changing continuous-output lines a second to the pty."""
    n = 0
    interval = 1 / rate
    next_at = time.perf_counter()
    while not stop.is_set():
        n += 1
        weight = 1 + (n % 1000) / 1000
        try:
            os.write(master, f"ST,GS,+{weight:8.3f}kg\r\n".encode())
        except OSError:
            return
        next_at += interval
        delay = next_at - time.perf_counter()
        if delay > 0:
            time.sleep(delay)


async def lateness(seconds: float) -> list[float]:
    """How late (s) each tick of a TICK_S ticker fires over `seconds`."""
    late = []
    end = time.perf_counter() + seconds
    while (now := time.perf_counter()) < end:
        await asyncio.sleep(TICK_S)
        late.append(time.perf_counter() - now - TICK_S)
    return late


async def run(rate: int | None) -> tuple[int, list[float]]:
    """Readings delivered and tick lateness, with a scale streaming at `rate` (None: no scale)."""
    if rate is None:
        return 0, await lateness(SECONDS)
    loop = asyncio.get_running_loop()
    delivered = 0
    shown: list[ScaleReading] = []

    def deliver(reading: ScaleReading) -> None:
        nonlocal delivered
        delivered += 1
        shown[:] = [reading]  # what the readout would draw

    master, slave = os.openpty()
    tty.setraw(slave)
    port = os.ttyname(slave)
    stop = threading.Event()
    writer = threading.Thread(target=feed, args=(master, rate, stop), daemon=True)
    monitor = ScaleMonitor(
        lambda: open_scale(port, "continuous"),
        lambda r: loop.call_soon_threadsafe(deliver, r),
    )
    writer.start()
    monitor.start()
    try:
        late = await lateness(SECONDS)
    finally:
        stop.set()
        monitor.stop()
        writer.join(1)
        os.close(master)
        os.close(slave)
    return delivered, late


def p99(values: list[float]) -> float:
    """The 99th percentile."""
    return statistics.quantiles(values, n=100)[98]


async def main() -> None:
    """Baseline, then each rate; print the ratios."""
    _, base = await run(None)
    base_p99, base_max = p99(base), max(base)
    print(f"baseline (no scale): p99 late {base_p99 * 1000:.2f} ms, worst {base_max * 1000:.2f} ms")
    for factor, rate in zip(("1x", "10x", "100x"), RATES, strict=True):
        delivered, late = await run(rate)
        print(
            f"{factor:>4} {rate:>5} readings/s: {delivered / SECONDS:7.0f} delivered/s, "
            f"p99 late {p99(late) * 1000:.2f} ms ({p99(late) / base_p99:.2f}x baseline), "
            f"worst {max(late) * 1000:.2f} ms ({max(late) / base_max:.2f}x)"
        )


if __name__ == "__main__":
    asyncio.run(main())
