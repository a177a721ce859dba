"""Start-up benchmark: from launching `packstation` (embedded sandbox, real client over HTTP)
to the pack screen showing the 250-line demo order, against the stack floor: a bare Textual
app that imports the libraries the station cannot show an order without (httpx to fetch it,
pydantic to read it), to its first paint. Both are measured from process spawn, in the same
run. Also reports the resident memory of the station with that order open (aim < 150 MB).

Headline: the median over the rounds of the station's launch time divided by the floor app's
launch measured in the same round (aim: at most 2), with the absolute launch time beside it.
The ratio to a bare Textual app (no httpx, no pydantic) is printed as context.

The station's modules are compiled to bytecode first, as pip does for an installed copy: an
editable install under PYTHONDONTWRITEBYTECODE would otherwise compile them from source at
every launch (about 0.25 s), which no packer's station does (the libraries are compiled).
Run: .venv/bin/python bench/startup.py
"""

from __future__ import annotations

import compileall
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import packstation

ROUNDS = 5
ORDER = "ORD-1009"

BARE = r"""
import json, time
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("first paint")
    def on_mount(self):
        self.call_after_refresh(self.painted)
    def painted(self):
        print(json.dumps({"t": time.time()}), flush=True)
        self.exit()

Bare().run(headless=True, size=(150, 45))
"""

# The bare app plus the two libraries an order cannot be fetched and read without.
FLOOR = "import httpx, pydantic\nclass _M(pydantic.BaseModel):\n    a: int\n" + BARE

STATION = r"""
import json, sys, time
from pathlib import Path
from packstation.config import Settings
from packstation.launch import station_app

def rss_mb(pid="self"):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0

api_url = sys.argv[3] if len(sys.argv) > 3 else ""
settings = Settings(
    data_dir=Path(sys.argv[1]),
    api_url=api_url,
    client_id="demo-station",
    client_secret="demo-secret",
)
# In the order `packstation` itself goes: settings, the sandbox child, then Textual.
with station_app(settings) as app:
    from packstation.tui.screens.pack import PackScreen

    async def open_order():
        await app.started.wait()
        # As at a station: the packer's badge, then the order (no order opens without a badge).
        app.post_scan("USER-bench")
        app.post_scan(sys.argv[2])

    def check():
        if isinstance(app.screen, PackScreen) and app.screen.is_mounted:
            app.call_after_refresh(painted)
        else:
            app.set_timer(0.005, check)

    def painted():
        child = app.services.sandbox_process
        sandbox_rss = rss_mb(child.pid) if child is not None and child.pid else 0.0
        report = {"t": time.time(), "rss": rss_mb(), "sandbox_rss": sandbox_rss}
        print(json.dumps(report), flush=True)
        app.exit()

    app.call_later(lambda: app.run_worker(open_order()))
    app.call_later(check)
    app.run(headless=True, size=(150, 45))
"""


def launch(code: str, *args: str) -> dict[str, float]:
    """Spawn a child, return its report and the time from spawn to its paint."""
    start = time.time()
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "TEXTUAL": ""},
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"child failed ({done.returncode}): {done.stderr[-2000:]}")
    report: dict[str, float] = json.loads(lines[-1])
    report["elapsed"] = report["t"] - start
    return report


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def remote_launches(rounds: int) -> list[float]:
    """Launches against `packstation sandbox` run as its own process (like a real Omnium)."""
    times: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "packstation",
                "sandbox",
                "--port",
                str(port),
                "--data",
                str(Path(tmp) / "sandbox"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.time() + 30
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                        break
                except OSError:
                    if time.time() > deadline:
                        raise SystemExit("the sandbox process did not start") from None
                    time.sleep(0.05)
            for round_no in range(rounds):
                station_dir = Path(tmp) / f"station-{round_no}"
                times.append(launch(STATION, str(station_dir), ORDER, url)["elapsed"])
        finally:
            server.terminate()
            server.wait(10)
    return times


def main() -> int:
    compileall.compile_dir(Path(packstation.__file__).parent, quiet=1)
    bare: list[float] = []
    floor: list[float] = []
    first: list[float] = []
    again: list[float] = []
    rss: list[float] = []
    sandbox_rss: list[float] = []
    for round_no in range(ROUNDS):
        bare.append(launch(BARE)["elapsed"])
        floor.append(launch(FLOOR)["elapsed"])
        with tempfile.TemporaryDirectory() as tmp:
            # First launch on a new machine: the sandbox seeds its demo data.
            report = launch(STATION, tmp, ORDER)
            first.append(report["elapsed"])
            rss.append(report["rss"])
            sandbox_rss.append(report["sandbox_rss"])
            # Every later launch: the sandbox's data exists; a new station store each time.
            for leftover in Path(tmp).glob("station.sqlite3*"):
                leftover.unlink()
            report = launch(STATION, tmp, ORDER)
            again.append(report["elapsed"])
            rss.append(report["rss"])
            sandbox_rss.append(report["sandbox_rss"])
        print(
            f"round {round_no + 1}: bare first paint {bare[-1]:.3f} s, "
            f"floor app {floor[-1]:.3f} s; "
            f"station pack screen "
            f"{first[-1]:.3f} s (first launch), {again[-1]:.3f} s (sandbox data exists)"
        )
    remote = remote_launches(ROUNDS)
    b = statistics.median(bare)
    f, a = statistics.median(first), statistics.median(again)
    r = statistics.median(remote)
    fl = statistics.median(floor)
    ratio = statistics.median(x / y for x, y in zip(again, floor, strict=True))
    print(
        f"packstation: {ratio:.2f} x the stack floor app (aim <= 2), median of {ROUNDS} rounds "
        f"each against its own floor launch; launch to pack screen showing {ORDER} (250 lines) "
        f"{a:.3f} s, floor app {fl:.3f} s"
    )
    print(f"  first launch (sandbox seeds demo data): {f:.3f} s, ratio {f / fl:.2f} to the floor")
    print(f"  Omnium elsewhere (sandbox process):     {r:.3f} s, ratio {r / fl:.2f} to the floor")
    print("context:")
    print(f"  bare Textual app, launch to first paint: {b:.3f} s")
    print(f"  the floor app (+ httpx, pydantic):       ratio {fl / b:.2f} to bare Textual")
    print(f"  packstation (later launches):            ratio {a / b:.2f} to bare Textual")
    print(
        f"resident memory with {ORDER} open: station {max(rss):.0f} MB (aim < 150 MB); "
        f"its embedded sandbox process {max(sandbox_rss):.0f} MB more"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
