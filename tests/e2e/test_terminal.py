"""End to end in a real terminal: `packstation sandbox` as its own process, `packstation` in
tmux, keys typed with send-keys, the screen read with capture-pane."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e_support import Terminal, alive, running_sandbox, station_env, wait_until


@pytest.fixture
def sandbox_url(tmp_path: Path) -> Iterator[str]:
    """`packstation sandbox` on a free loopback port, in its own process."""
    with running_sandbox(tmp_path) as url:
        yield url


@pytest.fixture
def terminal(tmp_path: Path, sandbox_url: str) -> Iterator[Terminal]:
    """`packstation` in a 150x45 tmux session pointed at the sandbox process."""
    term = Terminal.start(station_env(tmp_path, sandbox_url, tmp_path / "station"))
    try:
        yield term
    finally:
        term.close()


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
    terminal.scan("CMD-REVIEW")  # everything packed: one CMD-SUBMIT would send; review first
    terminal.wait_for("REVIEW ORDER ORD-1002")
    terminal.scan("CMD-SUBMIT")
    screen = terminal.wait_for("ORDER ORD-1002 SENT", seconds=60)
    assert "PrintShippingLabel" in screen
    assert "Order ORD-1002: PackedAndReady" in screen
    terminal.wait_for("Pending submits: 0")
    terminal.send("F10")
    terminal.wait_for("SCAN AN ORDER")


def test_the_embedded_sandbox_serves_the_station_and_stops_with_it(tmp_path: Path) -> None:
    env = station_env(tmp_path, "", tmp_path / "station")
    del env["PACKSTATION_API_URL"]  # no Omnium configured: the station starts its own sandbox
    term = Terminal.start(env)
    try:
        screen = term.wait_for("SCAN AN ORDER")
        assert "SANDBOX" in screen.splitlines()[0]
        term.wait_for("ORD-1002")  # the queue, read from the embedded sandbox
        station = term.pid
        children = Path(f"/proc/{station}/task/{station}/children").read_text().split()
        assert len(children) == 1, "one sandbox child process"
        sandbox = int(children[0])
        term.scan("ORD-1003")
        term.wait_for("no packer is signed in")  # the badge comes first
        term.scan("USER-anna")
        term.scan("ORD-1003")
        term.wait_for("0 / 5 units packed, 1 package")
        term.send("C-q")
        wait_until(lambda: not term.exists(), 30, "the station to quit")
        wait_until(lambda: not alive(sandbox), 30, "the sandbox child to stop")
        log = tmp_path / "station" / "sandbox" / "sandbox.log"
        assert "Traceback" not in log.read_text()
    finally:
        term.close()
