"""The embedded sandbox as a child process: ready-or-queued URL, clean stop, no orphan."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sandbox_support import reference_order

from packstation.sandbox.auth import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from packstation.sandbox.process import SandboxProcess

TOKEN_PARAMS = {"clientId": DEMO_CLIENT_ID, "clientSecret": DEMO_CLIENT_SECRET}


def alive(pid: int) -> bool:
    """True while the process exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_gone(pid: int, seconds: float = 20.0) -> bool:
    """Wait until the process is gone."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.05)
    return False


def test_a_request_sent_at_once_waits_for_the_child_and_is_answered(tmp_path: Path) -> None:
    sandbox = SandboxProcess(tmp_path / "sandbox")
    sandbox.start()
    try:
        assert sandbox.port != 0
        # No readiness wait: the station binds the port, so this request queues in the backlog.
        with httpx.Client(base_url=sandbox.url, timeout=60) as client:
            token = client.post("/api/Token", params=TOKEN_PARAMS)
            assert token.status_code == 200
            client.headers["Authorization"] = f"Bearer {token.text}"
            order = client.get("/api/Orders/ORD-1009")
            assert order.status_code == 200
            assert len(order.json()["orderForm"]["lineItems"]) == 250
        assert sandbox.running
        assert sandbox.failure() is None
    finally:
        sandbox.stop()
    assert sandbox.pid is None
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{sandbox.url}/openapi.json", timeout=2)


def test_stop_lets_the_child_finish_and_keeps_its_state(tmp_path: Path) -> None:
    sandbox = SandboxProcess(tmp_path / "sandbox")
    sandbox.start()
    pid = sandbox.pid
    assert pid is not None
    with httpx.Client(base_url=sandbox.url, timeout=60) as client:
        client.headers["Authorization"] = (
            f"Bearer {client.post('/api/Token', params=TOKEN_PARAMS).text}"
        )
        assert client.post("/api/Orders", json=reference_order("R-7")).status_code == 201
    sandbox.stop()
    assert wait_gone(pid)
    again = SandboxProcess(tmp_path / "sandbox")
    again.start()
    try:
        with httpx.Client(base_url=again.url, timeout=60) as client:
            client.headers["Authorization"] = (
                f"Bearer {client.post('/api/Token', params=TOKEN_PARAMS).text}"
            )
            assert client.get("/api/Orders/R-7").status_code == 200
    finally:
        again.stop()


DRIVER = """
import sys, threading, time
from pathlib import Path
from packstation.sandbox.process import SandboxProcess
if sys.argv[2] == "spawn":
    # Another thread running: forking is not safe, so the child is spawned.
    threading.Thread(target=time.sleep, args=(600,), daemon=True).start()
sandbox = SandboxProcess(Path(sys.argv[1]))
sandbox.start()
print(sandbox.pid, sandbox.forked, sandbox.url, flush=True)
time.sleep(600)
"""


@pytest.mark.parametrize("mode", ["fork", "spawn"])
def test_a_killed_station_takes_its_sandbox_with_it(tmp_path: Path, mode: str) -> None:
    station = subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(tmp_path / "sandbox"), mode],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert station.stdout is not None
        pid, forked, url = station.stdout.readline().split()
        child = int(pid)
        assert forked == str(mode == "fork")
        with httpx.Client(base_url=url, timeout=60) as client:
            assert client.post("/api/Token", params=TOKEN_PARAMS).status_code == 200
        assert alive(child)
        os.kill(station.pid, signal.SIGKILL)
        station.wait(10)
        assert wait_gone(child), "the sandbox outlived the station"
    finally:
        if station.poll() is None:
            station.kill()


def test_a_child_that_cannot_start_says_why_and_refuses_connections(tmp_path: Path) -> None:
    sandbox = SandboxProcess(tmp_path / "sandbox")
    # The child opens its store under data_dir; a file where the database should be stops it.
    sandbox.data_dir.mkdir()
    (sandbox.data_dir / "sandbox.sqlite3").mkdir()
    sandbox.start()
    try:
        pid = sandbox.pid
        assert pid is not None
        assert wait_gone(pid)
        with pytest.raises(httpx.TransportError):
            httpx.get(f"{sandbox.url}/openapi.json", timeout=5)
        reason = sandbox.failure()
        assert reason is not None
        assert "embedded sandbox stopped (exit code" in reason
        assert "unable to open database file" in reason
    finally:
        sandbox.stop()
