"""Printing through a command (e.g. `lp -d ZEBRA -o raw {file}`), run without a shell."""

from __future__ import annotations

import shlex
import subprocess
import tempfile
from pathlib import Path

FILE_PLACEHOLDER = "{file}"


def build_command(command: str, path: Path) -> list[str]:
    """The argv for printing `path`: `command` split with shlex, `{file}` substituted."""
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        raise ValueError(f"print command cannot be parsed: {exc}") from exc
    if not argv:
        raise ValueError("print command is empty")
    if any(FILE_PLACEHOLDER in arg for arg in argv):
        return [arg.replace(FILE_PLACEHOLDER, str(path)) for arg in argv]
    return [*argv, str(path)]


def run_command(argv: list[str], timeout: float) -> str | None:
    """Run a print program; None on success, else the reason in one line."""
    try:
        done = subprocess.run(
            argv,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError:
        return f"command not found: {argv[0]}"
    except PermissionError:
        return f"not allowed to run: {argv[0]}"
    except subprocess.TimeoutExpired:
        return f"{argv[0]} did not finish within {timeout:g} s"
    except OSError as exc:
        return f"{argv[0]}: {exc.strerror or exc}"
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).decode("utf-8", "replace").strip()
        first = detail.splitlines()[0] if detail else ""
        return f"{argv[0]} exited with status {done.returncode}" + (f": {first}" if first else "")
    return None


def print_with_command(
    command: str, name: str, content: bytes, timeout: float
) -> tuple[str | None, tuple[str, ...]]:
    """Write `content` to a temporary `name` and run `command` on it: (error or None, argv)."""
    with tempfile.TemporaryDirectory(prefix="packstation-print-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(content)
        try:
            argv = build_command(command, path)
        except ValueError as exc:
            return str(exc), ()
        return run_command(argv, timeout), tuple(argv)
