"""A throwaway PostgreSQL server in a folder: for the tests, the benchmark and trying the
warehouse on one machine (`packstation warehouse-db trial-server`). Not for production: a
warehouse runs its own PostgreSQL.

It uses the PostgreSQL server programs installed on the machine (initdb, pg_ctl, postgres),
found on PATH or under /usr/lib/postgresql/*/bin. PostgreSQL refuses to run as root, so as root
the server runs as the `postgres` user (or `nobody`), which then owns the folder.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

SEARCH_DIRS = ("/usr/lib/postgresql", "/usr/local/pgsql/bin", "/opt/homebrew/bin")
START_TIMEOUT = 60.0


class NoPostgresServer(RuntimeError):
    """The PostgreSQL server programs are not installed."""


def find_bin_dir() -> Path:
    """The folder holding initdb and pg_ctl: PATH first, then the newest /usr/lib/postgresql."""
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).resolve().parent
    candidates: list[Path] = []
    for root in SEARCH_DIRS:
        base = Path(root)
        candidates += [p / "bin" for p in base.glob("*") if (p / "bin" / "pg_ctl").exists()]
        if (base / "pg_ctl").exists():
            candidates.append(base)
    if not candidates:
        raise NoPostgresServer(
            "PostgreSQL's server programs (initdb, pg_ctl) are not installed: install them "
            "(Debian/Ubuntu: apt-get install postgresql; macOS: brew install postgresql) or put "
            "their folder on PATH"
        )

    def version(path: Path) -> tuple[int, ...]:
        name = path.parent.name
        return tuple(int(p) for p in name.split(".") if p.isdigit()) or (0,)

    return max(candidates, key=version)


def free_port() -> int:
    """A TCP port free on the loopback interface right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run_as() -> str | None:
    """The user to run the server as: None when not root, else `postgres` or `nobody`."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise NoPostgresServer("running as root and there is no `postgres` or `nobody` user")


@dataclass
class TrialServer:
    """One PostgreSQL server: its folder, port and programs; start, kill and start again."""

    folder: Path
    port: int
    bin_dir: Path
    user: str | None

    @classmethod
    def create(cls, folder: Path, port: int | None = None) -> TrialServer:
        """Make (initdb) the server's folder if it is new; the server is not started."""
        bin_dir = find_bin_dir()
        user = _run_as()
        folder = Path(folder).resolve()
        server = cls(folder, port or free_port(), bin_dir, user)
        if not (server.data_dir / "PG_VERSION").exists():
            folder.mkdir(parents=True, exist_ok=True)
            server.data_dir.mkdir(mode=0o700, exist_ok=True)
            server._own(folder)
            server._own(server.data_dir)
            server._run(
                "initdb",
                "-D",
                str(server.data_dir),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--no-sync",
            )
        return server

    @property
    def data_dir(self) -> Path:
        """The cluster's data directory."""
        return self.folder / "data"

    @property
    def log_file(self) -> Path:
        """The server's log."""
        return self.folder / "server.log"

    def dsn(self, dbname: str = "postgres") -> str:
        """The connection string of a database on this server."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def start(self) -> None:
        """Start the server and wait until it takes connections."""
        self._run(
            "pg_ctl",
            "-D",
            str(self.data_dir),
            "-l",
            str(self.log_file),
            "-w",
            "-t",
            str(int(START_TIMEOUT)),
            "-o",
            # Loopback only, no Unix socket (its folder may not be writable), fsync kept on.
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
            " -c max_connections=200",
            "start",
        )

    def stop(self) -> None:
        """Stop the server (fast shutdown)."""
        if self.running():
            self._run("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "stop")

    def kill(self) -> None:
        """Kill the server at once (SIGKILL to the postmaster), as a crash would."""
        pid = self.pid()
        if pid is None:
            return
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        # The children notice the postmaster is gone and leave; a new one waits for them.
        (self.data_dir / "postmaster.pid").unlink(missing_ok=True)

    def pid(self) -> int | None:
        """The postmaster's process id while it runs."""
        pid_file = self.data_dir / "postmaster.pid"
        try:
            pid = int(pid_file.read_text().splitlines()[0])
        except (OSError, ValueError, IndexError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        return pid

    def running(self) -> bool:
        """True while the postmaster runs."""
        return self.pid() is not None

    def create_database(self, name: str) -> str:
        """Create a database (if missing); its connection string."""
        import psycopg  # the tests and the bench need it, the station only with warehouse_db

        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if exists.fetchone() is None:
                conn.execute(f'CREATE DATABASE "{name}"')
        return self.dsn(name)

    def _own(self, path: Path) -> None:
        if self.user is not None:
            entry = pwd.getpwnam(self.user)
            os.chown(path, entry.pw_uid, entry.pw_gid)

    def _run(self, program: str, *args: str) -> None:
        cmd = [str(self.bin_dir / program), *args]
        done = subprocess.run(
            cmd,
            user=self.user,
            capture_output=True,
            text=True,
            cwd=self.folder,
            env={**os.environ, "LC_ALL": "C"},
            check=False,
        )
        if done.returncode != 0:
            log = self.log_file.read_text()[-2000:] if self.log_file.exists() else ""
            raise RuntimeError(
                f"{program} failed ({done.returncode}): {done.stderr.strip()}\n{log}".strip()
            )
