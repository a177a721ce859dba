"""The embedded sandbox as a child process of the station, on a socket the station binds.

The station binds and listens on the loopback port itself, so the URL is known at once and a
request sent before the child is ready waits in the listen backlog instead of failing. The
child (forked on Linux while the station has one thread, else `python -m
packstation.sandbox.process`) loads FastAPI on the other core while the station loads
Textual, and its workflows never hold the station's GIL. It stops when its stdin closes, which
also happens when the station is killed, so no sandbox outlives a station.

This module is imported by the station before anything heavy: keep its imports to the stdlib
(`packstation.private_files` is stdlib only too).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import IO, Protocol

from packstation.private_files import private_dir, private_file
from packstation.sandbox.sockets import bind_listening, loopback_url

LOG_NAME = "sandbox.log"
"""The child's stderr, in the sandbox's data directory (read when it stops unexpectedly)."""

LOG_TAIL_LINES = 3

CAN_PASS_SOCKETS = os.name == "posix"
"""Whether a listening socket can be handed to a child process (not on Windows)."""


class _Child(Protocol):
    """What the station needs of its child, forked or spawned (a `subprocess.Popen` subset)."""

    pid: int
    returncode: int | None
    stdin: IO[bytes] | None

    def poll(self) -> int | None: ...

    def wait(self, timeout: float | None = None) -> int: ...

    def kill(self) -> None: ...


class _ForkedChild:
    """A child made by `os.fork`, answering like `subprocess.Popen`."""

    def __init__(self, pid: int, lifeline: IO[bytes]) -> None:
        self.pid = pid
        self.stdin: IO[bytes] | None = lifeline
        self.returncode: int | None = None

    def poll(self) -> int | None:
        """The exit code, or None while it runs."""
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                # Reaped by someone else (a catch-all SIGCHLD handler): gone, code unknown.
                self.returncode = -1
                return self.returncode
            if pid == self.pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the exit code; subprocess.TimeoutExpired after `timeout` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while (code := self.poll()) is None:
            if deadline is not None and time.monotonic() >= deadline:
                raise subprocess.TimeoutExpired(f"sandbox child {self.pid}", timeout or 0.0)
            time.sleep(0.01)
        return code

    def kill(self) -> None:
        """SIGKILL the child."""
        if self.poll() is None:
            os.kill(self.pid, signal.SIGKILL)


def _can_fork() -> bool:
    # Forking copies the loaded interpreter (Python and pydantic need not load again, about
    # 0.1 s), but is only safe while no other thread may hold a lock; else spawn.
    return sys.platform == "linux" and threading.active_count() == 1


def _child_args(sock: socket.socket, data_dir: Path, lenient: bool) -> list[str]:
    """The child's command line (see `main`)."""
    args = ["--fd", str(sock.fileno()), "--data", str(data_dir)]
    return [*args, "--lenient"] if lenient else args


def _fork(sock: socket.socket, data_dir: Path, log: IO[bytes], lenient: bool) -> _ForkedChild:
    """Fork the child: it serves on `sock`; its stdin is a pipe whose end is the lifeline."""
    read_end, write_end = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child; covered by the process tests
        code = 1
        try:
            os.setsid()
            os.close(write_end)
            devnull = os.open(os.devnull, os.O_RDWR)
            os.dup2(read_end, 0)
            os.dup2(devnull, 1)
            os.dup2(log.fileno(), 2)
            # The parent's sys.stderr may not be fd 2 (a test runner's capture, say).
            sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115
            sys.stderr = open(2, "w", buffering=1, closefd=False)  # noqa: SIM115
            code = main(_child_args(sock, data_dir, lenient))
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(code)
    os.close(read_end)
    return _ForkedChild(pid, os.fdopen(write_end, "wb"))


def _spawn(
    sock: socket.socket, data_dir: Path, log: IO[bytes], lenient: bool
) -> subprocess.Popen[bytes]:
    """Start the child as a new interpreter (`python -m packstation.sandbox.process`)."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "packstation.sandbox.process",
            *_child_args(sock, data_dir, lenient),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=log,
        pass_fds=(sock.fileno(),),
        # Its own session: keys and signals meant for the station's terminal never reach
        # it. It follows the station through its stdin instead.
        start_new_session=True,
    )


class SandboxProcess:
    """The sandbox served by a child process; `url` is valid as soon as `start` returns."""

    def __init__(
        self, data_dir: Path, host: str = "127.0.0.1", port: int = 0, *, lenient: bool = False
    ) -> None:
        self.data_dir = data_dir
        self.host = host
        self.port = port
        self.lenient = lenient
        """Request fields Omnium's contract lacks are ignored (else answered 400)."""
        self._child: _Child | None = None
        self.forked = False
        """Whether the running child was forked (else spawned)."""

    @property
    def url(self) -> str:
        """The base URL, e.g. http://127.0.0.1:54321."""
        return loopback_url(self.host, self.port)

    @property
    def log_path(self) -> Path:
        """Where the child's error output goes."""
        return self.data_dir / LOG_NAME

    def start(self) -> None:
        """Bind the port and start the child; raises OSError when the port cannot be bound."""
        if self.running:
            return
        private_dir(self.data_dir)
        private_file(self.log_path)  # requests in the log may name orders and customers
        sock = bind_listening(self.host, self.port)
        self.port = sock.getsockname()[1]
        try:
            with self.log_path.open("wb") as log:
                self.forked = _can_fork()
                self._child = (_fork if self.forked else _spawn)(
                    sock, self.data_dir, log, self.lenient
                )
        finally:
            # The child holds the socket now; if it dies, connections are refused, not hung.
            sock.close()

    @property
    def pid(self) -> int | None:
        """The child's process id, once started."""
        return self._child.pid if self._child is not None else None

    @property
    def running(self) -> bool:
        """True while the child runs."""
        return self._child is not None and self._child.poll() is None

    def failure(self, wait: float = 0.0) -> str | None:
        """Why the child stopped (exit code and the end of its log), or None while it runs.

        `wait` gives a child that is going down (its socket already closed) time to exit.
        """
        if self._child is None:
            return None
        try:
            self._child.wait(wait)
        except subprocess.TimeoutExpired:
            return None
        try:
            lines = self.log_path.read_text(errors="replace").strip().splitlines()
        except OSError:
            lines = []
        tail = " | ".join(line.strip() for line in lines[-LOG_TAIL_LINES:] if line.strip())
        reason = f"the embedded sandbox stopped (exit code {self._child.returncode})"
        return f"{reason}: {tail}" if tail else reason

    def restart(self) -> None:
        """Start the child again on the same port after it stopped."""
        if not self.running:
            self.stop()
            self.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the child to stop (close its stdin); kill it if it has not within `timeout`."""
        child, self._child = self._child, None
        if child is None:
            return
        if child.stdin is not None:
            with contextlib.suppress(OSError):
                child.stdin.close()
        try:
            child.wait(timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def _stop_when_closed(fd: int, stop: threading.Event) -> None:
    """Read until end of file: the station closed the pipe or died."""
    # os.read, not sys.stdin: a thread blocked in a buffered reader aborts interpreter exit.
    while os.read(fd, 4096):
        pass
    stop.set()


def main(argv: list[str] | None = None) -> int:
    """The child: serve the sandbox on the inherited socket until stdin closes."""
    parser = argparse.ArgumentParser(prog="python -m packstation.sandbox.process")
    parser.add_argument("--fd", type=int, required=True, help="listening socket to serve on")
    parser.add_argument("--data", type=Path, required=True, help="sandbox state directory")
    parser.add_argument(
        "--lenient", action="store_true", help="ignore request fields Omnium's contract lacks"
    )
    args = parser.parse_args(argv)
    # Deferred: FastAPI and uvicorn (~0.5 s) load in the child only, never in the station.
    from packstation.sandbox.collector import leave_startup_out_of_collections
    from packstation.sandbox.server import SandboxServer, favour_short_requests

    server = SandboxServer(args.data, sock=socket.socket(fileno=args.fd), lenient=args.lenient)
    favour_short_requests()
    stop = threading.Event()
    threading.Thread(target=_stop_when_closed, args=(0, stop), daemon=True).start()
    try:
        server.start()
    except Exception as err:
        # The whole traceback for whoever reads the log; the last line for the station.
        traceback.print_exc()
        print(f"error: {err}", file=sys.stderr)
        return 1
    leave_startup_out_of_collections()
    try:
        while not stop.wait(0.5) and server.running:
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0 if stop.is_set() else 1


if __name__ == "__main__":
    sys.exit(main())
