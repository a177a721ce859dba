"""End to end in a real terminal: `packstation sandbox` as its own process, `packstation` in
tmux, keys typed with send-keys, the screen read with capture-pane."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

TMUX = shutil.which("tmux")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(predicate: Callable[[], bool], seconds: float, what: str) -> None:
    end = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


@pytest.fixture
def sandbox_url(tmp_path: Path) -> Iterator[str]:
    """`packstation sandbox` on a free loopback port, in its own process."""
    port = free_port()
    log = (tmp_path / "sandbox.log").open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "packstation",
            "sandbox",
            "--port",
            str(port),
            "--data",
            str(tmp_path / "sandbox"),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        if proc.poll() is not None:
            raise AssertionError(f"sandbox exited: {(tmp_path / 'sandbox.log').read_text()}")
        try:
            reply = httpx.post(
                f"{url}/api/Token",
                params={"clientId": "demo-station", "clientSecret": "demo-secret"},
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


class Terminal:
    """One tmux session running a command."""

    def __init__(self, name: str) -> None:
        self.name = name

    def send(self, *keys: str) -> None:
        assert TMUX is not None
        subprocess.run([TMUX, "send-keys", "-t", self.name, *keys], check=True)

    def scan(self, code: str) -> None:
        """What a wedge scanner does: the characters, then Enter."""
        self.send("-l", code)
        self.send("Enter")

    def screen(self) -> str:
        assert TMUX is not None
        done = subprocess.run(
            [TMUX, "capture-pane", "-p", "-t", self.name],
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout

    def wait_for(self, text: str, seconds: float = 30) -> str:
        wait_until(lambda: text in self.screen(), seconds, repr(text))
        return self.screen()


@pytest.fixture
def terminal(tmp_path: Path, sandbox_url: str) -> Iterator[Terminal]:
    """`packstation` in a 150x45 tmux session pointed at the sandbox process."""
    assert TMUX is not None, "the end-to-end test needs tmux (the CI script installs it)"
    name = f"packstation-e2e-{uuid.uuid4().hex[:8]}"
    env = {
        "PACKSTATION_API_URL": sandbox_url,
        "PACKSTATION_CLIENT_ID": "demo-station",
        "PACKSTATION_CLIENT_SECRET": "demo-secret",
        "PACKSTATION_DATA_DIR": str(tmp_path / "station"),
        "PACKSTATION_CONFIG": str(tmp_path / "no-config.toml"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "TERM": "xterm-256color",
    }
    (tmp_path / "no-config.toml").write_text("")
    command = " ".join(
        [*(f"{key}={value!s}" for key, value in env.items()), sys.executable, "-m", "packstation"]
    )
    subprocess.run(
        [TMUX, "new-session", "-d", "-s", name, "-x", "150", "-y", "45", command],
        check=True,
        env={**os.environ, "TMUX": ""},
    )
    try:
        yield Terminal(name)
    finally:
        subprocess.run([TMUX, "kill-session", "-t", name], check=False, capture_output=True)


def test_pack_and_submit_an_order_in_a_real_terminal(terminal: Terminal) -> None:
    screen = terminal.wait_for("SCAN AN ORDER")
    assert "SANDBOX" not in screen.splitlines()[0]  # a configured Omnium, not the embedded one
    terminal.wait_for("ORD-1002")  # the queue of orders waiting at WH-OSLO
    terminal.scan("USER-anna")
    terminal.scan("ORD-1002")
    screen = terminal.wait_for("ORDER ORD-1002")
    assert "0 / 3 units packed, 1 package" in screen
    for _ in range(3):
        terminal.scan("7042113000051")
    terminal.scan("3103002500")
    terminal.wait_for("3 / 3 units packed, 1 package")
    screen = terminal.wait_for("2.5 kg")
    assert "Packer: anna" in screen
    terminal.scan("7042113000051")  # one too many: refused
    screen = terminal.wait_for("all 3 units already packed")
    assert "3 / 3 units packed" in screen
    terminal.scan("CMD-SUBMIT")
    terminal.wait_for("REVIEW ORDER ORD-1002")
    terminal.scan("CMD-SUBMIT")
    screen = terminal.wait_for("ORDER ORD-1002 SENT", seconds=60)
    assert "BookShipment" in screen
    assert "Order ORD-1002: Completed" in screen
    terminal.wait_for("Pending submits: 0")
    terminal.send("F10")
    terminal.wait_for("SCAN AN ORDER")
