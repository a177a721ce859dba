"""Send label files to a printer through a configurable command, or to the spool folder.

The command (Settings.print_command, e.g. `lp -d ZEBRA -o raw {file}`) is split with shlex and
run without a shell; `{file}` is replaced by the label's path (appended when absent). With no
command, or when it fails, the label is kept in the spool folder so nothing is lost.
"""

from __future__ import annotations

import itertools
import shlex
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from packstation.config import Settings
from packstation.labels.label import LabelData, LabelSize
from packstation.labels.render import LabelFormat, label_filename, render_label

PRINT_TIMEOUT_S = 30.0
FILE_PLACEHOLDER = "{file}"


class PrintOutcome(StrEnum):
    """What happened to a label file."""

    PRINTED = "printed"
    SPOOLED = "spooled"


@dataclass(frozen=True)
class PrintResult:
    """The outcome of printing one file: printed, or kept in the spool folder (and why)."""

    outcome: PrintOutcome
    name: str
    path: Path | None = None
    error: str | None = None
    command: tuple[str, ...] = ()

    @property
    def printed(self) -> bool:
        """True when the print command accepted the file."""
        return self.outcome is PrintOutcome.PRINTED

    @property
    def message(self) -> str:
        """One line for the status bar."""
        if self.printed:
            return f"Printed {self.name}"
        reason = f"printer failed: {self.error}" if self.error else "no print command set"
        return f"Saved {self.name} to {self.path} ({reason})"


def spool_dir(settings: Settings) -> Path:
    """The folder labels go to when they are not printed."""
    return settings.data_dir / "spool"


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


def _write_spool(spool: Path, name: str, content: bytes) -> Path:
    spool.mkdir(parents=True, exist_ok=True)
    stem, suffix = Path(name).stem, Path(name).suffix
    for counter in itertools.count(1):
        # A reprint of a label still waiting must not replace the first copy; exclusive
        # creation also keeps two workers spooling at once from overwriting each other.
        target = spool / (name if counter == 1 else f"{stem}.{counter}{suffix}")
        try:
            with target.open("xb") as handle:
                handle.write(content)
        except FileExistsError:
            continue
        return target
    raise AssertionError("unreachable")


def _run(argv: list[str], timeout: float) -> str | None:
    """Run the print command; None on success, else the reason in one line."""
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


def print_file(
    name: str,
    content: bytes,
    *,
    command: str,
    spool: Path,
    timeout: float = PRINT_TIMEOUT_S,
) -> PrintResult:
    """Print `content` (a file called `name`) with `command`; spool it when that is not possible."""
    if not command.strip():
        return PrintResult(PrintOutcome.SPOOLED, name, _write_spool(spool, name, content))
    with tempfile.TemporaryDirectory(prefix="packstation-print-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(content)
        try:
            argv = build_command(command, path)
        except ValueError as exc:
            error: str | None = str(exc)
            argv = []
        else:
            error = _run(argv, timeout)
    if error is None:
        return PrintResult(PrintOutcome.PRINTED, name, None, None, tuple(argv))
    return PrintResult(
        PrintOutcome.SPOOLED, name, _write_spool(spool, name, content), error, tuple(argv)
    )


def print_labels(
    labels: Sequence[LabelData],
    settings: Settings,
    *,
    timeout: float = PRINT_TIMEOUT_S,
) -> list[PrintResult]:
    """Render each label in the configured format and size, and print or spool it."""
    fmt = LabelFormat(settings.label_format)
    size = LabelSize(settings.label_size)
    results = []
    for data in labels:
        content = render_label(data, fmt, size)
        results.append(
            print_file(
                label_filename(data, fmt),
                content,
                command=settings.print_command,
                spool=spool_dir(settings),
                timeout=timeout,
            )
        )
    return results
