"""Helpers for the end-to-end tests: `packstation sandbox` as its own process, `packstation`
in a tmux session (keys typed with send-keys, the screen read with capture-pane)."""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx

TMUX = shutil.which("tmux")
CLIENT_ID = "demo-station"
CLIENT_SECRET = "demo-secret"


def free_port() -> int:
    """A free loopback TCP port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(predicate: Callable[[], bool], seconds: float, what: str) -> None:
    """Poll `predicate` until it holds; fail after `seconds`."""
    end = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def alive(pid: int) -> bool:
    """True while the process exists and is neither a zombie nor dead (Z, X)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    # The state letter follows the command name in parentheses (which may hold spaces).
    return stat.rpartition(")")[2].split()[0] not in {"Z", "X"}


@contextlib.contextmanager
def running_sandbox(workdir: Path) -> Iterator[str]:
    """`packstation sandbox` on a free loopback port, in its own process; yields its URL."""
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log_path = workdir / "sandbox.log"
    log = log_path.open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "packstation",
            "sandbox",
            "--port",
            str(port),
            "--data",
            str(workdir / "sandbox"),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        if proc.poll() is not None:
            raise AssertionError(f"sandbox exited: {log_path.read_text()}")
        try:
            reply = httpx.post(
                f"{url}/api/Token",
                params={"clientId": CLIENT_ID, "clientSecret": CLIENT_SECRET},
                timeout=1,
            )
        except httpx.HTTPError:
            return False
        return reply.status_code == 200

    try:
        wait_until(answers, 30, "the sandbox to answer")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        log.close()


def station_env(workdir: Path, sandbox_url: str, data_dir: Path) -> dict[str, str]:
    """The environment of a station pointed at the sandbox process, with no config file."""
    workdir.mkdir(parents=True, exist_ok=True)
    no_config = workdir / "no-config.toml"
    no_config.write_text("")
    return {
        "PACKSTATION_API_URL": sandbox_url,
        "PACKSTATION_CLIENT_ID": CLIENT_ID,
        "PACKSTATION_CLIENT_SECRET": CLIENT_SECRET,
        "PACKSTATION_DATA_DIR": str(data_dir),
        "PACKSTATION_CONFIG": str(no_config),
        "XDG_CONFIG_HOME": str(workdir / "config"),
        "TERM": "xterm-256color",
    }


class Terminal:
    """One tmux session running a command."""

    def __init__(self, name: str) -> None:
        self.name = name

    @classmethod
    def start(cls, env: dict[str, str], *args: str, width: int = 150, height: int = 45) -> Terminal:
        """`packstation [args]` in a new detached tmux session.

        `exec` makes the app the pane's own process, so `pid` is the app (for SIGKILL)."""
        assert TMUX is not None, "the end-to-end tests need tmux (the CI script installs it)"
        name = f"packstation-e2e-{uuid.uuid4().hex[:8]}"
        command = shlex.join(
            [
                "exec",
                "env",
                *(f"{key}={value}" for key, value in env.items()),
                sys.executable,
                "-m",
                "packstation",
                *args,
            ]
        )
        size = ["-x", str(width), "-y", str(height)]
        # COLUMNS/LINES from the test runner would override the pane's real size in the app.
        outer = {k: v for k, v in os.environ.items() if k not in {"COLUMNS", "LINES", "TMUX"}}
        # A tmux server of its own per terminal, without the user's tmux configuration.
        subprocess.run(
            [TMUX, "-L", name, "-f", os.devnull, "new-session", "-d", "-s", name, *size, command],
            check=True,
            env=outer,
        )
        return cls(name)

    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """A tmux command on this terminal's own server."""
        assert TMUX is not None
        return subprocess.run(
            [TMUX, "-L", self.name, *args], check=check, capture_output=True, text=True
        )

    def close(self) -> None:
        """Kill the tmux session (and what still runs in it); fine if it is gone already."""
        self.tmux("kill-server", check=False)

    def exists(self) -> bool:
        """True while the tmux session is there (it goes when its only pane's process ends)."""
        return self.tmux("has-session", "-t", self.name, check=False).returncode == 0

    @property
    def pid(self) -> int:
        """The pid of the process in the pane."""
        return int(self.tmux("display-message", "-p", "-t", self.name, "#{pane_pid}").stdout)

    def send(self, *keys: str) -> None:
        """tmux send-keys."""
        self.tmux("send-keys", "-t", self.name, *keys)

    def scan(self, code: str) -> None:
        """What a wedge scanner does: the characters, then Enter."""
        self.send("-l", code)
        self.send("Enter")

    def scan_burst(self, codes: list[str]) -> None:
        """Several scans typed back to back by ONE tmux command (no pause between them)."""
        assert TMUX is not None
        command: list[str] = []
        for code in codes:
            command += ["send-keys", "-t", self.name, "-l", code, ";"]
            command += ["send-keys", "-t", self.name, "Enter", ";"]
        self.tmux(*command[:-1])

    def screen(self) -> str:
        """The visible screen as text."""
        return self.tmux("capture-pane", "-p", "-t", self.name).stdout

    def wait_for(self, text: str, seconds: float = 30) -> str:
        """Wait until `text` is on the screen; return the screen that held it."""
        seen = [""]

        def shown() -> bool:
            # The capture that matched is returned: a second capture may catch a repaint.
            seen[0] = self.screen()
            return text in seen[0]

        try:
            wait_until(shown, seconds, repr(text))
        except AssertionError as err:
            raise AssertionError(f"{err}; the screen was:\n{seen[0]}") from None
        return seen[0]
