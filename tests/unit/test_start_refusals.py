"""Start-up faults of the data directory: one plain line and exit code 2, never a traceback;
and a second live station on the same data directory is refused, naming the first one's pid."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from packstation.station.data_dir import StationRunning, claim_data_dir

START_TIMEOUT = 60
"""Seconds a refused start may take at most (a start that is not refused never ends here)."""


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """No settings from the machine running the tests."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PACKSTATION_")}
    clean["XDG_CONFIG_HOME"] = str(tmp_path / "xdg-config")
    clean["TERM"] = "dumb"
    return clean


def start(env: dict[str, str], *code: str) -> subprocess.CompletedProcess[str]:
    """Run `code` (Python) in a fresh interpreter, as a station start would run."""
    return subprocess.run(
        [sys.executable, "-c", "\n".join(code)],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=START_TIMEOUT,
    )


def assert_one_line_refusal(done: subprocess.CompletedProcess[str], *words: str) -> str:
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("packstation: error: ")
    assert "Traceback" not in done.stderr + done.stdout
    for word in words:
        assert word in lines[0]
    return lines[0]


def main_with(data_dir: Path, *before: str) -> list[str]:
    return [
        *before,
        "import sys",
        "from packstation.cli import main",
        f"sys.exit(main(['--data-dir', {str(data_dir)!r}]))",
    ]


def test_a_data_dir_that_is_a_file_is_one_line_and_exit_2(
    tmp_path: Path, env: dict[str, str]
) -> None:
    path = tmp_path / "data"
    path.write_text("not a directory")
    done = start(env, *main_with(path))
    assert_one_line_refusal(done, str(path), "is a file")
    assert path.read_text() == "not a directory"


def test_a_data_dir_under_a_file_is_one_line_and_exit_2(
    tmp_path: Path, env: dict[str, str]
) -> None:
    (tmp_path / "file").write_text("x")
    done = start(env, *main_with(tmp_path / "file" / "data"))
    assert_one_line_refusal(done, "cannot be used")


# The kernel's answer on a read-only mount, for every write under the data directory (tests
# may run as root, for whom a chmod 0500 directory is still writable).
READ_ONLY = textwrap.dedent(
    """
    import errno, os
    ROOT = {root!r}
    def _refuse(name, real):
        def wrapper(path, *args, **kwargs):
            flags = args[0] if name == "open" and args else 0
            writing = name != "open" or flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
            if writing and os.fspath(path).startswith(ROOT):
                raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fspath(path))
            return real(path, *args, **kwargs)
        return wrapper
    for _name in ("open", "mkdir", "chmod"):
        setattr(os, _name, _refuse(_name, getattr(os, _name)))
    """
)


def test_a_read_only_data_dir_is_one_line_and_exit_2(tmp_path: Path, env: dict[str, str]) -> None:
    data = tmp_path / "data"
    data.mkdir()
    done = start(env, *main_with(data, READ_ONLY.format(root=str(data))))
    line = assert_one_line_refusal(done, str(data), "not writable", "Read-only file system")
    assert "--data-dir" in line
    assert list(data.iterdir()) == []


@pytest.fixture
def holder(tmp_path: Path, env: dict[str, str]) -> Iterator[subprocess.Popen[str]]:
    """A process holding the data directory, as a running station does."""
    code = textwrap.dedent(
        f"""
        import sys, time
        from packstation.station.data_dir import claim_data_dir
        lock = claim_data_dir({str(tmp_path / "data")!r})
        print("ready", flush=True)
        time.sleep(120)
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        yield proc
    finally:
        proc.kill()
        proc.wait()


def test_a_second_station_on_the_same_data_dir_is_refused_naming_the_first(
    tmp_path: Path, env: dict[str, str], holder: subprocess.Popen[str]
) -> None:
    data = tmp_path / "data"
    done = start(env, *main_with(data))
    line = assert_one_line_refusal(done)
    assert "another packstation" in line
    assert f"pid {holder.pid}" in line and str(data) in line
    # Nothing of the refused station was started or written.
    assert sorted(p.name for p in data.iterdir()) == ["station.lock"]
    with pytest.raises(StationRunning) as caught:
        claim_data_dir(data).release()
    assert caught.value.pid == holder.pid
    # Once the first station is gone (however it ended), the data directory is free again.
    holder.kill()
    holder.wait()
    claim_data_dir(data).release()
