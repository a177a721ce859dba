"""Start-up benchmark: a packer's launch of `packstation` (the console script's entry, with the
embedded sandbox and the real client over HTTP) in a terminal, to the pack screen showing the
250-line demo order, against the stack floor: a bare Textual app that imports the libraries the
station cannot show an order without (httpx to fetch it, pydantic to read it), to its first
paint. Every app runs in a pseudo-terminal of 150 x 45 as in a packer's terminal, and is timed
from its spawn to the moment its text reaches the terminal. Also reports the resident memory
of the station with that order open (aim < 150 MB).

The station is timed as a packer meets it: launched as `python -m packstation` (what the
`packstation` script runs) with a settings file, its first screen ("SCAN AN ORDER") awaited,
then a badge and the order id typed as a keyboard-wedge scanner types them, until the pack
screen's units line and the order's SKUs are on the terminal.

Headline: the median over the rounds of the station's launch time divided by the floor app's
launch measured in the same round (aim: at most 2), with the absolute launch time beside it.
"Later launches" are a station that ran before: the sandbox's data and the station's store
exist (a store with nothing to resume). Printed as context: the first launch on a new machine,
a launch against `packstation sandbox` run apart, the ratio to a bare Textual app (no httpx,
no pydantic), and the CPU time each process used to its paint: wall time on a machine shared
with other work moves with its load, CPU time far less, so the CPU ratio tells whether a change
in the headline is the station's doing.

The station's modules are compiled to bytecode first, as pip does for an installed copy: an
editable install under PYTHONDONTWRITEBYTECODE would otherwise compile them from source at
every launch (about 0.25 s), which no packer's station does (the libraries are compiled).
Linux only (a pseudo-terminal, /proc for memory and CPU time).
Run: .venv/bin/python bench/startup.py
"""

from __future__ import annotations

import compileall
import contextlib
import fcntl
import os
import pty
import select
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from dataclasses import dataclass
from pathlib import Path

import packstation
from packstation.station.store import StationStore

ROUNDS = 5
ORDER = "ORD-1009"
SIZE = (45, 150)  # rows, columns
TIMEOUT = 120.0

BARE = r"""
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("first paint")

Bare().run()
"""

# The bare app plus the two libraries an order cannot be fetched and read without.
FLOOR = "import httpx, pydantic\nclass _M(pydantic.BaseModel):\n    a: int\n" + BARE

FIRST_SCREEN = b"SCAN AN ORDER"
# On the terminal only once the pack screen shows the order: its units line and its lines.
ORDER_ON_SCREEN = (b"units packed", b"KT-")


@dataclass
class Launch:
    """One launch in a terminal: seconds from spawn to each awaited text, and memory."""

    first_screen: float
    done: float
    cpu: float = 0.0
    """CPU seconds the app's process used by `done` (its sandbox child not counted)."""
    rss_mb: float = 0.0
    sandbox_rss_mb: float = 0.0


def rss_mb(pid: int) -> float:
    """Resident memory of a process (0 when it is gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far (Linux; 0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    # utime and stime, fields 14 and 15 of proc(5), in clock ticks.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    """The child processes of `pid` (Linux)."""
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


class Terminal:
    """A process on a pseudo-terminal of SIZE; everything it writes is kept."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.start = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # the child: the terminal's size first, as a terminal emulator sets it
            fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", *SIZE, 0, 0))
            os.execve(argv[0], argv, env)
        self.pid, self.fd = pid, fd
        self.output = bytearray()

    def wait_for(self, *texts: bytes, since: int = 0) -> float:
        """Read until every text has been written after offset `since`; seconds from spawn."""
        deadline = time.perf_counter() + TIMEOUT
        while not all(self.output.find(text, since) >= 0 for text in texts):
            left = deadline - time.perf_counter()
            if left <= 0:
                tail = self.output[-3000:].decode(errors="replace")
                raise SystemExit(f"{texts} not on the terminal after {TIMEOUT} s:\n{tail}")
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:  # EIO: the child closed the terminal
                    chunk = b""
                if not chunk:
                    tail = self.output[-3000:].decode(errors="replace")
                    raise SystemExit(f"the app ended before {texts}:\n{tail}")
                self.output += chunk
        return time.perf_counter() - self.start

    def type(self, text: str) -> None:
        """Keys, all at once, as a keyboard-wedge scanner sends them."""
        os.write(self.fd, text.encode())

    def close(self) -> None:
        """Stop the app and whatever it started (the sandbox child ends with its station)."""
        kids = children(self.pid)
        os.kill(self.pid, signal.SIGTERM)
        deadline = time.perf_counter() + 10
        while time.perf_counter() < deadline:
            # Drain the terminal so that an app writing on its way out is never blocked.
            if select.select([self.fd], [], [], 0.05)[0]:
                with contextlib.suppress(OSError):
                    os.read(self.fd, 65536)
            if os.waitpid(self.pid, os.WNOHANG)[0]:
                break
        else:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)
        for kid in kids:  # the next launch may reuse the sandbox's data directory
            while Path(f"/proc/{kid}").exists():
                time.sleep(0.01)


def environment(home: Path) -> dict[str, str]:
    """A clean environment: no PACKSTATION_* of the caller's, no user settings file."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PACKSTATION_")}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        TERM="xterm-256color",
        TEXTUAL="",
        PACKSTATION_LANGUAGE="en",
    )
    return env


def launch_app(code: str) -> Launch:
    """A small Textual app: seconds from spawn to its "first paint" on the terminal."""
    with tempfile.TemporaryDirectory() as tmp:
        terminal = Terminal([sys.executable, "-c", code], environment(Path(tmp)))
        try:
            painted = terminal.wait_for(b"first paint")
            return Launch(painted, painted, cpu_seconds(terminal.pid), rss_mb(terminal.pid))
        finally:
            terminal.close()


def launch_station(data_dir: Path, settings: str = "") -> Launch:
    """`packstation` in a terminal, a badge and ORDER typed at its first screen."""
    config = data_dir.parent / f"{data_dir.name}.toml"
    config.write_text(settings)
    argv = [sys.executable, "-m", "packstation", "--config", str(config)]
    argv += ["--data-dir", str(data_dir)]
    terminal = Terminal(argv, environment(data_dir.parent))
    try:
        first = terminal.wait_for(FIRST_SCREEN)
        typed_at = len(terminal.output)
        terminal.type("USER-bench\r")
        terminal.type(f"{ORDER}\r")
        done = terminal.wait_for(*ORDER_ON_SCREEN, since=typed_at)
        cpu = cpu_seconds(terminal.pid)
        sandbox = sum(rss_mb(kid) for kid in children(terminal.pid))
        return Launch(first, done, cpu, rss_mb(terminal.pid), sandbox)
    finally:
        terminal.close()


def fresh_store(data_dir: Path) -> None:
    """Replace the station's store by one as a station that ran before has, with no session."""
    for leftover in data_dir.glob("station.sqlite3*"):
        leftover.unlink()
    StationStore.open(data_dir).close()


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def remote_launches(rounds: int) -> list[float]:
    """Launches against `packstation sandbox` run as its own process (like a real Omnium)."""
    times: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        port, data = free_port(), str(Path(tmp) / "sandbox")
        server = subprocess.Popen(
            [sys.executable, "-m", "packstation", "sandbox", "--port", str(port), "--data", data],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.time() + 30
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                        break
                except OSError:
                    if time.time() > deadline:
                        raise SystemExit("the sandbox process did not start") from None
                    time.sleep(0.05)
            settings = (
                f'api_url = "http://127.0.0.1:{port}"\n'
                'client_id = "demo-station"\nclient_secret = "demo-secret"\n'
            )
            for round_no in range(rounds):
                station_dir = Path(tmp) / f"station-{round_no}"
                station_dir.mkdir()
                fresh_store(station_dir)
                times.append(launch_station(station_dir, settings).done)
        finally:
            server.terminate()
            server.wait(10)
    return times


def main() -> int:
    compileall.compile_dir(Path(packstation.__file__).parent, quiet=1)
    bare: list[Launch] = []
    floor: list[Launch] = []
    first: list[Launch] = []
    again: list[Launch] = []
    for round_no in range(ROUNDS):
        bare.append(launch_app(BARE))
        floor.append(launch_app(FLOOR))
        with tempfile.TemporaryDirectory() as tmp:
            data_dir = Path(tmp) / "data"
            # First launch on a new machine: the sandbox seeds its demo data.
            first.append(launch_station(data_dir))
            # Every later launch: the sandbox's data and the station's store exist (one with
            # nothing to resume: the first launch left ORD-1009 open, which would be offered).
            fresh_store(data_dir)
            again.append(launch_station(data_dir))
        print(
            f"round {round_no + 1}: bare first paint {bare[-1].done:.3f} s, "
            f"floor app {floor[-1].done:.3f} s; station first screen "
            f"{again[-1].first_screen:.3f} s, pack screen {first[-1].done:.3f} s (first launch), "
            f"{again[-1].done:.3f} s (sandbox data exists)"
        )
    remote = remote_launches(ROUNDS)

    def median(launches: list[Launch], field: str = "done") -> float:
        return statistics.median(getattr(x, field) for x in launches)

    b, fl, a = median(bare), median(floor), median(again)
    ratio = statistics.median(x.done / y.done for x, y in zip(again, floor, strict=True))
    print(
        f"packstation: {ratio:.2f} x the stack floor app (aim <= 2), median of {ROUNDS} rounds "
        f"each against its own floor launch; launch to pack screen showing {ORDER} (250 lines) "
        f"{a:.3f} s, floor app {fl:.3f} s"
    )
    screen, f, r = median(again, "first_screen"), median(first), statistics.median(remote)
    print(f"  first screen (SCAN AN ORDER):           {screen:.3f} s, ratio {screen / fl:.2f}")
    print(f"  first launch (sandbox seeds demo data): {f:.3f} s, ratio {f / fl:.2f} to the floor")
    print(f"  Omnium elsewhere (sandbox process):     {r:.3f} s, ratio {r / fl:.2f} to the floor")
    print("context:")
    # CPU time barely moves with the machine's load, where wall time does: a cross-check.
    cpu, floor_cpu = median(again, "cpu"), median(floor, "cpu")
    print(
        f"  CPU of the station's process to the order on screen {cpu:.3f} s, of the floor app "
        f"to its paint {floor_cpu:.3f} s: ratio {cpu / floor_cpu:.2f} (the sandbox child apart)"
    )
    print(f"  bare Textual app, launch to first paint: {b:.3f} s")
    print(f"  the floor app (+ httpx, pydantic):       ratio {fl / b:.2f} to bare Textual")
    print(f"  packstation (later launches):            ratio {a / b:.2f} to bare Textual")
    rss = max(x.rss_mb for x in first + again)
    sandbox_rss = max(x.sandbox_rss_mb for x in first + again)
    print(
        f"resident memory with {ORDER} open: station {rss:.0f} MB (aim < 150 MB); "
        f"its embedded sandbox process {sandbox_rss:.0f} MB more"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
