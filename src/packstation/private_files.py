"""Files that hold personal data or secrets: readable by their owner only, whatever the umask.

The station store holds whole orders (names, addresses, e-mail, phone), the label spool holds
labels with the same, and the sandbox's store holds its token signing key. Directories are
made 0700 and files 0600. `mkdir` and `open` modes are reduced by the umask but never widened,
so each one is set explicitly afterwards too; an existing file or directory from an older
version is tightened the same way. SQLite gives a database's -wal and -shm files the mode of
the database file, so creating the database file 0600 first covers them.

On Windows the modes mean nothing (files inherit the ACL of their folder): these are no-ops.
"""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600

_POSIX = os.name == "posix"


def private_dir(path: Path) -> Path:
    """Create `path` (and its missing parents) and make it owner-only (0700); return it."""
    path = Path(path)
    existed = path.is_dir()
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    if _POSIX:
        try:
            os.chmod(path, PRIVATE_DIR_MODE)
        except OSError:
            # Not ours to change (another owner, a read-only mount): the writes that follow
            # say what is wrong in their own words. A directory made just now is always ours.
            if not existed:
                raise
    return path


def private_file(path: Path) -> Path:
    """Create `path` empty if it is missing, and make it owner-only (0600); return it.

    A directory in its place is left alone: the caller's open reports that in its own words.
    """
    path = Path(path)
    if path.is_dir():
        return path
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE_MODE)
    try:
        if _POSIX:
            os.fchmod(fd, PRIVATE_FILE_MODE)
    finally:
        os.close(fd)
    return path


def create_private(path: Path) -> int:
    """Create a new file exclusively (FileExistsError if it exists), owner-only; its descriptor."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    if _POSIX:
        os.fchmod(fd, PRIVATE_FILE_MODE)
    return fd


def write_private(path: Path, content: bytes) -> Path:
    """Write `content` to `path` (replacing it), owner-only; return the path."""
    path = Path(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
    try:
        if _POSIX:
            os.fchmod(fd, PRIVATE_FILE_MODE)
        with os.fdopen(fd, "wb", closefd=False) as handle:
            handle.write(content)
    finally:
        os.close(fd)
    return path
