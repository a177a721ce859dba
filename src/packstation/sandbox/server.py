"""Run the sandbox on uvicorn in a background thread (for the station, tests and the CLI)."""

from __future__ import annotations

import socket
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import TracebackType

import uvicorn
from fastapi import FastAPI

from packstation.sandbox.app import create_app
from packstation.sandbox.sockets import bind_listening, loopback_url

SWITCH_INTERVAL = 0.001
"""Seconds a thread may hold the GIL while another waits for it (Python's default: 0.005)."""


def favour_short_requests() -> None:
    """Let a short request through quickly while a long one computes (own process only).

    The sandbox computes a large request (thousands of lines) in worker threads, but they hold
    the GIL: each time the event loop gives it up (any socket or SQLite call), a small GET
    waits up to a whole switch interval to get it back, several times per request, so another
    station's 3 ms GET took 30-80 ms during a 5,000-line submit (issue 16 item 2). A shorter
    interval bounds each of those waits. Process-wide, hence only in the sandbox's own process
    (`packstation sandbox`, the station's sandbox child), never in the station."""
    sys.setswitchinterval(SWITCH_INTERVAL)


class SandboxServer:
    """The sandbox listening on `host:port` (port 0 = a free one, kept across restarts)."""

    def __init__(
        self,
        data_dir: Path | None,
        host: str = "127.0.0.1",
        port: int = 0,
        config_path: Path | None = None,
        *,
        reset: bool = False,
        sock: socket.socket | None = None,
        lenient: bool = False,
    ) -> None:
        self._tempdir: tempfile.TemporaryDirectory[str] | None = None
        if data_dir is None:
            # A private store that outlives restarts of this server object.
            self._tempdir = tempfile.TemporaryDirectory(prefix="packstation-sandbox-")
            data_dir = Path(self._tempdir.name)
        self.data_dir = data_dir
        self.host = host
        self.port = port
        self.config_path = config_path
        self.lenient = lenient
        self._reset = reset
        # A socket handed over by a parent process (see sandbox/process.py) is served as is.
        self._sock = sock
        if sock is not None:
            self.host, self.port = sock.getsockname()[:2]
        self._server: uvicorn.Server | None = None
        self._app: FastAPI | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The base URL, e.g. http://127.0.0.1:54321."""
        return loopback_url(self.host, self.port)

    @property
    def running(self) -> bool:
        """True while the server thread serves."""
        return self._thread is not None and self._thread.is_alive()

    def _bind(self) -> socket.socket:
        if self._sock is not None:
            sock, self._sock = self._sock, None
            return sock
        sock = bind_listening(self.host, self.port)
        self.port = sock.getsockname()[1]
        return sock

    def start(self, timeout: float = 15.0) -> None:
        """Start serving; returns once the server accepts connections."""
        if self.running:
            return
        app = create_app(
            self.data_dir, config_path=self.config_path, reset=self._reset, lenient=self.lenient
        )
        self._reset = False  # a restart keeps the state
        sock = self._bind()
        config = uvicorn.Config(
            app, log_level="warning", access_log=False, lifespan="on", timeout_keep_alive=30
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name="sandbox-server", daemon=True
        )
        self._server, self._thread, self._app = server, thread, app
        thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                server.should_exit = True
                thread.join(5)
                sock.close()
                raise RuntimeError(f"the sandbox did not start on {self.url}")
            time.sleep(0.01)

    def wait(self) -> None:
        """Block until the server stops (Ctrl-C arrives here in the CLI)."""
        while self.running:
            assert self._thread is not None
            self._thread.join(0.5)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving and close the store; the state stays in the data dir."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
        if self._app is not None:
            self._app.state.sandbox.close()
        self._server = None
        self._thread = None
        self._app = None

    def close(self) -> None:
        """Stop, and delete a private temporary store."""
        self.stop()
        if self._tempdir is not None:
            self._tempdir.cleanup()
            self._tempdir = None

    def __enter__(self) -> SandboxServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
