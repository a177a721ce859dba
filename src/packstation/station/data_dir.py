"""Claiming the data directory at start: a writable directory, and one live station on it.

Two stations on one data directory would share one journal and one SSCC counter, so the
second is refused before it starts anything. The lock is an OS record lock on `station.lock`
(fcntl.lockf; msvcrt on Windows), released by the OS when the process ends however it ends,
and not inherited by the embedded sandbox's forked child. The file holds the owner's pid so
the refusal can name it.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from types import TracebackType

from packstation.i18n import _
from packstation.private_files import PRIVATE_FILE_MODE, private_dir

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt

LOCK_FILENAME = "station.lock"

_WINDOWS_LOCK_OFFSET = 4096
"""Windows locks are mandatory: lock a byte past the pid so others can still read it."""


class DataDirError(Exception):
    """The data directory cannot be used; the message is one line for the terminal."""


class StationRunning(DataDirError):
    """Another live station process holds the data directory."""

    def __init__(self, data_dir: Path, pid: int | None) -> None:
        self.pid = pid
        who = f"pid {pid}" if pid is not None else _("its pid is not known yet")
        super().__init__(
            _(
                "another packstation ({who}) is already running on data directory {data_dir}; "
                "close it first, or give this station its own data directory (--data-dir)"
            ).format(who=who, data_dir=data_dir)
        )


class StationLock:
    """The lock on `data_dir/station.lock`, held from `acquire()` until `release()`."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / LOCK_FILENAME
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        """True while this object holds the lock."""
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock, or raise StationRunning (naming the holder) or DataDirError."""
        if self._fd is not None:
            return
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE_MODE)
        except OSError as err:
            raise _unusable(self.data_dir, err) from None
        try:
            _lock(fd)
        except OSError:
            pid = _read_pid(fd)
            os.close(fd)
            raise StationRunning(self.data_dir, pid) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        """Let go of the lock (closing the descriptor releases it)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> StationLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def claim_data_dir(data_dir: Path) -> StationLock:
    """Make sure `data_dir` is a directory this process can write, and lock it; the lock."""
    path = Path(data_dir)
    if path.exists() and not path.is_dir():
        raise DataDirError(
            _(
                "data directory {path} is a file, not a directory; set data_dir (--data-dir, "
                "PACKSTATION_DATA_DIR) to a directory"
            ).format(path=path)
        )
    try:
        private_dir(path)
    except OSError as err:
        raise _unusable(path, err) from None
    lock = StationLock(path)
    lock.acquire()
    return lock


def _unusable(path: Path, err: OSError) -> DataDirError:
    reason = err.strerror or type(err).__name__
    if err.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return DataDirError(
            _(
                "data directory {path} is not writable ({reason}); the station must be able to "
                "write its journal there: fix the permissions or choose another --data-dir"
            ).format(path=path, reason=reason)
        )
    return DataDirError(
        _("data directory {path} cannot be used ({reason})").format(path=path, reason=reason)
    )


def _lock(fd: int) -> None:
    if fcntl is not None:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)  # pragma: no cover - Windows
    msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # pragma: no cover - Windows


def _read_pid(fd: int) -> int | None:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, 32).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None
